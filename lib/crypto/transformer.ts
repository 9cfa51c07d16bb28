import { MAX_XML_DEPTH, XML_NAME, XML_TEXT, XmlError, XmlReader, type XmlObject } from './xml-reader';

export { XmlError, MAX_XML_DEPTH, XML_TEXT, type XmlObject, type XmlValue } from './xml-reader';

function toCdata(value: string): string {
  return `<![CDATA[${value.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** A plain object (what toObject gives): its fields become child elements. */
function isElementGroup(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** An object of its own making with a `toString` of its own (PHP's `Stringable`), not `Object.prototype`'s. */
function isStringable(value: object): boolean {
  const toString = (value as { toString?: unknown }).toString;
  return typeof toString === 'function' && toString !== Object.prototype.toString && !Array.isArray(value);
}

function scalarText(value: unknown, where: string): string {
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'object' && value !== null && !(value instanceof Date) && isStringable(value)) {
    const text = String(value);
    if (typeof text === 'string') return text;
  }
  // a Date, Map or class instance has no one XML form: refuse it rather than write '' or '[object Object]'
  if (typeof value === 'symbol' || typeof value === 'function' || (typeof value === 'object' && value !== null)) {
    const kind = typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
    throw new XmlError(`${where} is a ${kind}, which has no XML form`);
  }
  return String(value);
}

function checkName(name: string, where: string): void {
  if (!XML_NAME.test(name)) throw new XmlError(`${where}: ${JSON.stringify(name)} is not a valid XML element name`);
}

function element(name: string, value: unknown, path: string, depth: number): string {
  if (Array.isArray(value)) throw new XmlError(`${path} is an array inside an array, which has no XML form`);
  const group = isElementGroup(value) && !Object.hasOwn(value, 'toString');
  const inner = group ? elementsOf(value, path, depth + 1) : toCdata(scalarText(value, path));
  return `<${name}>${inner}</${name}>`;
}

function elementsOf(thing: Record<string, unknown>, path: string, depth: number): string {
  // depth also stops a circular object, which would otherwise overflow the stack
  if (depth > MAX_XML_DEPTH) throw new XmlError(`${path} nests deeper than ${MAX_XML_DEPTH} elements`);
  let out = '';
  for (const [name, value] of Object.entries(thing)) {
    if (value === undefined || value === null) continue;
    const where = `${path}.${name}`;
    if (name === XML_TEXT) {
      out += toCdata(scalarText(value, where));
      continue;
    }
    checkName(name, path);
    // an array is what toObject makes of a repeated element: write it back as repeated elements
    if (Array.isArray(value)) {
      value.forEach((item: unknown, index) => {
        if (item !== undefined && item !== null) out += element(name, item, `${where}[${index}]`, depth);
      });
    } else {
      out += element(name, value, where, depth);
    }
  }
  return out;
}

/**
 * APIv2 XML <-> object, as wechatpay-php's `Transformer`. Entities are never expanded beyond the five
 * predefined ones. `toXml(toObject(xml))` keeps what `toObject` read: repeated elements (arrays) and text
 * beside elements or in the root (under `'#text'`).
 */
export const Transformer = {
  toObject(xml: string | Buffer): XmlObject {
    return new XmlReader(typeof xml === 'string' ? xml : xml.toString('utf8')).parseDocument();
  },

  /**
   * wechatpay-php's `toXml($data, $headless = true, $indent = false, $root = 'xml')`: `headless: false` starts with
   * the XML declaration, `indent: true` puts each element on its own line (one space per level, as PHP's
   * XMLWriter). Values are written in CDATA; objects with a `toString` of their own (Stringable) are written as
   * that text. Arrays are repeated elements, so `toXml(toObject(xml))` keeps what was read.
   */
  toXml(thing: Record<string, unknown>, headless = true, indent = false, root = 'xml'): string {
    if (typeof headless !== 'boolean')
      throw new XmlError('toXml: headless must be a boolean (the root is the 4th argument)');
    if (typeof indent !== 'boolean') throw new XmlError('toXml: indent must be a boolean');
    checkName(root, 'root');
    if (!isElementGroup(thing)) throw new XmlError('toXml takes an object of fields');
    const body = `<${root}>${elementsOf(thing, root, 1)}</${root}>`;
    const xml = indent ? indented(body) : body;
    return headless ? xml : `<?xml version="1.0" encoding="UTF-8"?>\n${xml}${indent ? '' : '\n'}`;
  },
};

/** Our own output re-laid one element per line: tags never occur inside CDATA sections, which are kept whole. */
function indented(xml: string): string {
  const tokens = xml.match(/<!\[CDATA\[[\s\S]*?\]\]>|<\/?[^>]+>/g) ?? [];
  let out = '';
  let depth = 0;
  let openLine = false;
  for (const token of tokens) {
    if (token.startsWith('</')) {
      depth--;
      out += openLine ? `${token}\n` : `${' '.repeat(depth)}${token}\n`;
      openLine = false;
    } else if (token.startsWith('<![CDATA[')) {
      out += token;
    } else {
      if (openLine) out += '\n';
      out += `${' '.repeat(depth)}${token}`;
      depth++;
      openLine = true;
    }
  }
  return out;
}
