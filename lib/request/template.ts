/** A parsed RFC 6570 level-2 template: simple `{name}` and reserved `{+name}` expressions. */
export interface CompiledTemplate {
  readonly source: string;
  readonly variables: readonly string[];
  expand(values: Record<string, unknown>): string;
}

/** Raised for a variable with no usable value; the caller turns it into a `ValidationError`. */
export class TemplateValueError extends Error {
  constructor(
    readonly variable: string,
    readonly issue: string,
  ) {
    super(`${variable}: ${issue}`);
  }
}

type Part = string | { name: string; reserved: boolean };

const UNRESERVED = /[A-Za-z0-9\-._~]/;
const RESERVED_KEPT = /[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]/;

function encode(value: string, reserved: boolean): string {
  let out = '';
  const keep = reserved ? RESERVED_KEPT : UNRESERVED;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (keep.test(ch)) out += ch;
    else if (reserved && ch === '%' && /^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) out += ch;
    else {
      const code = value.codePointAt(i)!;
      const char = String.fromCodePoint(code);
      if (char.length === 2) i++;
      for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

function valueOf(name: string, raw: unknown): string {
  if (raw === undefined || raw === null || raw === '') {
    throw new TemplateValueError(name, `template variable {${name}} has no value`);
  }
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'bigint') return String(raw);
  throw new TemplateValueError(name, `template variable {${name}} must be a string or number, got ${typeof raw}`);
}

export function compileTemplate(source: string): CompiledTemplate {
  const parts: Part[] = [];
  const variables: string[] = [];
  const pattern = /\{(\+?)([A-Za-z0-9_.%]+)\}/g;
  let last = 0;
  for (let match = pattern.exec(source); match; match = pattern.exec(source)) {
    if (match.index > last) parts.push(source.slice(last, match.index));
    parts.push({ name: match[2]!, reserved: match[1] === '+' });
    variables.push(match[2]!);
    last = match.index + match[0].length;
  }
  if (last < source.length) parts.push(source.slice(last));
  if (/[{}]/.test(parts.filter((part) => typeof part === 'string').join(''))) {
    throw new SyntaxError(`malformed URI template ${JSON.stringify(source)}`);
  }
  if (variables.length === 0) return { source, variables, expand: () => source };
  return {
    source,
    variables,
    expand(values) {
      let out = '';
      for (const part of parts) {
        out += typeof part === 'string' ? part : encode(valueOf(part.name, values[part.name]), part.reserved);
      }
      return out;
    },
  };
}
