// A callback receiver in its own process, as one instance of a fleet behind a load balancer: a Webhook whose replay
// guard keeps nonces in the Redis at argv[2]. It tells its parent its URL, and each out_trade_no its handler ran.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { Webhook } from '../../lib';
import { redisStore } from '../../lib/redis';
import { CALLBACK_APIV3_KEY } from '../helpers/callback';
import { PLATFORM_SERIAL } from '../helpers/keys';

const [port, platformPublicKey] = [Number(process.argv[2]), Buffer.from(process.argv[3]!, 'base64').toString()];
const redis = new Redis({ host: '127.0.0.1', port });
const webhook = new Webhook({
  certs: { [PLATFORM_SERIAL]: platformPublicKey },
  apiv3Key: CALLBACK_APIV3_KEY,
  replayGuard: { store: redisStore(redis) },
});
const server = createServer(
  webhook.listener<{ out_trade_no: string }>((event) => {
    process.send!({ handled: event.resource.out_trade_no });
  }),
);
server.listen(0, '127.0.0.1', () => {
  process.send!({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` });
});
process.on('disconnect', () => {
  server.close();
  redis.disconnect();
});
