import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  ROOT,
  decryptWithPlatform,
  describeRuntime,
  esbuildDir,
  packageFixture,
  run,
  startWorld,
  SENSITIVE,
  type World,
} from './helpers';

/** workerd's config: the bundled worker with nodejs_compat, allowed to reach loopback (the sandbox). */
const capnp = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [ (name = "http", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.bundle.js") ],
  compatibilityDate = "2026-07-01",
  compatibilityFlags = ["nodejs_compat"],
  bindings = [ (name = "INPUT", text = embed "input.json") ],
  globalOutbound = "loopback",
);
`;

/** A loopback socket bound here (port known before workerd starts) and handed to workerd as an inherited fd. */
async function boundSocket(): Promise<{ port: number; fd: number; close(): void }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fd = (server as unknown as { _handle: { fd: number } })._handle.fd;
  return { port: (server.address() as AddressInfo).port, fd, close: () => server.close() };
}

async function until<T>(probe: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describeRuntime('workerd', (bin) => {
  jest.setTimeout(120_000);
  const fixture = packageFixture();
  let world: World;
  let worker: ChildProcess;
  let url: string;
  const stderr: string[] = [];

  beforeAll(async () => {
    await run(
      process.execPath,
      [join(ROOT, 'scripts', 'runtimes', 'build-worker.js'), 'worker.mjs', 'worker.bundle.js', esbuildDir()],
      fixture.dir,
    );
    const socket = await boundSocket();
    url = `http://127.0.0.1:${socket.port}`;
    world = await startWorld('workerd', `${url}/notify`);
    writeFileSync(join(fixture.dir, 'input.json'), JSON.stringify(world.input));
    writeFileSync(join(fixture.dir, 'config.capnp'), capnp);
    worker = spawn(bin, ['serve', 'config.capnp', '--socket-fd', `http=3`], {
      cwd: fixture.dir,
      stdio: ['ignore', 'ignore', 'pipe', socket.fd],
    });
    worker.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    socket.close(); // workerd holds its own copy of the socket now
    await until(async () => {
      const response = await fetch(`${url}/events`);
      if (!response.ok) throw new Error(`workerd answered ${response.status}`);
    }, 30_000);
  });

  afterAll(async () => {
    worker?.kill();
    await world?.sandbox.stop();
    fixture.remove();
  });

  it('the bundled SDK signs and verifies calls against the sandbox and encrypts a field, on WebCrypto', async () => {
    const response = await fetch(`${url}/run`, { method: 'POST' });
    const text = await response.text();
    expect({ status: response.status, text: response.ok ? 'ok' : text + stderr.join('') }).toEqual({
      status: 200,
      text: 'ok',
    });
    const result = JSON.parse(text);
    expect(result).toMatchObject({
      runtime: 'workerd',
      backend: 'webcrypto',
      punished: 200,
      recovered: 'workerd-R',
      refused: 'SIGNATURE_MISMATCH',
    });
    expect(decryptWithPlatform(world, result.ciphertext)).toBe(SENSITIVE);
  });

  it('validates catalogued calls on workerd (no code generation), refusing a bad one before any I/O', async () => {
    const failure = await (await fetch(`${url}/invalid`, { method: 'POST' })).json();
    expect(failure).toEqual({
      name: 'ValidationError',
      issues: expect.arrayContaining([
        { path: 'json.mchid', issue: 'must be a string' },
        { path: 'json.bal_account_no', issue: 'is required' },
      ]),
    });
  });

  it("answers the sandbox's real callback through FetchWebhook with 204, and a forged one with 401", async () => {
    world.sandbox.settle();
    await world.sandbox.callbacksIdle();
    const delivered = world.sandbox.callbacks.filter((record) => !record.probe);
    expect(delivered.length).toBeGreaterThan(0);
    expect(delivered.map((record) => record.attempts.map((attempt) => attempt.status))).toEqual(
      delivered.map(() => [204]),
    );
    const events = (await (await fetch(`${url}/events`)).json()) as Array<{ out_request_no?: string }>;
    expect(events.map((event) => event.out_request_no)).toContain('workerd-P');
    const forged = await fetch(`${url}/notify`, {
      method: 'POST',
      body: '{}',
      headers: {
        'Wechatpay-Timestamp': String(Math.floor(Date.now() / 1000)),
        'Wechatpay-Nonce': 'n',
        'Wechatpay-Signature': 'AAAA',
        'Wechatpay-Serial': world.sandbox.platformSerial,
      },
    });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ code: 'FAIL' });
  });
});
