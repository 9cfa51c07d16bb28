/** A loopback stand-in for the gateway, run in its own process by the benchmark: signs every reply. */
import { createPrivateKey, randomBytes, sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const platformKey = createPrivateKey(process.env.PLATFORM_KEY!);
const serial = process.env.PLATFORM_SERIAL!;
const body = JSON.stringify({ wxpay_recover_no: '2026112300001', out_request_no: 'R-1' });

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const nonce = randomBytes(16).toString('hex');
    const signature = sign('sha256', Buffer.from(`${timestamp}\n${nonce}\n${body}\n`), platformKey).toString('base64');
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Wechatpay-Timestamp': String(timestamp),
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Serial': serial,
      'Wechatpay-Signature': signature,
    });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send!((server.address() as AddressInfo).port));
process.on('disconnect', () => process.exit(0));
