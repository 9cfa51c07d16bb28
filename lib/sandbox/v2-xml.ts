import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Rejection } from './rejection';

/**
 * The gateway's own APIv2 codec (independent of the client's Transformer and Hash): flat `<xml>` documents, and
 * the MD5 / HMAC-SHA256 `sign` over the ksorted, non-empty `k=v` pairs with `&key=` the APIv2 key.
 */
export type Fields = Record<string, string>;

export function parseXml(text: string): Fields {
  // no DTDs, so no entity expansion: the one way an XML body could blow up
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new Rejection(400, 'INVALID_REQUEST', 'XML 不允许 DOCTYPE 或 ENTITY');
  const root = /^\s*(?:<\?xml[^>]*\?>\s*)?<xml>([\s\S]*)<\/xml>\s*$/.exec(text);
  if (!root) throw new Rejection(400, 'INVALID_REQUEST', '请求体须为 <xml>...</xml>');
  const fields: Fields = {};
  for (const [, name, cdata, plain] of root[1]!.matchAll(/<(\w+)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g)) {
    fields[name!] = cdata ?? unescape(plain ?? '');
  }
  return fields;
}

function unescape(text: string): string {
  return text.replace(
    /&(lt|gt|amp|quot|apos);/g,
    (_all, name: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[name]!,
  );
}

export function toXml(fields: Fields): string {
  const body = Object.entries(fields)
    .map(([key, value]) =>
      /^-?\d+$/.test(value)
        ? `<${key}>${value}</${key}>`
        : `<${key}><![CDATA[${value.replace(/]]>/g, ']]]]><![CDATA[>')}]]></${key}>`,
    )
    .join('');
  return `<xml>${body}</xml>`;
}

export type SignType = 'MD5' | 'HMAC-SHA256';

export function v2Sign(fields: Fields, type: SignType, secret: string): string {
  const joined = Object.keys(fields)
    .filter((key) => key !== 'sign' && fields[key] !== '' && fields[key] !== undefined)
    .sort()
    .map((key) => `${key}=${fields[key]}`)
    .join('&');
  const input = `${joined}&key=${secret}`;
  const digest = type === 'HMAC-SHA256' ? createHmac('sha256', secret).update(input) : createHash('md5').update(input);
  return digest.digest('hex').toUpperCase();
}

export function v2Verify(fields: Fields, type: SignType, secret: string): boolean {
  const expected = Buffer.from(v2Sign(fields, type, secret));
  const given = Buffer.from((fields.sign ?? '').toUpperCase());
  return expected.length === given.length && timingSafeEqual(expected, given);
}
