import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyWebhook, verifyWebhookSignature } from '../../../src/cloud/webhook-signature.js';
import { confirmDelivery } from '../../../src/cloud/webhook-confirm.js';

const secret = 'whsec_test_secret';
const payload = '{"event_type":"hyperframes_video.success","event_data":{"render_id":"hfr_1","callback_id":null}}';
const sign = (body: string, s = secret) => createHmac('sha256', s).update(body).digest('hex');
const now = 1_750_000_000;

describe('verifyWebhookSignature', () => {
  it('accepts a correct signature within the window, from headers of either shape', () => {
    const plain = { 'Heygen-Signature': sign(payload), 'Heygen-Timestamp': String(now - 100), 'Heygen-Event-Id': 'evt_1' };
    expect(verifyWebhookSignature({ payload, headers: plain, secret, now })).toEqual({
      ok: true,
      timestamp: now - 100,
      eventId: 'evt_1',
      convention: 'Heygen-Signature',
    });
    expect(verifyWebhookSignature({ payload: Buffer.from(payload), headers: new Headers(plain), secret, now }).ok).toBe(true);
  });

  it('rejects a wrong secret, a changed body and a re-serialised body', () => {
    const ts = String(now);
    expect(verifyWebhookSignature({ payload, signature: sign(payload, 'whsec_other'), timestamp: ts, secret, now })).toMatchObject({
      ok: false,
      reason: 'mismatch',
    });
    expect(
      verifyWebhookSignature({ payload: payload.replace('hfr_1', 'hfr_2'), signature: sign(payload), timestamp: ts, secret, now }),
    ).toMatchObject({ ok: false, reason: 'mismatch' });
    const reserialised = JSON.stringify(JSON.parse(payload), null, 2);
    expect(verifyWebhookSignature({ payload: reserialised, signature: sign(payload), timestamp: ts, secret, now }).ok).toBe(false);
    expect(verifyWebhookSignature({ payload, signature: 'zz', timestamp: ts, secret, now }).ok).toBe(false);
  });

  it('rejects timestamps outside ±300 s, and missing or malformed headers', () => {
    const sig = sign(payload);
    expect(verifyWebhookSignature({ payload, signature: sig, timestamp: now - 301, secret, now })).toMatchObject({
      ok: false,
      reason: 'expired',
    });
    expect(verifyWebhookSignature({ payload, signature: sig, timestamp: now + 301, secret, now })).toMatchObject({
      ok: false,
      reason: 'expired',
    });
    expect(verifyWebhookSignature({ payload, signature: sig, timestamp: now - 301, secret, now, toleranceSec: 600 }).ok).toBe(true);
    expect(verifyWebhookSignature({ payload, headers: {}, secret, now })).toMatchObject({ reason: 'missing_signature' });
    expect(verifyWebhookSignature({ payload, signature: sig, secret, now })).toMatchObject({ reason: 'missing_timestamp' });
    expect(verifyWebhookSignature({ payload, signature: sig, timestamp: 'yesterday', secret, now })).toMatchObject({
      reason: 'bad_timestamp',
    });
  });

  it('accepts any of several signatures (secret rotation) and a sha256= prefix', () => {
    const both = `${sign(payload, 'whsec_old')}, sha256=${sign(payload)}`;
    expect(verifyWebhookSignature({ payload, signature: both, timestamp: now, secret, now }).ok).toBe(true);
  });
});

describe('verifyWebhook: both conventions, and what it found', () => {
  const seenSet = () => new Set<string>();
  it('Heygen-Signature with Heygen-Timestamp and Heygen-Event-Id', () => {
    const headers = { 'Heygen-Signature': sign(payload), 'Heygen-Timestamp': String(now - 5), 'Heygen-Event-Id': 'evt_a' };
    expect(verifyWebhook({ payload, headers, secret, now })).toMatchObject({
      ok: true,
      convention: 'Heygen-Signature',
      timestamp: now - 5,
      eventId: 'evt_a',
    });
  });
  it('X-HeyGen-Signature: hex HMAC of the body, no timestamp (said so), the event id taken from the body', () => {
    const body = JSON.stringify({ event_id: 'evt_body', event_type: 'hyperframes_video.success', event_data: { render_id: 'hfr_1' } });
    const r = verifyWebhook({ payload: body, headers: { 'X-HeyGen-Signature': sign(body) }, secret, now });
    expect(r).toMatchObject({ ok: true, convention: 'X-HeyGen-Signature', timestamp: null, eventId: 'evt_body' });
    expect(r.message).toMatch(/no timestamp in this convention/);
  });
  it('the legacy Signature header too', () => {
    expect(verifyWebhook({ payload, headers: { signature: sign(payload) }, secret, now })).toMatchObject({
      ok: true,
      convention: 'Signature',
    });
  });
  it('a valid signature with a timestamp outside the window is refused', () => {
    const headers = { 'heygen-signature': sign(payload), 'heygen-timestamp': String(now - 3600) };
    expect(verifyWebhook({ payload, headers, secret, now })).toMatchObject({
      ok: false,
      reason: 'expired',
      convention: 'Heygen-Signature',
    });
    expect(
      verifyWebhook({ payload, headers: { 'x-heygen-signature': sign(payload), 'heygen-timestamp': String(now - 3600) }, secret, now }),
    ).toMatchObject({ ok: false, reason: 'expired' });
    expect(
      verifyWebhook({ payload, headers: { 'heygen-signature': sign(payload), 'heygen-timestamp': String((now - 10) * 1000) }, secret, now })
        .ok,
    ).toBe(true);
  });
  it('a replayed event id is refused; the first delivery is remembered', () => {
    const seen = seenSet();
    const headers = { 'heygen-signature': sign(payload), 'heygen-timestamp': String(now), 'heygen-event-id': 'evt_once' };
    expect(verifyWebhook({ payload, headers, secret, now, seen }).ok).toBe(true);
    expect(seen.has('evt_once')).toBe(true);
    expect(verifyWebhook({ payload, headers, secret, now, seen })).toMatchObject({
      ok: false,
      reason: 'replayed',
      message: expect.stringMatching(/evt_once was already received/),
    });
  });
  it('a signature over the compact body, checked against a re-serialised copy, says the body is not the raw bytes', () => {
    const pretty = JSON.stringify(JSON.parse(payload), null, 2);
    const r = verifyWebhook({
      payload: pretty,
      headers: { 'heygen-signature': sign(payload), 'heygen-timestamp': String(now) },
      secret,
      now,
    });
    expect(r).toMatchObject({ ok: false, reason: 'reserialised' });
    expect(r.message).toMatch(/not the raw bytes received/);
  });
  it('no signature header at all: unsigned (a callback_url delivery), not "invalid"', () => {
    const r = verifyWebhook({ payload, headers: { 'content-type': 'application/json' }, secret, now });
    expect(r).toMatchObject({ ok: false, reason: 'unsigned', convention: 'unsigned' });
    expect(r.message).toMatch(/does not sign deliveries to a render's callback_url/);
  });
});

describe('confirmDelivery (unsigned deliveries checked with the API)', () => {
  it('compares the claim with the render as the API returns it', async () => {
    const { startFakeHeygen } = await import('../../fake-heygen/index.js');
    const { zipFolder } = await import('../../fake-heygen/make-zip.js');
    const { readFile } = await import('node:fs/promises');
    const { clientFor, FIXTURE } = await import('./helpers.js');
    const fake = await startFakeHeygen();
    try {
      const client = clientFor(fake);
      const data = (await readFile(await zipFolder(FIXTURE))).toString('base64');
      const { render_id } = await client.renders.create({
        project: { type: 'base64', media_type: 'application/zip', data },
        callback_id: 'c-1',
      });
      const claim = (event: string, callback = 'c-1') =>
        JSON.stringify({ event_type: event, event_data: { render_id, callback_id: callback } });
      const early = await confirmDelivery(client, claim('hyperframes_video.success'));
      expect(early).toMatchObject({ consistent: false, claimedStatus: 'completed' });
      expect(early.message).toMatch(/claims hyperframes_video\.success .* but the API says render hfr_\w+ is (queued|rendering)/);
      fake.controls.advance(10);
      expect(await confirmDelivery(client, claim('hyperframes_video.success'))).toMatchObject({
        consistent: true,
        detail: { status: 'completed' },
      });
      expect((await confirmDelivery(client, claim('hyperframes_video.fail'))).consistent).toBe(false);
      expect((await confirmDelivery(client, claim('hyperframes_video.success', 'someone-else'))).message).toMatch(
        /callback_id does not match/,
      );
      await expect(confirmDelivery(client, '{"event_data":{"render_id":"../x"}}')).rejects.toThrow(/no event_data\.render_id/);
    } finally {
      await fake.close();
    }
  });
});
