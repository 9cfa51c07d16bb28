import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Builder, downloadCertificates } from '../builder';

const USAGE = `wechatpay-chain certificates [options]

Downloads the WeChat Pay platform certificates (GET /v3/certificates), verifies and decrypts them with the
APIv3 key, and writes each to <out>/<serial>.pem.

  --mchid ID            merchant id
  --serial SERIAL       merchant API certificate serial
  --private-key FILE    merchant private key (PEM)
  --apiv3-key KEY       APIv3 key (or the WECHATPAY_APIV3_KEY environment variable)
  --out DIR             where to write (default .)
  --base-url URL        default https://api.mch.weixin.qq.com/
`;

export async function certificatesCommand(argv: string[], out: (line: string) => void): Promise<undefined> {
  const { values } = parseArgs({
    args: argv,
    options: {
      mchid: { type: 'string' },
      serial: { type: 'string' },
      'private-key': { type: 'string' },
      'apiv3-key': { type: 'string' },
      out: { type: 'string', default: '.' },
      'base-url': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    out(USAGE);
    return undefined;
  }
  const apiv3Key = values['apiv3-key'] ?? process.env.WECHATPAY_APIV3_KEY;
  const missing = ['mchid', 'serial', 'private-key'].filter(
    (name) => values[name as keyof typeof values] === undefined,
  );
  if (apiv3Key === undefined) missing.push('apiv3-key');
  if (missing.length > 0) throw new Error(`missing --${missing.join(', --')}\n\n${USAGE}`);
  const instance = Builder.factory({
    mchid: values.mchid!,
    serial: values.serial!,
    privateKey: `file://${values['private-key']}`,
    apiv3Key,
    ...(values['base-url'] ? { baseURL: values['base-url'] } : {}),
  });
  // a failed download rejects (the caller exits non-zero with its message); an empty one is a failure too
  const certificates = await downloadCertificates(instance);
  if (certificates.length === 0) throw new Error('the certificates download listed no certificate: nothing written');
  mkdirSync(values.out!, { recursive: true });
  for (const certificate of certificates) {
    const file = join(values.out!, `${certificate.serial}.pem`);
    writeFileSync(file, certificate.pem);
    out(`${certificate.serial}  ${certificate.effectiveTime} .. ${certificate.expireTime}  ${file}`);
  }
  return undefined;
}
