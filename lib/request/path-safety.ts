import type { FieldIssue } from '../errors';

/**
 * Requests go only to paths relative to baseURL, exactly as their template reads. The URL parser would otherwise
 * re-target them: a scheme or `//host` leaves the host (with a valid Authorization), `.`/`..` segments (also as
 * `%2E`, which WHATWG URL treats the same) climb out of the template, `\` counts as `/` in http(s) URLs, tabs and
 * newlines are silently dropped, and `?`/`#` cut the path short. All of it is refused before any I/O.
 */

const SCHEME = /^[A-Za-z][A-Za-z\d+\-.]*:/;
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;
// eslint-disable-next-line no-control-regex
const DROPPED_BY_URL_PARSER = /[\u0000-\u001f\u007f]/;
const EXPRESSION = /\{(\+?)([A-Za-z0-9_.%]+)\}/g;

function absolute(text: string): boolean {
  return SCHEME.test(text) || /^[/\\]/.test(text);
}

function hasDotSegment(path: string): boolean {
  return path.split(/[/\\]/).some((segment) => DOT_SEGMENT.test(segment));
}

/** Problems of a path template as named through the chain (`instance['v3/...']`, `chain('...')`, property names). */
export function templateSourceIssues(source: string): FieldIssue[] {
  const issues: string[] = [];
  const path = source.split('?')[0]!;
  if (absolute(source)) issues.push('must be a path relative to baseURL, without a scheme or host');
  if (DROPPED_BY_URL_PARSER.test(source)) issues.push('must not contain control characters (tab, newline, ...)');
  if (source.includes('#')) issues.push('must not contain "#" (a fragment is never sent)');
  if (hasDotSegment(path)) issues.push('must not contain "." or ".." segments');
  return issues.map((issue) => ({ path: 'path', issue: `/${source} ${issue}` }));
}

/** Problems of the template variables' values: each would make the expanded path leave its template. */
export function templateValueIssues(source: string, values: Record<string, unknown>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const [, plus, name] of source.matchAll(EXPRESSION)) {
    const raw = values[name!];
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'bigint') continue;
    const value = String(raw);
    const reserved = plus === '+';
    if (!reserved) {
      // `{name}` percent-encodes everything but unreserved characters: only a whole `.` or `..` stays a dot segment
      if (value === '.' || value === '..')
        issues.push({ path: name!, issue: `must not be "${value}" (a dot segment)` });
      continue;
    }
    if (absolute(value)) {
      issues.push({ path: name!, issue: 'must be a relative path, without a scheme, host or leading "/"' });
    } else if (/[?#]/.test(value)) {
      issues.push({ path: name!, issue: 'must not contain "?" or "#" (they would cut the path short)' });
    } else if (hasDotSegment(value)) {
      issues.push({ path: name!, issue: 'must not contain "." or ".." segments' });
    }
  }
  return issues;
}

/** The last word on an expanded path (query excluded): still relative, no dot segment. */
export function expandedPathIssues(path: string): FieldIssue[] {
  if (absolute(path) || DROPPED_BY_URL_PARSER.test(path) || hasDotSegment(path.split('?')[0]!)) {
    return [{ path: 'path', issue: 'expands to a path that leaves its template' }];
  }
  return [];
}
