import { Rejection } from './rejection';

/** A media upload as the gateway reads it: the `meta` JSON bytes (what the signature covers) and the file. */
export interface MediaParts {
  meta: Buffer;
  file: Buffer;
  fileContentType?: string;
}

const bad = (issue: string) =>
  new Rejection(400, 'PARAM_ERROR', `参数错误：multipart 请求体 ${issue}`, { field: 'body', issue, location: 'body' });

/** The gateway's own multipart/form-data reader (independent of the client's builder), for `meta` + `file`. */
export function parseMultipart(body: Buffer, contentType: string | undefined): MediaParts {
  const boundary = /^multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
  if (!boundary) throw bad('缺少 multipart/form-data 的 boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const parts = new Map<string, { headers: string; content: Buffer }>();
  let at = body.indexOf(delimiter);
  if (at < 0) throw bad('找不到 boundary');
  for (;;) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) throw bad('没有结束 boundary');
    const part = body.subarray(start + 2, next - 2); // skip the CRLF after the delimiter and before the next
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) throw bad('分段缺少头部');
    const headers = part.subarray(0, split).toString('utf8');
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1];
    if (name) parts.set(name, { headers, content: part.subarray(split + 4) });
    at = next;
  }
  const meta = parts.get('meta');
  const file = parts.get('file');
  if (!meta) throw bad('缺少 meta 分段');
  if (!file) throw bad('缺少 file 分段');
  return {
    meta: meta.content,
    file: file.content,
    fileContentType: /content-type:\s*([^\r\n]+)/i.exec(file.headers)?.[1]?.trim(),
  };
}
