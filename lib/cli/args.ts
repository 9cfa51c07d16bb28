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

/** The closest known option (edit distance at most 2), for "did you mean". */
function closest(name: string, known: string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
    for (let i = 1; i <= a.length; i++) {
      const current = [i];
      for (let j = 1; j <= b.length; j++)
        current[j] = Math.min(
          previous[j]! + 1,
          current[j - 1]! + 1,
          previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
        );
      previous = current;
    }
    return previous[b.length]!;
  };
  const [best] = known
    .map((candidate) => ({ candidate, score: distance(name, candidate) }))
    .filter(({ score }) => score <= 2)
    .sort((a, b) => a.score - b.score);
  return best?.candidate;
}

/**
 * Checks the command line against the command's options in our own words (parseArgs' strict messages are
 * Node's, and talk about `--` and positionals): an unknown option with a "did you mean", a missing value, a value
 * given to a flag, an argument where none is taken.
 */
function checkTokens(argv: string[], options: Options, usage: string, allowPositionals: boolean): void {
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const names = Object.keys(options);
  for (const token of tokens) {
    if (token.kind === 'positional' && !allowPositionals)
      throw new UsageError(
        `unexpected argument ${JSON.stringify(token.value)}: this command takes options only`,
        usage,
      );
    if (token.kind !== 'option') continue;
    const spelled = token.rawName;
    const option = options[token.name];
    if (!option) {
      const hint = closest(token.name, names);
      throw new UsageError(`unknown option ${spelled}${hint ? ` (did you mean --${hint}?)` : ''}`, usage);
    }
    if (option.type === 'string' && token.value === undefined) throw new UsageError(`${spelled} needs a value`, usage);
    if (option.type === 'string' && token.inlineValue === false && token.value!.startsWith('-'))
      throw new UsageError(`${spelled} needs a value (one starting with "-" is written ${spelled}=VALUE)`, usage);
    if (option.type === 'boolean' && token.value !== undefined)
      throw new UsageError(`${spelled} is a switch and takes no value`, usage);
  }
}

/**
 * node:util's parseArgs, strict, with `-h/--help` and `--version` on every command. A command line it would
 * refuse is refused first in our words, as a UsageError carrying the command's usage, so the user sees what is valid.
 */
export function parseCommand(
  argv: string[],
  options: Options,
  usage: string,
  out: (line: string) => void,
  allowPositionals = false,
): Parsed {
  const all = { ...COMMON, ...options };
  checkTokens(argv, all, usage, allowPositionals);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: all, strict: true, allowPositionals });
  } catch {
    // checkTokens refuses every line strict parsing refuses; this is a guard, still in our words
    throw new UsageError('the command line could not be read', usage);
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
