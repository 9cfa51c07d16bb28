import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { coreOf } from '../builder';
import { ApiError, ValidationError, WechatpayError } from '../errors';
import type { WechatpayInstance } from '../types';

/** What the bill endpoints (`/v3/bill/tradebill`, `/v3/bill/fundflowbill`, ...) answer. */
export interface BillLink {
  download_url: string;
  hash_type: string;
  hash_value: string;
}

export interface BillDownloadOptions {
  /** A file path (written as it streams, removed if the digest does not match) or any writable stream. */
  to: string | Writable;
  /** The bill was requested with `tar_type: 'GZIP'`: it is gunzipped on the way (the digest is of the plain file). */
  gzip?: boolean;
  signal?: AbortSignal;
}

/** The download did not match `hash_value`: the file is incomplete or altered. */
export class BillDigestError extends WechatpayError {
  override name = 'BillDigestError';
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`bill SHA-1 is ${actual}, hash_value says ${expected}`);
  }
}

function digestTap(hash: ReturnType<typeof createHash>, counter: { bytes: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      counter.bytes += chunk.length;
      done(null, chunk);
    },
  });
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The origin and path of a `download_url`; only WeChat Pay's bill file endpoint is accepted. */
function downloadTarget(url: string): { origin: string; path: string } {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol) || !/\/v3\/billdownload\/file$/.test(parsed.pathname)) {
    throw new ValidationError([{ path: 'download_url', issue: 'must be an http(s) URL of /v3/billdownload/file' }]);
  }
  return { origin: parsed.origin, path: `${parsed.pathname.replace(/^\//, '')}${parsed.search}` };
}

/**
 * Download a bill: a signed GET of `download_url` whose reply WeChat Pay does not sign, streamed to disk (never
 * held whole in memory), gunzipped if asked, and checked against `hash_value` (SHA-1 of the plain file).
 */
export async function downloadBill(
  instance: WechatpayInstance,
  link: BillLink,
  options: BillDownloadOptions,
): Promise<{ bytes: number; sha1: string }> {
  if (link.hash_type.toUpperCase() !== 'SHA1') {
    throw new ValidationError([{ path: 'hash_type', issue: `must be SHA1, got ${link.hash_type}` }]);
  }
  const { client } = coreOf(instance);
  const { origin, path } = downloadTarget(link.download_url);
  // the client sends only relative URLs (allowAbsoluteUrls: false): the link's origin becomes this call's baseURL
  const response = await client.http.get<Readable>(path, {
    baseURL: `${origin}/`,
    responseType: 'stream',
    signal: options.signal,
  });
  if (response.status < 200 || response.status >= 300) {
    const body = await readAll(response.data);
    const parsed = (() => {
      try {
        return JSON.parse(body) as { code?: string; message?: string };
      } catch {
        return {};
      }
    })();
    throw new ApiError({
      status: response.status,
      code: parsed.code,
      message: parsed.message,
      headers: response.headers as Record<string, unknown>,
      body,
      verified: false,
    });
  }
  const hash = createHash('sha1');
  const counter = { bytes: 0 };
  const sink = typeof options.to === 'string' ? createWriteStream(options.to) : options.to;
  const stages = options.gzip
    ? [response.data, createGunzip(), digestTap(hash, counter), sink]
    : [response.data, digestTap(hash, counter), sink];
  await pipeline(stages as unknown as [Readable, Writable]);
  const sha1 = hash.digest('hex');
  if (sha1.toLowerCase() !== link.hash_value.toLowerCase()) {
    if (typeof options.to === 'string') await rm(options.to, { force: true });
    throw new BillDigestError(link.hash_value, sha1);
  }
  return { bytes: counter.bytes, sha1 };
}
