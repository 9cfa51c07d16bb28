import { TransportError } from '../../lib';
import { clientFor } from '../helpers/fixture';
import { hostileServer, type HostileServer } from '../helpers/hostile-server';

/** Long enough for the settled calls to fit inside it on a loaded 2-core machine (the older call must stay pending). */
const TIMEOUT_MS = 10_000;
/** More than the 1,024 settled calls after which the shared deadline queue compacted itself. */
const SETTLED = 1100;

type V2Call = (path: string) => { post(options: object): Promise<unknown> };

/** How a call ended, or `pending` if it had not after `ms`. */
function outcome(call: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise((resolve) => (timer = setTimeout(() => resolve('pending'), ms)));
  const settled = call.then(
    () => 'resolved',
    (error: unknown) => error,
  );
  return Promise.race([settled, late]).finally(() => clearTimeout(timer));
}

/**
 * Broke (issue 19, item 1): calls with the same `timeout` shared one deadline queue. When more than 1,024 calls
 * had settled while an older call was pending and that call timed out, the queue was compacted under the loop
 * expiring it, and a call stalled at that moment was never timed out (still pending long past its timeout).
 * `timeout` now bounds every call, whatever ran before it.
 */
describe('regression: timeout holds after many calls settled around a pending one', () => {
  let server: HostileServer;
  beforeAll(async () => {
    server = await hostileServer((req, res) => {
      if (req.url!.startsWith('/stall')) return; // never answered; closing the server drops it
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('quick');
    }, SETTLED + 10);
  });
  afterAll(() => server.close());

  it('a call stalled after 1,100 settled calls and one timed-out call still times out', async () => {
    // APIv2 calls: signed with a hash, not RSA, so the settled calls are quick and fit in one timeout
    const client = clientFor(server.url, { secret: 'k'.repeat(32), timeout: TIMEOUT_MS });
    const chain = client.chain as unknown as V2Call;
    const send = (path: string) => chain(`v2/${path}`).post({ xml: { appid: 'wx1' } });

    const older = outcome(send('stall/older'), TIMEOUT_MS * 2);
    const started = Date.now();
    for (let batch = 0; batch < SETTLED / 100; batch += 1) {
      await Promise.allSettled(Array.from({ length: 100 }, () => send('quick')));
    }
    const settledWithin = Date.now() - started;
    const stalled = outcome(send('stall/later'), TIMEOUT_MS * 2);

    // the scenario holds only if the quick calls settled while the older call was still pending
    expect(settledWithin).toBeLessThan(TIMEOUT_MS);
    const olderError = await older;
    expect(olderError).toBeInstanceOf(TransportError);
    expect((olderError as TransportError).message).toContain(`timeout of ${TIMEOUT_MS}ms exceeded`);
    const stalledError = await stalled;
    expect(stalledError).toBeInstanceOf(TransportError);
    expect((stalledError as TransportError).message).toContain(`timeout of ${TIMEOUT_MS}ms exceeded`);
  }, 60_000);
});
