import { MAX_XML_DEPTH, XML_NAME, XML_TEXT, XmlError, XmlReader, type XmlObject } from './xml-reader';

export { XmlError, MAX_XML_DEPTH, XML_TEXT, type XmlObject, type XmlValue } from './xml-reader';

function toCdata(value: string): string {
  return `<![CDATA[${value.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

function isElementGroup(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

function scalarText(value: unknown, where: string): string {
  if (typeof value === 'symbol' || typeof value === 'function') {
    throw new XmlError(`${where} is a ${typeof value}, which has no XML form`);
  }
  return String(value);
}

function checkName(name: string, where: string): void {
  if (!XML_NAME.test(name)) throw new XmlError(`${where}: ${JSON.stringify(name)} is not a valid XML element name`);
}

function element(name: string, value: unknown, path: string, depth: number): string {
  if (Array.isArray(value)) throw new XmlError(`${path} is an array inside an array, which has no XML form`);
  const inner = isElementGroup(value) ? elementsOf(value, path, depth + 1) : toCdata(scalarText(value, path));
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

  toXml(thing: Record<string, unknown>, root = 'xml'): string {
    checkName(root, 'root');
    if (!isElementGroup(thing)) throw new XmlError('toXml takes an object of fields');
    return `<${root}>${elementsOf(thing, root, 1)}</${root}>`;
  },
};
