export type XmlValue = string | XmlObject | XmlValue[];
export interface XmlObject {
  [name: string]: XmlValue;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** APIv2 documents are flat; far deeper nesting is hostile and would exhaust the stack. */
export const MAX_XML_DEPTH = 64;

/** XML 1.0 `Char`: a character reference outside it (NUL, a lone surrogate, past U+10FFFF) is not XML. */
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
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (_whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!isXmlChar(code)) throw new SyntaxError(`XML character reference &${ref}; is not a valid XML character`);
      return String.fromCodePoint(code);
    }
    const known = PREDEFINED[ref];
    if (known === undefined) throw new SyntaxError(`XML entity &${ref}; is not allowed (no entity expansion)`);
    return known;
  });
}

class XmlReader {
  private at = 0;
  constructor(private readonly text: string) {}

  parseDocument(): XmlObject {
    this.skipProlog();
    const root = this.readElement(1);
    this.skipMisc();
    if (this.at !== this.text.length) throw new SyntaxError('XML has content after the root element');
    return typeof root.value === 'object' && !Array.isArray(root.value) ? root.value : {};
  }

  private skipProlog(): void {
    this.skipMisc();
    if (/^<!DOCTYPE|^<!ENTITY/i.test(this.text.slice(this.at, this.at + 9))) {
      throw new SyntaxError('XML with a DOCTYPE or ENTITY declaration is refused');
    }
  }

  private skipMisc(): void {
    for (;;) {
      const rest = this.text.slice(this.at);
      const space = /^\s+/.exec(rest);
      if (space) {
        this.at += space[0].length;
        continue;
      }
      if (rest.startsWith('<?')) this.at = this.indexAfter('?>');
      else if (rest.startsWith('<!--')) this.at = this.indexAfter('-->');
      else return;
    }
  }

  private indexAfter(marker: string): number {
    const end = this.text.indexOf(marker, this.at);
    if (end < 0) throw new SyntaxError(`XML is missing "${marker}"`);
    return end + marker.length;
  }

  private readElement(depth: number): { name: string; value: XmlValue } {
    if (depth > MAX_XML_DEPTH) throw new SyntaxError(`XML nests deeper than ${MAX_XML_DEPTH} elements`);
    const open = /^<([A-Za-z_][\w.-]*)(\s[^>]*?)?(\/?)>/.exec(this.text.slice(this.at));
    if (!open) throw new SyntaxError(`XML element expected at offset ${this.at}`);
    this.at += open[0].length;
    const name = open[1]!;
    if (open[3] === '/') return { name, value: '' };
    let text = '';
    const children: XmlObject = {};
    let hasChildren = false;
    for (;;) {
      const rest = this.text.slice(this.at, this.at + 9);
      if (rest.startsWith('</')) {
        const close = `</${name}>`;
        if (!this.text.startsWith(close, this.at)) throw new SyntaxError(`XML element <${name}> is not closed`);
        this.at += close.length;
        return { name, value: hasChildren ? children : text };
      }
      if (rest.startsWith('<![CDATA[')) {
        const end = this.text.indexOf(']]>', this.at);
        if (end < 0) throw new SyntaxError('XML CDATA section is not closed');
        text += this.text.slice(this.at + 9, end);
        this.at = end + 3;
      } else if (rest.startsWith('<!--')) {
        this.at = this.indexAfter('-->');
      } else if (rest.startsWith('<!')) {
        throw new SyntaxError('XML declarations inside elements are refused');
      } else if (rest.startsWith('<')) {
        const child = this.readElement(depth + 1);
        hasChildren = true;
        const existing = children[child.name];
        if (existing === undefined) children[child.name] = child.value;
        else if (Array.isArray(existing)) existing.push(child.value);
        else children[child.name] = [existing, child.value];
      } else {
        const next = this.text.indexOf('<', this.at);
        if (next < 0) throw new SyntaxError(`XML element <${name}> is not closed`);
        text += unescapeText(this.text.slice(this.at, next));
        this.at = next;
      }
    }
  }
}

function toCdata(value: string): string {
  return `<![CDATA[${value.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

function elementsOf(thing: Record<string, unknown>): string {
  let out = '';
  for (const [name, value] of Object.entries(thing)) {
    if (value === undefined || value === null) continue;
    if (!/^[A-Za-z_][\w.-]*$/.test(name))
      throw new SyntaxError(`${JSON.stringify(name)} is not a valid XML element name`);
    const inner =
      typeof value === 'object' && !Buffer.isBuffer(value)
        ? elementsOf(value as Record<string, unknown>)
        : toCdata(String(value));
    out += `<${name}>${inner}</${name}>`;
  }
  return out;
}

/** APIv2 XML <-> object, as wechatpay-php's `Transformer`. Entities are never expanded beyond the five predefined ones. */
export const Transformer = {
  toObject(xml: string | Buffer): XmlObject {
    return new XmlReader(typeof xml === 'string' ? xml : xml.toString('utf8')).parseDocument();
  },

  toXml(thing: Record<string, unknown>, root = 'xml'): string {
    return `<${root}>${elementsOf(thing)}</${root}>`;
  },
};
