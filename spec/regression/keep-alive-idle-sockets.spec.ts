import type { Socket } from 'node:net';
import { clientFor } from '../helpers/fixture';
import { hostileServer, signedHeaders, type HostileServer } from '../helpers/hostile-server';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A server (or a middlebox in front of it) that forgets connections idle longer than `dropAfterMs`: a request
 * arriving on one is answered with a reset, as a dropped connection is. `hint` is the `Keep-Alive` header it
 * announces, if any. It counts every request that reached it, answered or reset.
 */
async function forgetfulServer(dropAfterMs: number, hint?: string): Promise<HostileServer> {
  const idleSince = new WeakMap<Socket, number>();
  return hostileServer((req, res, body) => {
    const since = idleSince.get(req.socket);
    if (since !== undefined && Date.now() - since > dropAfterMs) return void req.socket.destroy();
    res.on('finish', () => idleSince.set(req.socket, Date.now()));
    const reply = JSON.stringify({ received: body.toString() });
    res.writeHead(200, {
      'Content-Type': 'application/json',
      ...(hint === undefined ? {} : { 'Keep-Alive': hint }),
      ...signedHeaders(reply),
    });
    res.end(reply);
  }, 20);
}

/**
 * Broke (issue 19, item 2): the SDK's keep-alive agents had no idle timeout, so node ignored a server's
 * `Keep-Alive: timeout=N` and reused sockets the server had already dropped: the next call failed with
 * ECONNRESET ("socket hang up"). Idle sockets are now closed before common servers close them (4 s, or sooner
 * when the server says so), and no call is sent twice because of it.
 */
describe('regression: idle keep-alive sockets are closed before the server drops them', () => {
  let server: HostileServer | undefined;
  afterEach(async () => server?.close());

  const postTwice = async (idleMs: number) => {
    const client = clientFor(server!.url);
    const first = await client.v3.echo.post({ json: { call: 1 } });
    await sleep(idleMs);
    const second = await client.v3.echo.post({ json: { call: 2 } });
    return [first.data, second.data];
  };

  it('honours Keep-Alive: timeout=2: after idling past it the next POST succeeds, sent once', async () => {
    server = await forgetfulServer(1500, 'timeout=2');
    expect(await postTwice(1800)).toEqual([{ received: '{"call":1}' }, { received: '{"call":2}' }]);
    expect(server.requests).toBe(2);
  }, 10_000);

  it('does not reuse a socket at all when the server keeps it only a second (Keep-Alive: timeout=1)', async () => {
    server = await forgetfulServer(300, 'timeout=1');
    expect(await postTwice(500)).toEqual([{ received: '{"call":1}' }, { received: '{"call":2}' }]);
    expect(server.requests).toBe(2);
  }, 10_000);

  it('without a hint, closes sockets idle for longer than 4 s, before a server that keeps them 5 s', async () => {
    server = await forgetfulServer(4500);
    expect(await postTwice(4800)).toEqual([{ received: '{"call":1}' }, { received: '{"call":2}' }]);
    expect(server.requests).toBe(2);
  }, 15_000);
});
