/**
 * The catalog names encrypted fields by dotted paths with `[]` for array items (`contact_info.contact_name`,
 * `items[].id_card`); these walk such a path through a value. Copies, never mutation: the caller's options bag
 * is left as given.
 */
export type FieldVisit = (value: unknown, where: string) => unknown;

/** A copy of `node` with `visit` applied at every value `path` reaches; `where` names it (`json.items[0].id`). */
export function mapAt(node: unknown, path: string, visit: FieldVisit, where: string): unknown {
  return walk(node, path.split('.'), visit, where);
}

function walk(node: unknown, parts: string[], visit: FieldVisit, where: string): unknown {
  if (parts.length === 0) return visit(node, where);
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
  const [head, ...rest] = parts as [string, ...string[]];
  const isList = head.endsWith('[]');
  const name = isList ? head.slice(0, -2) : head;
  const record = node as Record<string, unknown>;
  const value = record[name];
  if (value === undefined || !Object.prototype.hasOwnProperty.call(record, name)) return node;
  let next: unknown;
  if (isList) {
    if (!Array.isArray(value)) return node;
    next = value.map((item, index) => walk(item, rest, visit, `${where}.${name}[${index}]`));
  } else {
    next = walk(value, rest, visit, `${where}.${name}`);
  }
  return next === value ? node : { ...record, [name]: next };
}

/** Every value `path` reaches in `node`, with where it is. */
export function valuesAt(node: unknown, path: string, where: string): Array<{ value: unknown; where: string }> {
  const found: Array<{ value: unknown; where: string }> = [];
  mapAt(node, path, (value, at) => (found.push({ value, where: at }), value), where);
  return found;
}
