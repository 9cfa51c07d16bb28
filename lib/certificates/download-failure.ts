import { ApiError, ConfigError, SignatureError, TransportError } from '../errors';

const PUBLIC_KEY_ID = /^PUB_KEY_ID_/;

/** Where a public-key merchant's key goes, naming the id the reply was signed with. */
function configurePublicKey(serial: string): string {
  const id = PUBLIC_KEY_ID.test(serial) ? serial : 'PUB_KEY_ID_...';
  return (
    `configure the WeChat Pay public key in certs: { '${id}': 'file:///path/to/pub_key.pem' } ` +
    '(merchant platform: Account > API security > WeChat Pay public key)'
  );
}

/** A 404 from `/v3/certificates`, verified (`ApiError`) or signed by a key not known yet (`SignatureError`). */
function answeredNotFound(error: unknown): boolean {
  if (ApiError.isApiError(error)) return error.status === 404 || error.code === 'RESOURCE_NOT_EXISTS';
  return SignatureError.isSignatureError(error) && error.status === 404;
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
  if (answeredNotFound(failure)) {
    // a public-key merchant has no platform certificates: WeChat Pay answers 404 RESOURCE_NOT_EXISTS
    return (
      `${failed}: HTTP 404 RESOURCE_NOT_EXISTS, this merchant has no platform certificates (it uses a WeChat Pay ` +
      `public key): ${configurePublicKey(serial)}`
    );
  }
  if (ConfigError.isConfigError(failure))
    return `${failed}: ${failure.issues.map((i) => `${i.path} ${i.issue}`).join('; ')}`;
  if (TransportError.isTransportError(failure)) return `${failed}: network: ${failure.message}`;
  return `${failed}: ${(failure as Error)?.message ?? String(failure)}`;
}
