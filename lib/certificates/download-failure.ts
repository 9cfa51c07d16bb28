import { ApiError, ConfigError, SignatureError, TransportError } from '../errors';

const PUBLIC_KEY_ID = /^PUB_KEY_ID_/;

/** Where a public-key merchant's key goes, naming the id the reply was signed with. */
function configurePublicKey(serial: string): string {
  const id = PUBLIC_KEY_ID.test(serial) ? serial : 'PUB_KEY_ID_...';
  return (
    `configure the WeChat Pay public key in certs: { '${id}': 'file:///path/to/pub_key.pem' } ` +
    '(商户平台: 账户中心 > API安全 > 微信支付公钥)'
  );
}

/**
 * A 404 from `/v3/certificates`, verified (`ApiError`) or signed by a key not known yet (`SignatureError`, whose
 * message quotes the unverified body): its error code when one is known, else undefined for any other failure.
 */
function notFoundCode(error: unknown): string | undefined {
  if (ApiError.isApiError(error) && (error.status === 404 || error.code === 'RESOURCE_NOT_EXISTS')) {
    return error.code ?? '';
  }
  if (SignatureError.isSignatureError(error) && error.status === 404) {
    return /"code"\s*:\s*"([A-Z_]{1,64})"/.exec(error.message)?.[1] ?? '';
  }
  return undefined;
}

/**
 * Why a reply signed by `serial` cannot be verified, given how the last certificate download failed (`failure`, or
 * undefined when it did not): the sentence an `UNKNOWN_SERIAL` error adds, so a setup mistake names its fix.
 */
export function unknownSerialHint(serial: string, failure: unknown): string | undefined {
  if (failure === undefined) {
    return PUBLIC_KEY_ID.test(serial)
      ? `${serial} is a WeChat Pay public key id: ${configurePublicKey(serial)}`
      : undefined;
  }
  const failed = 'the certificate download failed';
  const code = notFoundCode(failure);
  if (code !== undefined) {
    // a public-key merchant has no platform certificates: WeChat Pay answers 404 RESOURCE_NOT_EXISTS
    return (
      `${failed}: HTTP 404${code === '' ? '' : ` ${code}`}, this merchant has no platform certificates (it uses a ` +
      `WeChat Pay public key): ${configurePublicKey(serial)}`
    );
  }
  if (ConfigError.isConfigError(failure))
    return `${failed}: ${failure.issues.map((i) => `${i.path} ${i.issue}`).join('; ')}`;
  if (TransportError.isTransportError(failure)) return `${failed}: network: ${failure.message}`;
  return `${failed}: ${(failure as Error)?.message ?? String(failure)}`;
}
