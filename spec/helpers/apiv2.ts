import { createHash, createHmac } from 'node:crypto';

/** An independent APIv2 signer (not the SDK's): MD5 / HMAC-SHA256 over the sorted non-empty fields and the key. */
export function v2sign(fields: Record<string, string>, type: string, secret: string): string {
  const data = Object.keys(fields)
    .filter((key) => key !== 'sign' && fields[key] !== '')
    .sort()
    .map((key) => `${key}=${fields[key]}`)
    .join('&');
  const input = `${data}&key=${secret}`;
  const digest = type === 'HMAC-SHA256' ? createHmac('sha256', secret).update(input) : createHash('md5').update(input);
  return digest.digest('hex').toUpperCase();
}

/** Flat APIv2 XML written by hand, every value in CDATA. */
export const flatXml = (fields: Record<string, string>): string =>
  `<xml>${Object.entries(fields)
    .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
    .join('')}</xml>`;
