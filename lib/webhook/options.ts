import type { KeyLike, KeyLoadError } from '../crypto/keys';
import { ConfigError, type FieldIssue } from '../errors';
import { PlatformKeys } from '../verify/platform-keys';
import { ReplayGuard, type ReplayGuardOptions } from './replay-guard';

export interface WebhookSettings {
  keys: PlatformKeys;
  apiv3Key: string;
  replays?: ReplayGuard;
}

function keysOf(certs: unknown, issues: FieldIssue[]): PlatformKeys | undefined {
  if (certs === undefined || certs === null) {
    issues.push({ path: 'certs', issue: 'is required: the WeChat Pay key(s) callbacks are signed with' });
    return undefined;
  }
  try {
    const keys = certs instanceof PlatformKeys ? certs : new PlatformKeys(certs as Record<string, KeyLike>);
    if (keys.size > 0) return keys;
    issues.push({ path: 'certs', issue: 'is required: the WeChat Pay key(s) callbacks are signed with' });
  } catch (error) {
    issues.push({
      path: (error as KeyLoadError).field ?? 'certs',
      issue: `does not load: ${(error as Error).message}`,
    });
  }
  return undefined;
}

function replayGuardOf(setting: unknown, issues: FieldIssue[]): ReplayGuard | undefined {
  if (setting === undefined || setting === false) return undefined;
  if (setting === true) return new ReplayGuard();
  if (typeof setting !== 'object' || setting === null) {
    issues.push({ path: 'replayGuard', issue: 'must be boolean or { ttlSeconds, maxEntries }' });
    return undefined;
  }
  const options = setting as Record<string, unknown>;
  for (const [field, value] of Object.entries(options)) {
    if (field !== 'ttlSeconds' && field !== 'maxEntries') {
      issues.push({ path: `replayGuard.${field}`, issue: 'is not a known option' });
    } else if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 1)) {
      issues.push({ path: `replayGuard.${field}`, issue: 'must be a positive integer' });
    }
  }
  return new ReplayGuard(options as ReplayGuardOptions);
}

/** Check a Webhook's options, naming every bad field in one ConfigError; key contents are parsed once, here. */
export function webhookSettings(options: unknown): WebhookSettings {
  const bag = (typeof options === 'object' && options !== null ? options : {}) as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  const keys = keysOf(bag.certs, issues);
  const { apiv3Key } = bag;
  if (apiv3Key === undefined || apiv3Key === null) {
    issues.push({ path: 'apiv3Key', issue: 'is required to decrypt callbacks' });
  } else if (typeof apiv3Key !== 'string') issues.push({ path: 'apiv3Key', issue: 'must be a string' });
  else if (Buffer.byteLength(apiv3Key) !== 32) issues.push({ path: 'apiv3Key', issue: 'must be 32 bytes' });
  const replays = replayGuardOf(bag.replayGuard, issues);
  if (issues.length > 0 || !keys) throw new ConfigError(issues);
  return { keys, apiv3Key: apiv3Key as string, replays };
}
