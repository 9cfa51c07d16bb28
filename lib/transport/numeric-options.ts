/** The longest delay node's timers hold (2^31-1 ms, about 24.8 days); a longer one fires after 1 ms instead. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * axios' numeric options the transport relies on, with the integers each may be: the deadline (`timeout`, 0: none),
 * the reply and body caps (-1: none, as axios reads it) and redirects. A wrong type is refused rather than read as
 * "no limit" (a `'4194304'` from an environment variable would otherwise lift the reply cap).
 */
const RANGES: Readonly<Record<string, readonly [min: number, max: number, note: string]>> = {
  timeout: [0, MAX_TIMEOUT_MS, ' (ms; 0: none)'],
  maxContentLength: [-1, Number.MAX_SAFE_INTEGER, ' (bytes; -1: no cap)'],
  maxBodyLength: [-1, Number.MAX_SAFE_INTEGER, ' (bytes; -1: no cap)'],
  maxRedirects: [0, Number.MAX_SAFE_INTEGER, ''],
};

export const NUMERIC_OPTIONS: readonly string[] = Object.keys(RANGES);

/** What is wrong with `value` as the numeric axios option `name` (undefined: nothing, or not such an option). */
export function numericOptionIssue(name: string, value: unknown): string | undefined {
  const range = Object.hasOwn(RANGES, name) ? RANGES[name] : undefined;
  if (range === undefined || value === undefined) return undefined;
  const [min, max, note] = range;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return max === MAX_TIMEOUT_MS
      ? `must be an integer from ${min} to ${max}${note}`
      : `must be an integer >= ${min}${note}`;
  }
  return undefined;
}
