/**
 * The APIv2 XML reader behind `Transformer.toObject`: elements and text only. No DOCTYPE, no entity
 * expansion beyond the five predefined ones, a depth limit, and XML 1.0's character rules, so that hostile
 * or broken input ends in an `XmlError` instead of a stack overflow or a raw `RangeError`.
 */

/** Raised for XML the toolkit will not read or cannot write; a `SyntaxError`, as `JSON.parse` raises. */
export class XmlError extends SyntaxError {
  override readonly name = 'XmlError';
}

export type XmlValue = string | XmlObject | XmlValue[];
export interface XmlObject {
  [name: string]: XmlValue;
}

/** APIv2 documents are one or two levels deep; far deeper nesting is hostile and would exhaust the stack. */
export const MAX_XML_DEPTH = 64;
/** Where text that sits next to child elements (or directly in the root) is kept, as fast-xml-parser does. */
export const XML_TEXT = '#text';

export const XML_NAME = /^[A-Za-z_][\w.-]*$/;
const OPEN_TAG = /<([A-Za-z_][\w.-]*)(?:\s[^>]*?)?(\/?)>/y;
const CLOSE_TAG = /<\/([A-Za-z_][\w.-]*)\s*>/y;
const SPACE = /\s*/y;
const REFERENCE = /&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_][\w.-]*);/g;
// XML 1.0 `Char`; with the `u` flag a lone surrogate is a code point of its own and falls outside it.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function codePointName(code: number): string {
  return Number.isSafeInteger(code) ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : 'a huge number';
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

function unescapeText(text: string): string {
  return text.replace(REFERENCE, (_whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!isXmlChar(code)) {
        throw new XmlError(`XML character reference &${ref}; is not a valid XML character (${codePointName(code)})`);
      }
      return String.fromCodePoint(code);
    }
    const known = PREDEFINED[ref];
    if (known === undefined) throw new XmlError(`XML entity &${ref}; is not allowed (no entity expansion)`);
    return known;
  });
}

function hasText(text: string): boolean {
  return /\S/.test(text);
}

export class XmlReader {
  private at = 0;
  constructor(private readonly text: string) {}

  parseDocument(): XmlObject {
    const bad = NOT_XML_CHAR.exec(this.text);
    if (bad) {
      const code = bad[0].codePointAt(0)!;
      throw new XmlError(`XML has ${codePointName(code)} at offset ${bad.index}, which is not a valid XML character`);
    }
    this.skipMisc();
    if (/^<!DOCTYPE|^<!ENTITY/i.test(this.text.slice(this.at, this.at + 9))) {
      throw new XmlError('XML with a DOCTYPE or ENTITY declaration is refused');
    }
    const [, root] = this.readElement(1);
    this.skipMisc();
    if (this.at !== this.text.length) throw new XmlError('XML has content after the root element');
    if (typeof root === 'string') return root === '' ? {} : { [XML_TEXT]: root };
    return root as XmlObject;
  }

  private skipMisc(): void {
    for (;;) {
      SPACE.lastIndex = this.at;
      SPACE.exec(this.text);
      this.at = SPACE.lastIndex;
      if (this.text.startsWith('<?', this.at)) this.at = this.indexAfter('?>');
      else if (this.text.startsWith('<!--', this.at)) this.at = this.indexAfter('-->');
      else return;
    }
  }

  private indexAfter(marker: string): number {
    const end = this.text.indexOf(marker, this.at);
    if (end < 0) throw new XmlError(`XML is missing "${marker}"`);
    return end + marker.length;
  }

  private readElement(depth: number): [name: string, value: XmlValue] {
    if (depth > MAX_XML_DEPTH) throw new XmlError(`XML nests deeper than ${MAX_XML_DEPTH} elements`);
    OPEN_TAG.lastIndex = this.at;
    const open = OPEN_TAG.exec(this.text);
    if (!open) throw new XmlError(`XML element expected at offset ${this.at}`);
    this.at = OPEN_TAG.lastIndex;
    const name = open[1]!;
    if (open[2] === '/') return [name, ''];
    let text = '';
    const children = new Map<string, XmlValue>();
    for (;;) {
      const next = this.text.indexOf('<', this.at);
      if (next < 0) throw new XmlError(`XML element <${name}> is not closed`);
      if (next > this.at) text += unescapeText(this.text.slice(this.at, next));
      this.at = next;
      if (this.text.startsWith('</', next)) {
        CLOSE_TAG.lastIndex = next;
        const close = CLOSE_TAG.exec(this.text);
        if (!close || close[1] !== name) throw new XmlError(`XML element <${name}> is not closed`);
        this.at = CLOSE_TAG.lastIndex;
        return [name, children.size === 0 ? text : withText(children, text)];
      }
      if (this.text.startsWith('<![CDATA[', next)) {
        const end = this.text.indexOf(']]>', next);
        if (end < 0) throw new XmlError('XML CDATA section is not closed');
        text += this.text.slice(next + 9, end);
        this.at = end + 3;
      } else if (this.text.startsWith('<!--', next)) {
        this.at = this.indexAfter('-->');
      } else if (this.text.startsWith('<?', next)) {
        this.at = this.indexAfter('?>');
      } else if (this.text.startsWith('<!', next)) {
        throw new XmlError('XML declarations inside elements are refused');
      } else {
        const [childName, value] = this.readElement(depth + 1);
        // a repeated element becomes an array (values are otherwise strings or objects, never arrays)
        const existing = children.get(childName);
        if (existing === undefined) children.set(childName, value);
        else if (Array.isArray(existing)) existing.push(value);
        else children.set(childName, [existing, value]);
      }
    }
  }
}

// Object.fromEntries defines own properties, so an element named `__proto__` stays data, not a prototype.
function withText(children: Map<string, XmlValue>, text: string): XmlObject {
  const object = Object.fromEntries(children) as XmlObject;
  return hasText(text) ? { [XML_TEXT]: text, ...object } : object;
}
