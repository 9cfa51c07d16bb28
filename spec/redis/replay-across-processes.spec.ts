import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { signedCallback } from '../helpers/callback';
import { platformKeys } from '../helpers/keys';
import { redisAvailable, startRedis, type RedisServer } from '../helpers/redis-server';
import { post } from './post';

const describeRedis = redisAvailable() ? describe : describe.skip;

interface Receiver {
  url: string;
  handled: string[];
  child: ChildProcess;
}

/** A receiver process (spec/redis/receiver.ts, run through ts-node) sharing the replay guard's Redis. */
function startReceiver(redis: RedisServer): Promise<Receiver> {
  const child = fork(
    join(__dirname, 'receiver.ts'),
    [String(redis.port), Buffer.from(platformKeys().publicKey).toString('base64')],
    { execArgv: ['-r', 'ts-node/register/transpile-only'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const handled: string[] = [];
  return new Promise((resolve, reject) => {
    child.on('message', (message: { url?: string; handled?: string }) => {
      if (message.handled) handled.push(message.handled);
      if (message.url) resolve({ url: message.url, handled, child });
    });
    child.once('exit', (code) => reject(new Error(`receiver exited with ${code} before listening`)));
  });
}

function stopReceiver(receiver: Receiver | undefined): Promise<void> {
  if (!receiver || receiver.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    receiver.child.once('exit', () => resolve());
    receiver.child.kill('SIGTERM');
  });
}

describeRedis('replay guard on Redis, across processes', () => {
  jest.setTimeout(60_000);
  let redis: RedisServer;
  let first: Receiver | undefined;
  let second: Receiver | undefined;

  beforeAll(async () => {
    redis = await startRedis();
    [first, second] = await Promise.all([startReceiver(redis), startReceiver(redis)]);
  });

  afterAll(async () => {
    await Promise.all([stopReceiver(first), stopReceiver(second)]);
    await redis?.stop();
  });

  it("two Webhook processes refuse each other's replays: the handler runs once in the whole fleet", async () => {
    const callback = signedCallback({ out_trade_no: 'FLEET-1' });
    expect((await post(first!.url, callback)).status).toBe(204);
    // the same signed callback replayed to the other instance: answered as handled, its handler never runs
    expect((await post(second!.url, callback)).status).toBe(204);
    expect((await post(first!.url, callback)).status).toBe(204);
    const fresh = signedCallback({ out_trade_no: 'FLEET-2' });
    expect((await post(second!.url, fresh)).status).toBe(204);
    // IPC messages from the handler precede the reply on the wire, but give them a turn to arrive
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(first!.handled).toEqual(['FLEET-1']);
    expect(second!.handled).toEqual(['FLEET-2']);
  });

  it('a concurrent replay to both instances at once is handled by exactly one', async () => {
    const callback = signedCallback({ out_trade_no: 'FLEET-3' });
    const replies = await Promise.all([post(first!.url, callback), post(second!.url, callback)]);
    expect(replies.map((reply) => reply.status)).toEqual([204, 204]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect([...first!.handled, ...second!.handled].filter((no) => no === 'FLEET-3')).toEqual(['FLEET-3']);
  });
});
