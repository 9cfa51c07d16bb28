/** Property name -> URL segment, as wechatpay-php's chain does it. */
export function toSegment(name: string): string {
  const template = /^_(.+)_$/.exec(name) ?? /^\$(.+)\$$/.exec(name);
  if (template) return `{${template[1]}}`;
  return name.replace(/^[A-Z]/, (ch) => ch.toLowerCase()).replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`);
}

/** A string naming a path verbatim (`'v3/pay/{id}'`) rather than one segment to convert. */
export function isVerbatimPath(name: string): boolean {
  return name.includes('/') || name.includes('{');
}

/** `/v3/pay/` -> `v3/pay`: one spelling per path, so every style reaches the same cached node. */
export function normalizePath(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

export function joinPath(parent: string, segment: string): string {
  return parent === '' ? segment : `${parent}/${segment}`;
}
