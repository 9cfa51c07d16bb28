/**
 * A loopback stand-in for the gateway, run in its own process by the benchmarks. Its reply is signed once a second,
 * not once per reply: an RSA signature per reply on the same 2 cores would cap every client at the responder's speed
 * and hide the differences between clients, which is what the benchmarks measure.
 */
import { createPrivateKey, randomBytes, sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const platformKey = createPrivateKey(process.env.PLATFORM_KEY!);
const serial = process.env.PLATFORM_SERIAL!;
const body = JSON.stringify({ wxpay_recover_no: '2026112300001', out_request_no: 'R-1' });

let signed: { second: number; headers: Record<string, string> } | undefined;

function headersNow(): Record<string, string> {
  const second = Math.floor(Date.now() / 1000);
  if (signed?.second !== second) {
    const nonce = randomBytes(16).toString('hex');
    const signature = sign('sha256', Buffer.from(`${second}\n${nonce}\n${body}\n`), platformKey).toString('base64');
    signed = {
      second,
      headers: {
        'Content-Type': 'application/json',
        'Wechatpay-Timestamp': String(second),
        'Wechatpay-Nonce': nonce,
        'Wechatpay-Serial': serial,
        'Wechatpay-Signature': signature,
      },
    };
  }
  return signed.headers;
}

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, headersNow());
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send!((server.address() as AddressInfo).port));
process.on('disconnect', () => process.exit(0));
