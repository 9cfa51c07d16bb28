import type { KeyLike, KeyLoadError } from '../crypto/keys';
import { ConfigError, type FieldIssue } from '../errors';
import { hooksIssues, type ClientLogger } from '../observe/observer';
import { missingStoreMethods } from '../store/store';
import { PlatformKeys } from '../verify/platform-keys';
import { apiv3KeyIssue } from '../config/apiv3-key';
import { ReplayGuard, StoreReplayGuard, type ReplayGuardOptions } from './replay-guard';

export interface WebhookSettings {
  keys: PlatformKeys;
  apiv3Key: string;
  replays?: ReplayGuard;
  sharedReplays?: StoreReplayGuard;
}

/** The options each front door takes: anything else is a typo (`replayGaurd`) that would silently turn a guard off. */
export const WEBHOOK_OPTIONS = ['certs', 'apiv3Key', 'now', 'replayGuard', 'logger'] as const;
export const FETCH_WEBHOOK_OPTIONS = ['certs', 'apiv3Key', 'backend', 'now', 'replayGuard', 'logger'] as const;
const REPLAY_GUARD_OPTIONS = ['ttlSeconds', 'maxEntries', 'store'] as const;

/** An issue per option not in `known`, with the nearest known name when one is close ("did you mean"). */
export function unknownOptionIssues(bag: object, known: readonly string[], prefix = ''): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const [name, value] of Object.entries(bag)) {
    // an option left undefined sets nothing, as Builder.factory treats it
    if (value === undefined || known.includes(name)) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- only a mistyped option needs it
    const near = (require('../config/suggest') as typeof import('../config/suggest')).suggest(name, known);
    issues.push({
      path: `${prefix}${name}`,
      issue: `is not a known option (${known.join(', ')})${near ? `; did you mean \`${near}\`?` : ''}`,
    });
  }
  return issues;
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

function replayGuardIssues(options: Record<string, unknown>): FieldIssue[] {
  const issues = unknownOptionIssues(options, REPLAY_GUARD_OPTIONS, 'replayGuard.');
  for (const field of ['ttlSeconds', 'maxEntries']) {
    const value = options[field];
    if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 1)) {
      issues.push({ path: `replayGuard.${field}`, issue: 'must be a positive integer' });
    }
  }
  if (options.store !== undefined) {
    const missing = missingStoreMethods(options.store);
    if (missing.length > 0) {
      issues.push({
        path: 'replayGuard.store',
        issue: `must be a store (get, set, setIfAbsent, delete): ${missing.join(', ')} missing`,
      });
    }
    if (options.maxEntries !== undefined) {
      issues.push({ path: 'replayGuard.maxEntries', issue: 'applies to the in-memory guard only, not to a store' });
    }
  }
  return issues;
}

/** The replay guard an option asks for: in memory (`true`, `{ ttlSeconds, maxEntries }`) or over a store. */
export function replayGuardOf(
  setting: unknown,
  logger: ClientLogger | undefined,
  issues: FieldIssue[],
): Pick<WebhookSettings, 'replays' | 'sharedReplays'> {
  if (setting === undefined || setting === false) return {};
  if (setting === true) return { replays: new ReplayGuard() };
  if (typeof setting !== 'object' || setting === null) {
    issues.push({
      path: 'replayGuard',
      issue: 'must be boolean or { ttlSeconds, maxEntries } or { store, ttlSeconds }',
    });
    return {};
  }
  const options = setting as Record<string, unknown>;
  const found = replayGuardIssues(options);
  issues.push(...found);
  if (found.length > 0) return {};
  const { store, ttlSeconds } = options as ReplayGuardOptions;
  if (store) return { sharedReplays: new StoreReplayGuard(store, ttlSeconds, logger) };
  return { replays: new ReplayGuard(options as ReplayGuardOptions) };
}

/** `logger` is checked as the client's `logger` is: an object whose level methods are functions. */
export function loggerIssues(logger: unknown): FieldIssue[] {
  if (logger === undefined) return [];
  if (typeof logger !== 'object' || logger === null) return [{ path: 'logger', issue: 'must be object' }];
  return hooksIssues({ logger });
}

/** Check a Webhook's options, naming every bad field in one ConfigError; key contents are parsed once, here. */
export function webhookSettings(options: unknown): WebhookSettings {
  const bag = (typeof options === 'object' && options !== null ? options : {}) as Record<string, unknown>;
  const issues: FieldIssue[] = unknownOptionIssues(bag, WEBHOOK_OPTIONS);
  const keys = keysOf(bag.certs, issues);
  const { apiv3Key } = bag;
  if (apiv3Key === undefined || apiv3Key === null) {
    issues.push({ path: 'apiv3Key', issue: 'is required to decrypt callbacks' });
  } else {
    const issue = apiv3KeyIssue(apiv3Key);
    if (issue !== undefined) issues.push({ path: 'apiv3Key', issue });
  }
  if (bag.now !== undefined && typeof bag.now !== 'function') issues.push({ path: 'now', issue: 'must be a function' });
  issues.push(...loggerIssues(bag.logger));
  const guards = replayGuardOf(bag.replayGuard, bag.logger as ClientLogger | undefined, issues);
  if (issues.length > 0 || !keys) throw new ConfigError(issues);
  return { keys, apiv3Key: apiv3Key as string, ...guards };
}
