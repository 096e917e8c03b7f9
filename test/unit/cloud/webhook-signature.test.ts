import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../../src/cloud/webhook-signature.js';

const secret = 'whsec_test_secret';
const payload = '{"event_type":"hyperframes_video.success","event_data":{"render_id":"hfr_1","callback_id":null}}';
const sign = (body: string, s = secret) => createHmac('sha256', s).update(body).digest('hex');
const now = 1_750_000_000;

describe('verifyWebhookSignature', () => {
  it('accepts a correct signature within the window, from headers of either shape', () => {
    const plain = { 'Heygen-Signature': sign(payload), 'Heygen-Timestamp': String(now - 100), 'Heygen-Event-Id': 'evt_1' };
    expect(verifyWebhookSignature({ payload, headers: plain, secret, now })).toEqual({ ok: true, timestamp: now - 100, eventId: 'evt_1', convention: 'Heygen-Signature' });
    expect(verifyWebhookSignature({ payload: Buffer.from(payload), headers: new Headers(plain), secret, now }).ok).toBe(true);
  });

  it('rejects a wrong secret, a changed body and a re-serialised body', () => {
    const ts = String(now);
    expect(verifyWebhookSignature({ payload, signature: sign(payload, 'whsec_other'), timestamp: ts, secret, now })).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(verifyWebhookSignature({ payload: payload.replace('hfr_1', 'hfr_2'), signature: sign(payload), timestamp: ts, secret, now })).toMatchObject({ ok: false, reason: 'mismatch' });
    const reserialised = JSON.stringify(JSON.parse(payload), null, 2);
    expect(verifyWebhookSignature({ payload: reserialised, signature: sign(payload), timestamp: ts, secret, now }).ok).toBe(false);
    expect(verifyWebhookSignature({ payload, signature: 'zz', timestamp: ts, secret, now }).ok).toBe(false);
  });

  it('rejects timestamps outside ±300 s, and missing or malformed headers', () => {
    const sig = sign(payload);
    expect(verifyWebhookSignature({ payload, signature: sig, timestamp: now - 301, secret, now })).toMatchObject({ ok: false, reason: 'expired' });
    expect(verifyWebhookSignature({ payload, signature: sig, timestamp: now + 301, secret, now })).toMatchObject({ ok: false, reason: 'expired' });
    expect(verifyWebhookSignature({ payload, signature: sig, timestamp: now - 301, secret, now, toleranceSec: 600 }).ok).toBe(true);
    expect(verifyWebhookSignature({ payload, headers: {}, secret, now })).toMatchObject({ reason: 'missing_signature' });
    expect(verifyWebhookSignature({ payload, signature: sig, secret, now })).toMatchObject({ reason: 'missing_timestamp' });
    expect(verifyWebhookSignature({ payload, signature: sig, timestamp: 'yesterday', secret, now })).toMatchObject({ reason: 'bad_timestamp' });
  });

  it('accepts any of several signatures (secret rotation) and a sha256= prefix', () => {
    const both = `${sign(payload, 'whsec_old')}, sha256=${sign(payload)}`;
    expect(verifyWebhookSignature({ payload, signature: both, timestamp: now, secret, now }).ok).toBe(true);
  });
});
