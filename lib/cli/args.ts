import { parseArgs, type ParseArgsConfig } from 'node:util';
import { VERSION } from '../version';

/** The user typed something the CLI cannot take; the message is followed by the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(message: string, usage?: string) {
    super(usage === undefined ? message : `${message}\n\n${usage}`);
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** What every command accepts besides its own options. */
const COMMON: Options = {
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', default: false },
};

export type Parsed = {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /** `-h/--help` or `--version` was given and its text printed: the command should stop. */
  done: boolean;
};

/**
 * node:util's parseArgs, strict, with `-h/--help` and `--version` on every command. Its own errors
 * ("Unknown option '--nope'") become a UsageError carrying the command's usage, so the user sees what is valid.
 */
export function parseCommand(
  argv: string[],
  options: Options,
  usage: string,
  out: (line: string) => void,
  allowPositionals = false,
): Parsed {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: { ...COMMON, ...options }, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError((error as Error).message, usage);
  }
  const values = parsed.values as Parsed['values'];
  if (values.help === true) {
    out(usage);
    return { values, positionals: parsed.positionals, done: true };
  }
  if (values.version === true) {
    out(VERSION);
    return { values, positionals: parsed.positionals, done: true };
  }
  return { values, positionals: parsed.positionals, done: false };
}

/** A whole, non-negative decimal number (`--port 8080`), or a UsageError naming the flag. */
export function integerOption(flag: string, value: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(value) || Number(value) > max) {
    throw new UsageError(`--${flag} must be a whole number from 0 to ${max}, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** `k=v` (or `K:V` for headers) pairs, split at the first separator; an empty key is a UsageError naming the flag. */
export function pairs(flag: string, items: string[] | undefined, separator: '=' | ':'): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of items ?? []) {
    const at = item.indexOf(separator);
    const key = at < 0 ? '' : item.slice(0, at).trim();
    if (key === '') throw new UsageError(`--${flag} takes NAME${separator}VALUE, got ${JSON.stringify(item)}`);
    result[key] = separator === ':' ? item.slice(at + 1).trim() : item.slice(at + 1);
  }
  return result;
}
