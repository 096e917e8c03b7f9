/**
 * The fake server's world: renders, assets, webhook endpoints, idempotency records, the request
 * log and the fake clock. Render states follow the clock: queued for `queuedSeconds`, rendering
 * for `renderingSeconds`, then completed or failed. Every move of the clock runs `settle()`, which
 * performs the transitions and sends the webhooks of renders that just ended.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Delivery, FakeAsset, FakeEndpoint, FakeHeygenOptions, FakeRender, Fault, RequestRecord } from './types.js';

export type ResolvedOptions = Required<Omit<FakeHeygenOptions, 'bearerTokens'>> & { bearerTokens: string[] };

export function resolveOptions(o: FakeHeygenOptions = {}): ResolvedOptions {
  return {
    apiKeys: o.apiKeys ?? ['test-key-0123456789abcdef'],
    bearerTokens: o.bearerTokens ?? [],
    autoAdvance: o.autoAdvance ?? 1,
    queuedSeconds: o.queuedSeconds ?? 2,
    renderingSeconds: o.renderingSeconds ?? 2,
    testMode: o.testMode ?? true,
    urlTtlSeconds: o.urlTtlSeconds ?? 3600,
    completeConflicts: o.completeConflicts ?? 0,
    concurrencyLimit: o.concurrencyLimit ?? 10,
    concurrencyRetryAfter: o.concurrencyRetryAfter ?? 1,
    signatureConvention: o.signatureConvention ?? 'Heygen-Signature',
  };
}

export interface IdempotencyRecord {
  fingerprint: string;
  pending: boolean;
  status: number;
  body: unknown;
  /** Unix seconds (fake clock) the first request came: replays last 24 h. */
  at: number;
}

export function createState(options: ResolvedOptions) {
  const state = {
    options,
    /** Fake unix seconds; moves only through advance() and auto-advance. */
    clock: Math.floor(Date.now() / 1000),
    seq: 0,
    /** How many renders were really created (replays do not count). */
    rendersCreated: 0,
    renders: new Map<string, FakeRender>(),
    assets: new Map<string, FakeAsset>(),
    endpoints: new Map<string, FakeEndpoint>(),
    idempotency: new Map<string, IdempotencyRecord>(),
    requests: [] as RequestRecord[],
    deliveries: [] as Delivery[],
    pending: new Set<Promise<void>>(),
    faults: [] as (Fault & { left: number })[],
    /** Outcomes for the next created renders, consumed in order. */
    nextOutcomes: [] as FakeRender['outcome'][],
    presignSecret: randomBytes(16).toString('hex'),
    /** Most renders queued or rendering at once so far (the concurrency check). */
    maxActive: 0,
    /** Replays whose body differed from the first request's (HeyGen logs a warning and replays). */
    replayWarnings: [] as string[],
    /** Detail fields a test forces on a render (hostile-server probes): render id → fields. */
    tampered: new Map<string, Record<string, unknown>>(),
  };
  return state;
}

export type FakeState = ReturnType<typeof createState>;

export const newId = (prefix: string) => `${prefix}_${randomBytes(8).toString('hex')}`;

/** Moves renders along the clock; returns the renders that just ended. */
export function settle(state: FakeState): FakeRender[] {
  const ended: FakeRender[] = [];
  const { queuedSeconds, renderingSeconds } = state.options;
  for (const r of state.renders.values()) {
    if (r.deleted || r.status === 'completed' || r.status === 'failed') continue;
    const age = state.clock - r.createdAt;
    const queued = r.outcome.queuedSeconds ?? queuedSeconds;
    const rendering = r.outcome.renderingSeconds ?? renderingSeconds;
    if (age < queued) r.status = 'queued';
    else if (age < queued + rendering) r.status = 'rendering';
    else {
      r.status = r.outcome.status;
      r.completedAt = r.createdAt + queued + rendering;
      ended.push(r);
    }
  }
  return ended;
}

/** Renders queued or rendering now (deleted ones excluded). */
export const activeRenders = (state: FakeState) =>
  [...state.renders.values()].filter((r) => !r.deleted && (r.status === 'queued' || r.status === 'rendering')).length;

/** Posts a webhook payload; registered endpoints get the signature headers, callbacks do not. */
export function deliver(state: FakeState, kind: Delivery['kind'], url: string, payload: unknown, secret: string | null): void {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'fake-heygen-webhooks' };
  if (secret) {
    const signature = createHmac('sha256', secret).update(body).digest('hex');
    if (state.options.signatureConvention === 'X-HeyGen-Signature') headers['x-heygen-signature'] = signature;
    else {
      headers['heygen-timestamp'] = String(Math.floor(Date.now() / 1000));
      headers['heygen-signature'] = signature;
      headers['heygen-event-id'] = newId('evt');
    }
  }
  const record: Delivery = { kind, url, headers, body, result: 'pending' };
  state.deliveries.push(record);
  const p = fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(5000) })
    .then(async (r) => {
      await r.body?.cancel();
      record.result = r.status;
    })
    .catch((e: Error) => {
      record.result = e.message;
    })
    .finally(() => state.pending.delete(p));
  state.pending.add(p);
}
