import { createCipheriv, createPrivateKey, randomBytes, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { selfSignedCertificate } from '../../lib/sandbox/x509';
import { rsaPair } from './keys';

export const APIV3_KEY = '0123456789abcdef0123456789abcdef';

export interface Platform {
  serial: string;
  pem: string;
  privateKey: string;
}

/** A platform certificate valid from `notBefore` for `days` (default: yesterday, a year). */
export function mintPlatform(notBefore = new Date(Date.now() - 86_400_000), days = 365): Platform {
  const pair = rsaPair();
  const certificate = selfSignedCertificate(createPrivateKey(pair.privateKey), 'Tenpay.com', notBefore, days);
  return { serial: certificate.serial, pem: certificate.pem, privateKey: pair.privateKey };
}

export interface ListedCertificate {
  platform: Platform;
  associatedData?: string;
  effectiveTime?: string;
  expireTime?: string;
}

/** One `data[]` entry of a `/v3/certificates` reply, sealed with AES-256-GCM under `apiv3Key`. */
export function certificateEntry(listed: ListedCertificate, apiv3Key = APIV3_KEY) {
  const associatedData = listed.associatedData ?? 'certificate';
  const nonce = randomBytes(6).toString('hex');
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiv3Key), Buffer.from(nonce));
  cipher.setAAD(Buffer.from(associatedData));
  const ciphertext = Buffer.concat([cipher.update(listed.platform.pem), cipher.final(), cipher.getAuthTag()]);
  return {
    serial_no: listed.platform.serial,
    effective_time: listed.effectiveTime ?? '2026-01-01T00:00:00+08:00',
    expire_time: listed.expireTime ?? '2036-01-01T00:00:00+08:00',
    encrypt_certificate: {
      algorithm: 'AEAD_AES_256_GCM',
      nonce,
      associated_data: associatedData,
      ciphertext: ciphertext.toString('base64'),
    },
  };
}

export interface ScriptedReply {
  status?: number;
  body: string;
  /** Who signs the reply; undefined: unsigned. */
  signer?: { serial: string; privateKey: string };
}

export interface ScriptedServer {
  url: string;
  /** Request targets received, in order. */
  paths: string[];
  reply: (path: string) => ScriptedReply;
  stop(): Promise<void>;
}

/** A loopback server answering every request with `reply(path)`, signed as WeChat Pay signs (node:crypto only). */
export async function startScriptedServer(reply: (path: string) => ScriptedReply): Promise<ScriptedServer> {
  const scripted: ScriptedServer = { url: '', paths: [], reply, stop: () => Promise.resolve() };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      scripted.paths.push(req.url!);
      const { status = 200, body, signer } = scripted.reply(req.url!);
      const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Request-ID': 'req-1' };
      if (signer) {
        const timestamp = String(Math.floor(Date.now() / 1000));
        const nonce = randomBytes(16).toString('hex');
        Object.assign(headers, {
          'Wechatpay-Timestamp': timestamp,
          'Wechatpay-Nonce': nonce,
          'Wechatpay-Serial': signer.serial,
          'Wechatpay-Signature': sign(
            'sha256',
            Buffer.from(`${timestamp}\n${nonce}\n${body}\n`),
            signer.privateKey,
          ).toString('base64'),
        });
      }
      res.writeHead(status, headers).end(body);
    });
  });
  server.unref();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  scripted.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  scripted.stop = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return scripted;
}

/** Rejects with "hung" if `promise` has not settled within `ms`: a deadlock fails the spec instead of the run. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hung: not settled within ${ms} ms`)), ms);
  });
  return Promise.race([promise, hung]).finally(() => clearTimeout(timer));
}
