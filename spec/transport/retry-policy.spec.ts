import { ApiError, TransportError } from '../../lib';
import { findRoute } from '../../lib/catalog/lookup';
import { backoffMs, classify, resolvePolicy, retryAfterMs, safeToRepeat } from '../../lib/transport/retry-policy';

const apiError = (status: number, headers: Record<string, string> = {}) =>
  new ApiError({ status, headers, body: '', verified: true });
const transportError = (code: string) =>
  new TransportError('failed', 'GET', '/v3/x', Object.assign(new Error(code), { code }));

describe('retry policy', () => {
  it('is off unless the client or the call turns it on; the call wins', () => {
    expect(resolvePolicy(undefined, undefined)).toBeUndefined();
    expect(resolvePolicy(true, undefined)).toEqual({ retries: 2, baseDelayMs: 200, maxDelayMs: 5000 });
    expect(resolvePolicy(true, false)).toBeUndefined();
    expect(resolvePolicy(false, 3)).toMatchObject({ retries: 3 });
    expect(resolvePolicy({ retries: 0 }, undefined)).toBeUndefined();
    expect(resolvePolicy(undefined, { baseDelayMs: 50 })).toEqual({ retries: 2, baseDelayMs: 50, maxDelayMs: 5000 });
  });

  it('backs off exponentially within [step/2, step], capped', () => {
    const policy = { retries: 9, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(policy, n, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(policy, n, () => 1))).toEqual([100, 200, 400, 800, 1000]);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs(new Date(1_000).toUTCString(), 4_000)).toBe(0);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });

  it('retries 5xx and network failures with failover, 429 in place, nothing else', () => {
    expect(classify(apiError(503))).toEqual({ reason: 'HTTP 503', failover: true });
    expect(classify(apiError(429, { 'Retry-After': '2' }))).toEqual({
      reason: 'HTTP 429',
      failover: false,
      retryAfterMs: 2000,
    });
    for (const status of [400, 401, 403, 404, 409]) expect(classify(apiError(status))).toBeUndefined();
    expect(classify(transportError('ECONNRESET'))).toEqual({ reason: 'ECONNRESET', failover: true });
    expect(classify(transportError('ECONNABORTED'))).toMatchObject({ failover: true });
    expect(classify(transportError('ERR_CANCELED'))).toBeUndefined();
    expect(classify(new TypeError('bug'))).toBeUndefined();
  });

  it('repeats GETs, and other verbs only when they send every business number their operation is re-entrant on', () => {
    const jsapi = findRoute('POST', 'v3/pay/transactions/jsapi')!;
    const refund = findRoute('POST', 'v3/refund/domestic/refunds')!;
    const close = findRoute('POST', 'v3/pay/transactions/out-trade-no/{out_trade_no}/close')!;
    const body = (json: unknown) => ({ data: JSON.stringify(json), url: 'v3/x' });
    expect(safeToRepeat('GET', undefined, { url: 'v3/x' })).toBe(true);
    expect(safeToRepeat('POST', undefined, body({ out_trade_no: 'T1' }))).toBe(false);
    expect(safeToRepeat('POST', jsapi, body({ out_trade_no: 'T1' }))).toBe(true);
    expect(safeToRepeat('POST', jsapi, body({ out_trade_no: '' }))).toBe(false);
    // refunds name the order they refund (out_trade_no) but are re-entrant on their own out_refund_no
    expect(safeToRepeat('POST', refund, body({ out_trade_no: 'T1' }))).toBe(false);
    expect(safeToRepeat('POST', refund, body({ out_refund_no: 'R1' }))).toBe(true);
    expect(safeToRepeat('POST', close, { data: '{}', url: 'v3/pay/transactions/out-trade-no/T1/close' })).toBe(true);
    expect(safeToRepeat('POST', close, { data: '{}', url: 'v3/pay/transactions/out-trade-no//close' })).toBe(false);
    expect(safeToRepeat('POST', jsapi, { data: Buffer.from('not json'), url: 'v3/x' })).toBe(false);
    expect(safeToRepeat('POST', jsapi, body({ out_trade_no: 'T1' }), false)).toBe(false);
    expect(safeToRepeat('POST', undefined, { url: 'v3/x' }, true)).toBe(true);
  });
});
