/**
 * Where a JSON text stops being JSON, without quoting it: `JSON.parse`'s message quotes the source around the
 * error, which in a credentials file is part of a key. A small scanner of the JSON grammar (RFC 8259) finds the
 * offset of the first error and the field being read there.
 */
export interface JsonErrorLocation {
  line: number;
  column: number;
  /** The dotted path of the field whose value (or the member after which) the error sits, when known. */
  field?: string;
  /** What was expected there, in words that quote nothing of the source. */
  expected: string;
}

class Stop {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'];

function scan(text: string, path: string[]): void {
  let at = 0;
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  };
  const string = (): string => {
    const start = ++at;
    for (;;) {
      if (at >= text.length) throw new Stop(at, 'a closing " for the string');
      const char = text.charCodeAt(at);
      if (char === 0x22) break;
      if (char < 0x20) throw new Stop(at, 'no control character inside a string (write \\n, \\t)');
      if (char === 0x5c) {
        const escape = text[at + 1];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) throw new Stop(at, 'four hex digits after \\u');
          at += 6;
          continue;
        }
        if (escape === undefined || !'"\\/bfnrt'.includes(escape))
          throw new Stop(at, 'a valid escape (\\" \\\\ \\n ...)');
        at += 2;
        continue;
      }
      at++;
    }
    at++;
    return JSON.parse(text.slice(start - 1, at)) as string;
  };
  const value = (): void => {
    space();
    const char = text[at];
    if (char === '{') return object();
    if (char === '[') return array();
    if (char === '"') return void string();
    NUMBER.lastIndex = at;
    if (NUMBER.test(text)) {
      at = NUMBER.lastIndex;
      return;
    }
    const literal = LITERALS.find((word) => text.startsWith(word, at));
    if (literal) {
      at += literal.length;
      return;
    }
    throw new Stop(at, 'a value: a "double-quoted" string, a number, true, false, null, an object or an array');
  };
  const object = (): void => {
    at++;
    space();
    if (text[at] === '}') return void at++;
    for (;;) {
      space();
      if (text[at] !== '"') throw new Stop(at, 'a "double-quoted" field name');
      path.push(string());
      space();
      if (text[at] !== ':') throw new Stop(at, 'a : after the field name');
      at++;
      value();
      space();
      if (text[at] === ',') {
        path.pop();
        at++;
        continue;
      }
      if (text[at] === '}') {
        path.pop();
        return void at++;
      }
      throw new Stop(at, 'a , or } after the value');
    }
  };
  const array = (): void => {
    at++;
    space();
    if (text[at] === ']') return void at++;
    for (let index = 0; ; index++) {
      path.push(String(index));
      value();
      path.pop();
      space();
      if (text[at] === ',') {
        at++;
        continue;
      }
      if (text[at] === ']') return void at++;
      throw new Stop(at, 'a , or ] after the item');
    }
  };
  value();
  space();
  if (at < text.length) throw new Stop(at, 'the end of the file after the value');
}

/** The first syntax error of `text`, or undefined when it is JSON. */
export function locateJsonError(text: string): JsonErrorLocation | undefined {
  const path: string[] = [];
  try {
    scan(text, path);
    return undefined;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    const before = text.slice(0, error.offset);
    const line = before.split('\n').length;
    const column = error.offset - before.lastIndexOf('\n');
    // a field name is printed only when it looks like one: never a long run of text from the source
    const field =
      path.length > 0 && path.every((key) => /^[A-Za-z0-9_.-]{1,48}$/.test(key)) ? path.join('.') : undefined;
    return { line, column, field, expected: error.expected };
  }
}
