/**
 * Property name -> URL segment, as wechatpay-php's chain does it. `_empty_` (`$empty$`) is the empty segment:
 * WeChat Pay serves some paths only with a trailing slash (`v3/applyment4sub/applyment/`).
 */
export function toSegment(name: string): string {
  if (name === '_empty_' || name === '$empty$') return '';
  const template = /^_(.+)_$/.exec(name) ?? /^\$(.+)\$$/.exec(name);
  if (template) return `{${template[1]}}`;
  return name.replace(/^[A-Z]/, (ch) => ch.toLowerCase()).replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`);
}

/** A string naming a path verbatim (`'v3/pay/{id}'`) rather than one segment to convert. */
export function isVerbatimPath(name: string): boolean {
  return name.includes('/') || name.includes('{');
}

/**
 * `/v3/pay` -> `v3/pay`: one spelling per path, so every style reaches the same cached node. A trailing slash
 * is part of the path (WeChat Pay serves `v3/applyment4sub/applyment/` only so): it is kept, once.
 */
export function normalizePath(path: string): string {
  return path.replace(/^\/+/, '').replace(/\/{2,}$/, '/');
}

export function joinPath(parent: string, segment: string): string {
  return parent === '' ? segment : `${parent}/${segment}`;
}
