import type { BuilderConfig } from '../builder';
import { ConfigError, type FieldIssue } from '../errors';
import { PlatformKeys } from '../verify/platform-keys';
import type { CryptoBackend } from './backend';

function loadFailure(path: string, error: unknown): FieldIssue {
  return { path, issue: `does not load: ${(error as Error).message}` };
}

/**
 * The asynchronous twin of the builder's key loading: the merchant key and every `certs` entry imported by a crypto
 * backend, all at once. The same checks and the same `ConfigError` issues as `Builder.factory`, naming each field.
 */
export async function importConfigKeys<K>(
  config: BuilderConfig,
  backend: CryptoBackend<K>,
): Promise<{ privateKey: K; platformKeys: PlatformKeys<K> }> {
  const issues: FieldIssue[] = [];
  const certs = config.certs ?? {};
  const [privateKey, ...entries] = await Promise.all([
    backend.importKey(config.privateKey, 'private').catch((error: unknown) => {
      issues.push(loadFailure('privateKey', error));
      return undefined;
    }),
    ...Object.entries(certs).map(([serial, thing]) =>
      backend.importKey(thing, 'public').then(
        (key): [string, K] => [serial, key],
        (error: unknown) => {
          issues.push(loadFailure(`certs.${serial}`, error));
          return undefined;
        },
      ),
    ),
  ]);
  if (Object.hasOwn(certs, config.serial)) {
    issues.push({
      path: `certs.${config.serial}`,
      issue: "is the merchant's own certificate serial, not a WeChat Pay key",
    });
  }
  if (config.apiv3Key !== undefined && Buffer.byteLength(config.apiv3Key) !== 32) {
    issues.push({ path: 'apiv3Key', issue: 'must be 32 bytes' });
  }
  if (backend.name !== 'node' && Object.keys(certs).length === 0) {
    // certificate download decodes X.509 with node:crypto; on WebCrypto the keys must be given
    issues.push({
      path: 'certs',
      issue: `is required with the ${backend.name} backend: give the WeChat Pay public key`,
    });
  }
  if (issues.length > 0 || privateKey === undefined) throw new ConfigError(issues);
  return { privateKey, platformKeys: PlatformKeys.fromImported(entries as Array<[string, K]>) };
}
