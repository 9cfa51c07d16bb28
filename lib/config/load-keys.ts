import type { BuilderConfig } from '../builder';
import { ConfigError, type FieldIssue } from '../errors';
import { PlatformKeys } from '../verify/platform-keys';
import type { CryptoBackend } from './backend';

function loadFailure(path: string, error: unknown): FieldIssue {
  return { path, issue: `does not load: ${(error as Error).message}` };
}

/**
 * The asynchronous twin of the builder's key loading: the merchant key and every `certs` entry imported by a crypto
 * backend, all at once, skipping fields the config check already flagged (`issues`, extended in place), so one
 * `ConfigError` names every bad field, as `Builder.factory` does.
 */
export async function importConfigKeys<K>(
  config: BuilderConfig,
  backend: CryptoBackend<K>,
  issues: FieldIssue[],
): Promise<{ privateKey: K; platformKeys: PlatformKeys<K> }> {
  const flagged = (field: string) => issues.some(({ path }) => path === field || path.startsWith(`${field}.`));
  const given = typeof config.certs === 'object' && config.certs !== null ? config.certs : {};
  const certs = Object.entries(given).filter(([id]) => !flagged(`certs.${id}`));
  const [privateKey, ...entries] = await Promise.all([
    flagged('privateKey')
      ? undefined
      : backend.importKey(config.privateKey, 'private').catch((error: unknown) => {
          issues.push(loadFailure('privateKey', error));
          return undefined;
        }),
    ...certs.map(([serial, thing]) =>
      backend.importKey(thing, 'public').then(
        (key): [string, K] => [serial, key],
        (error: unknown) => {
          issues.push(loadFailure(`certs.${serial}`, error));
          return undefined;
        },
      ),
    ),
  ]);
  if (backend.name !== 'node' && Object.keys(given).length === 0 && !flagged('certs')) {
    // certificate download decodes X.509 with node:crypto; on WebCrypto the keys must be given
    issues.push({
      path: 'certs',
      issue: `is required with the ${backend.name} backend: give the WeChat Pay public key`,
    });
  }
  if (issues.length > 0 || privateKey === undefined) throw new ConfigError(issues);
  return { privateKey, platformKeys: PlatformKeys.fromImported(entries as Array<[string, K]>) };
}
