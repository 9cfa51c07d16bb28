import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Builder, downloadCertificates } from '../builder';
import { ApiError } from '../errors';
import { UsageError, parseCommand } from './args';
import { CREDENTIAL_HELP, CREDENTIAL_OPTIONS, resolveCredentials, scrub } from './credentials';
import { describeFailure } from './failure';

const USAGE = `wechatpay-chain certificates [options]

Downloads the WeChat Pay platform certificates (GET /v3/certificates), verifies and decrypts them with the
APIv3 key, and writes each to <out>/<serial>.pem.

  --out DIR             where to write (default .)
  -h, --help            this text
  --version             the package version

${CREDENTIAL_HELP}

Exit codes: 0 written, 1 the download failed (nothing written), 2 usage.
`;

export async function certificatesCommand(argv: string[], out: (line: string) => void): Promise<undefined> {
  const { values, done } = parseCommand(
    argv,
    { ...CREDENTIAL_OPTIONS, out: { type: 'string', default: '.' } },
    USAGE,
    out,
  );
  if (done) return undefined;
  const { config, secrets } = resolveCredentials(values);
  if (config.apiv3Key === undefined) throw new UsageError('missing --apiv3-key (or WECHATPAY_APIV3_KEY)', USAGE);
  const dir = values.out as string;
  try {
    // a failed download rejects (the caller exits non-zero with its message); an empty one is a failure too
    const certificates = await downloadCertificates(Builder.factory(config));
    if (certificates.length === 0) throw new Error('the certificates download listed no certificate: nothing written');
    mkdirSync(dir, { recursive: true });
    for (const certificate of certificates) {
      const file = join(dir, `${certificate.serial}.pem`);
      writeFileSync(file, certificate.pem);
      out(`${certificate.serial}  ${certificate.effectiveTime} .. ${certificate.expireTime}  ${file}`);
    }
  } catch (error) {
    // the same status/code prefix `request` prints, and the reason a public-key merchant has none to download
    const hint =
      ApiError.isApiError(error) && error.code === 'RESOURCE_NOT_EXISTS'
        ? '\nthis merchant uses the WeChat Pay public key: put it in certs as PUB_KEY_ID_...=FILE instead'
        : '';
    throw new Error(scrub(describeFailure(error) + hint, secrets));
  }
  return undefined;
}
