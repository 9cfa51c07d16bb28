import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import Redis, { type RedisOptions } from 'ioredis';

/** A throwaway `redis-server` on 127.0.0.1, started and stopped by the spec that needs it (nothing persisted). */
export interface RedisServer {
  port: number;
  /** A new ioredis client for this server; the caller quits or disconnects it. */
  client(options?: RedisOptions): Redis;
  /** Stop the server (an outage when clients still use it); idempotent. */
  stop(): Promise<void>;
}

const MISSING =
  'redis-server is not installed: the shared-store specs run against a real one (Debian: apt-get install -y ' +
  'redis-server; .ci/run installs it). Set WECHATPAY_REDIS=optional to skip them instead.';

/** Whether the redis specs run here: true with a redis-server; else they fail, or skip under WECHATPAY_REDIS=optional. */
export function redisAvailable(): boolean {
  const found = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
  if (found) return true;
  if (process.env.WECHATPAY_REDIS === 'optional') return false;
  throw new Error(MISSING);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start within 10 s:\n${output}`)), 10_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code} before it was ready:\n${output}`));
    });
  });
}

export async function startRedis(): Promise<RedisServer> {
  // a port taken between the probe and the start fails the start: try a few
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      await ready(child);
    } catch (error) {
      child.kill('SIGKILL');
      if (attempt >= 3) throw error;
      continue;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return {
      port,
      client: (options: RedisOptions = {}) => new Redis({ host: '127.0.0.1', port, ...options }),
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      },
    };
  }
}
