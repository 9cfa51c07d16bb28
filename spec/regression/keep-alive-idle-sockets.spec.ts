import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createTlsServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { clientFor } from '../helpers/fixture';
import { hostileServer, signedHeaders, type HostileServer } from '../helpers/hostile-server';
import { MCHID } from '../helpers/keys';
import { openssl, scratch } from '../helpers/openssl';

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

describe('regression: the APIv2 mutual-TLS agent closes idle sockets too', () => {
  const SECRET = 'k'.repeat(32);
  const dir = scratch();
  let server: Server;
  let requests = 0;
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    dir.remove();
  });

  /** A certificate for `subject` signed by the scratch CA. */
  function issue(name: string, subject: string, extension: string) {
    const [key, csr, cert] = [`${name}.key`, `${name}.csr`, `${name}.pem`].map((file) => dir.path(file));
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key!, '-out', csr!, '-subj', subject]);
    const ext = dir.path(`${name}.ext`, `${extension}\n`);
    const ca = ['-CA', dir.path('ca.pem'), '-CAkey', dir.path('ca.key'), '-CAcreateserial'];
    openssl(['x509', '-req', '-in', csr!, ...ca, '-out', cert!, '-days', '1', '-extfile', ext]);
    return { key: key!, cert: cert! };
  }

  /** An APIv2 success reply, signed MD5 as WeChat Pay signs it. */
  function signedXml(): string {
    const fields: Record<string, string> = {
      return_code: 'SUCCESS',
      result_code: 'SUCCESS',
      mch_id: MCHID,
      refund_id: 'R1',
    };
    const joined = Object.keys(fields)
      .sort()
      .map((key) => `${key}=${fields[key]}`)
      .join('&');
    fields.sign = createHash('md5').update(`${joined}&key=${SECRET}`).digest('hex').toUpperCase();
    return `<xml>${Object.entries(fields)
      .map(([key, value]) => `<${key}>${value}</${key}>`)
      .join('')}</xml>`;
  }

  it('honours Keep-Alive: timeout=2 on security: true calls: after idling past it the next one succeeds', async () => {
    const ca = ['-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', dir.path('ca.key'), '-out', dir.path('ca.pem')];
    openssl(['req', ...ca, '-days', '1', '-subj', '/CN=Test CA']);
    const serverCert = issue('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1');
    const clientCert = issue('client', `/CN=${MCHID}`, 'basicConstraints=CA:FALSE');
    const idleSince = new WeakMap<Socket, number>();
    server = createTlsServer(
      {
        key: readFileSync(serverCert.key),
        cert: readFileSync(serverCert.cert),
        ca: readFileSync(dir.path('ca.pem')),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        requests += 1;
        req.resume();
        req.on('end', () => {
          const since = idleSince.get(req.socket);
          if (since !== undefined && Date.now() - since > 1500) return void req.socket.destroy();
          res.on('finish', () => idleSince.set(req.socket, Date.now()));
          res.writeHead(200, { 'Content-Type': 'text/xml', 'Keep-Alive': 'timeout=2' }).end(signedXml());
        });
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = clientFor(`https://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
      secret: SECRET,
      merchant: {
        cert: readFileSync(clientCert.cert),
        key: readFileSync(clientCert.key),
        ca: readFileSync(dir.path('ca.pem')),
      },
    });
    const refund = () => client.v2.secapi.pay.refund.post({ xml: { out_refund_no: 'R1' }, security: true });
    const first = await refund();
    await sleep(1800);
    const second = await refund();
    expect([first.data, second.data]).toMatchObject([{ refund_id: 'R1' }, { refund_id: 'R1' }]);
    expect(requests).toBe(2);
  }, 30_000);
});
