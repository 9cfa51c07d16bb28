import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '../errors';

/** A file to upload: bytes, a `file://` path or a stream, and the name WeChat Pay should record. */
export interface MediaInput {
  file: Buffer | string | Readable;
  /** Defaults to the path's base name. */
  filename?: string;
}

export interface MultipartMedia {
  /** The `meta` JSON: what the signature covers for media uploads. */
  meta: string;
  body: Buffer;
  contentType: string;
}

const TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  bmp: 'image/bmp',
  gif: 'image/gif',
  mp4: 'video/mp4',
  avi: 'video/x-msvideo',
  wmv: 'video/x-ms-wmv',
  mpeg: 'video/mpeg',
  mov: 'video/quicktime',
  mkv: 'video/x-matroska',
  flv: 'video/x-flv',
  f4v: 'video/x-f4v',
  m4v: 'video/x-m4v',
  rmvb: 'application/vnd.rn-realmedia-vbr',
};

/** WeChat Pay takes images up to 2 MiB and videos up to 5 MiB; anything far beyond is a mistake. */
export const MAX_MEDIA_BYTES = 10 * 1024 * 1024;

async function bytesOf(file: MediaInput['file']): Promise<Buffer> {
  if (Buffer.isBuffer(file)) return file;
  if (typeof file === 'string') {
    let path = file;
    try {
      path = file.startsWith('file://') ? fileURLToPath(file) : file;
      return await readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new ValidationError([{ path: 'media.file', issue: `cannot read ${path}: ${code}` }]);
    }
  }
  const chunks: Buffer[] = [];
  let size = 0;
  if (typeof (file as Partial<Readable>)?.[Symbol.asyncIterator] !== 'function') {
    throw new ValidationError([
      { path: 'media.file', issue: 'must be a Buffer, a file path / file:// URL or a Readable' },
    ]);
  }
  try {
    for await (const chunk of file) {
      size += (chunk as Buffer).length;
      if (size > MAX_MEDIA_BYTES)
        throw new ValidationError([{ path: 'media.file', issue: `is larger than ${MAX_MEDIA_BYTES} bytes` }]);
      chunks.push(Buffer.from(chunk as Buffer));
    }
  } catch (error) {
    if (ValidationError.isValidationError(error)) throw error;
    throw new ValidationError([{ path: 'media.file', issue: `stream failed: ${(error as Error).message}` }]);
  }
  return Buffer.concat(chunks);
}

function filenameOf(input: MediaInput): string {
  if (input.filename) return input.filename;
  if (typeof input.file === 'string')
    try {
      return basename(input.file.startsWith('file://') ? fileURLToPath(input.file) : input.file);
    } catch (error) {
      throw new ValidationError([
        { path: 'media.file', issue: `is not a usable file URL: ${(error as Error).message}` },
      ]);
    }
  throw new ValidationError([
    { path: 'media.filename', issue: 'is required when the file is given as bytes or a stream' },
  ]);
}

/** A file read and named, ready to be a multipart part. */
export interface FilePart {
  filename: string;
  bytes: Buffer;
  contentType: string;
}

/** Reads a media input (bytes, path or stream) within the size limit, with the name and type to upload it under. */
export async function readMedia(input: MediaInput): Promise<FilePart> {
  if (!input || input.file === undefined) throw new ValidationError([{ path: 'media.file', issue: 'is required' }]);
  const filename = filenameOf(input);
  if (/["\r\n]/.test(filename))
    throw new ValidationError([{ path: 'media.filename', issue: 'must not contain quotes or line breaks' }]);
  const bytes = await bytesOf(input.file);
  if (bytes.length > MAX_MEDIA_BYTES)
    throw new ValidationError([{ path: 'media.file', issue: `is larger than ${MAX_MEDIA_BYTES} bytes` }]);
  const contentType = TYPES[filename.split('.').pop()!.toLowerCase()] ?? 'application/octet-stream';
  return { filename, bytes, contentType };
}

/**
 * multipart/form-data of text fields and one file, in the order given (field names are ours, never user text).
 * `end` closes each Content-Disposition: APIv3 media uploads keep the `;` of WeChat Pay's documented example, APIv2
 * writes the standard form (as wechatpay-php's Guzzle does; strict parsers refuse the trailing `;`).
 */
export function formData(
  parts: Array<{ name: string; text: string; contentType?: string } | { name: string; file: FilePart }>,
  end: ';' | '' = '',
): { body: Buffer; contentType: string } {
  const boundary = `wechatpay-chain-${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('file' in part) {
      const { filename, contentType, bytes } = part.file;
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${filename}"${end}\r\n` +
            `Content-Type: ${contentType}\r\n\r\n`,
        ),
        bytes,
        Buffer.from('\r\n'),
      );
    } else {
      const type = part.contentType ? `Content-Type: ${part.contentType}\r\n` : '';
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${end}\r\n${type}\r\n${part.text}\r\n`,
        ),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** `meta` (`{"filename","sha256"}`) and `file` as multipart/form-data, the way WeChat Pay's media uploads want them. */
export async function buildMultipart(input: MediaInput): Promise<MultipartMedia> {
  const file = await readMedia(input);
  const meta = JSON.stringify({
    filename: file.filename,
    sha256: createHash('sha256').update(file.bytes).digest('hex'),
  });
  const { body, contentType } = formData(
    [
      { name: 'meta', text: meta, contentType: 'application/json' },
      { name: 'file', file },
    ],
    ';',
  );
  return { meta, body, contentType };
}
