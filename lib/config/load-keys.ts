import type { CryptoBackend, SyncCryptoBackend } from '../crypto/backend';
import type { KeyKind, KeyLike } from '../crypto/keys';
import { ConfigError, type FieldIssue } from '../errors';
import { PlatformKeys } from '../verify/platform-keys';

/** The key fields of a client config. */
export interface KeyFields {
  privateKey: KeyLike;
  certs?: Record<string, KeyLike>;
}

/** The keys a client runs on, as its crypto backend imported them. */
export interface LoadedKeys<K> {
  privateKey: K;
  platformKeys: PlatformKeys<K>;
}

function loadFailure(path: string, error: unknown): FieldIssue {
  return { path, issue: `does not load: ${(error as Error).message}` };
}

/**
 * The merchant key and every `certs` entry loaded by the client's crypto backend, skipping fields the config check
 * already flagged (`issues`, extended in place), so one `ConfigError` names every bad field and key. At once with a
 * synchronous backend (`Builder.factory`), else as a promise (`Builder.create` on WebCrypto).
 */
export function loadConfigKeys<K>(
  config: KeyFields,
  backend: SyncCryptoBackend<K>,
  issues: FieldIssue[],
): LoadedKeys<K>;
export function loadConfigKeys<K>(
  config: KeyFields,
  backend: CryptoBackend<K>,
  issues: FieldIssue[],
): LoadedKeys<K> | Promise<LoadedKeys<K>>;
export function loadConfigKeys<K>(
  config: KeyFields,
  backend: CryptoBackend<K>,
  issues: FieldIssue[],
): LoadedKeys<K> | Promise<LoadedKeys<K>> {
  const flagged = (field: string) => issues.some(({ path }) => path === field || path.startsWith(`${field}.`));
  const given = typeof config.certs === 'object' && config.certs !== null ? config.certs : {};
  const certs = Object.entries(given).filter(([id]) => !flagged(`certs.${id}`));
  // each key's result in a fixed order (merchant key, then certs as given), failures noted after all settled
  const load = (thing: KeyLike, kind: KeyKind): K | Error | Promise<K | Error> => {
    const failed = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));
    if (!backend.synchronous) return backend.importKey(thing, kind).catch(failed);
    try {
      return backend.loadKeySync(thing, kind);
    } catch (error) {
      return failed(error);
    }
  };
  const fields: Array<[field: string, thing: KeyLike, kind: KeyKind]> = [
    ...(flagged('privateKey') ? [] : [['privateKey', config.privateKey, 'private'] as [string, KeyLike, KeyKind]]),
    ...certs.map(([id, thing]): [string, KeyLike, KeyKind] => [`certs.${id}`, thing, 'public']),
  ];
  const finish = (results: Array<K | Error>): LoadedKeys<K> => {
    let privateKey: K | undefined;
    const entries: Array<[string, K]> = [];
    results.forEach((result, index) => {
      const field = fields[index]![0];
      if (result instanceof Error) issues.push(loadFailure(field, result));
      else if (field === 'privateKey') privateKey = result;
      else entries.push([field.slice('certs.'.length), result]);
    });
    if (backend.name !== 'node' && Object.keys(given).length === 0 && !flagged('certs')) {
      // certificate download decodes X.509 with node:crypto; on WebCrypto the keys must be given
      issues.push({
        path: 'certs',
        issue: `is required with the ${backend.name} backend: give the WeChat Pay public key`,
      });
    }
    if (issues.length > 0 || privateKey === undefined) throw new ConfigError(issues);
    return { privateKey, platformKeys: PlatformKeys.fromImported(entries) };
  };
  const results = fields.map(([, thing, kind]) => load(thing, kind));
  return results.some((result) => result instanceof Promise)
    ? Promise.all(results).then(finish)
    : finish(results as Array<K | Error>);
}
