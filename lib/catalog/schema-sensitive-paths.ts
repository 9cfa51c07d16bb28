import type { RouteFacts } from './route-facts';

/**
 * Where a route's sensitive (RSA-OAEP encrypted) request fields are, parsed once per route: the per-request walk
 * splits no strings, and a route without sensitive fields costs one WeakMap lookup.
 */
const LOCATIONS = ['query', 'json'] as const;

interface Bag {
  query?: Record<string, unknown>;
  json?: Record<string, unknown>;
}

/** One encrypted field's path, split once: `items[].id_card` -> names and which of them are lists. */
export interface SensitivePath {
  readonly location: 'query' | 'json';
  readonly names: readonly string[];
  readonly lists: readonly boolean[];
  /** `json.contact_info.contact_name`: where it is when no array is on the way (no string built per request). */
  readonly fixedWhere?: string;
}

const NO_PATHS: readonly SensitivePath[] = [];
const sensitivePaths = new WeakMap<RouteFacts, readonly SensitivePath[]>();

/** The route's encrypted fields, parsed on first use; a route without any costs one lookup per request. */
function pathsOf(route: RouteFacts): readonly SensitivePath[] {
  let paths = sensitivePaths.get(route);
  if (paths === undefined) {
    paths = LOCATIONS.flatMap((location) =>
      route.encrypted[location].map((path): SensitivePath => {
        const parts = path.split('.');
        const lists = parts.map((part) => part.endsWith('[]'));
        return {
          location,
          names: parts.map((part, index) => (lists[index] ? part.slice(0, -2) : part)),
          lists,
          fixedWhere: lists.includes(true) ? undefined : `${location}.${path}`,
        };
      }),
    );
    sensitivePaths.set(route, paths.length === 0 ? NO_PATHS : paths);
  }
  return paths;
}

/** A sensitive value found in a bag: what, where (`json.items[0].id_card`), and how to get back to it. */
export interface SensitiveHit {
  readonly where: string;
  readonly value: unknown;
  readonly path: SensitivePath;
  /** The array indices on the way, for paths through arrays. */
  readonly indices?: readonly number[];
}

type Found = SensitiveHit[];
const NOTHING_FOUND: Found = [];

/**
 * Collects the values (not null or undefined) a path reaches that `keep` keeps (all without one), with their array
 * indices on the way; returns how many it reached.
 */
function collect(
  path: SensitivePath,
  node: unknown,
  depth: number,
  indices: number[],
  found: Found,
  keep: ((value: unknown) => boolean) | undefined,
): number {
  if (depth === path.names.length) {
    if (node === undefined || node === null) return 0;
    if (keep === undefined || keep(node)) {
      const at = path.fixedWhere === undefined ? indices.slice() : undefined;
      found.push({ where: whereOf(path, indices), value: node, path, indices: at });
    }
    return 1;
  }
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return 0;
  const name = path.names[depth]!;
  if (!Object.prototype.hasOwnProperty.call(node, name)) return 0;
  const value = (node as Record<string, unknown>)[name];
  if (!path.lists[depth]) return collect(path, value, depth + 1, indices, found, keep);
  if (!Array.isArray(value)) return 0;
  let reached = 0;
  for (let index = 0; index < value.length; index++) {
    indices.push(index);
    reached += collect(path, value[index], depth + 1, indices, found, keep);
    indices.pop();
  }
  return reached;
}

function whereOf(path: SensitivePath, indices: readonly number[]): string {
  if (path.fixedWhere !== undefined) return path.fixedWhere;
  let where: string = path.location;
  let next = 0;
  path.names.forEach((name, depth) => (where += path.lists[depth] ? `.${name}[${indices[next++]}]` : `.${name}`));
  return where;
}

/** Sensitive values at any depth (arrays included) that are given, and where they are (`json.items[0].id_card`). */
export function sensitiveValues(route: RouteFacts, bag: Bag): Found {
  const paths = pathsOf(route);
  if (paths === NO_PATHS) return NOTHING_FOUND;
  const found: Found = [];
  const indices: number[] = [];
  for (const path of paths) collect(path, bag[path.location], 0, indices, found, undefined);
  return found;
}

/**
 * The given sensitive values `refused` refuses, appended to `found`; returns how many values were given. A check
 * that passes (every field already encrypted) builds no hit at all.
 */
export function refusedSensitiveValues(
  route: RouteFacts,
  bag: Bag,
  refused: (value: unknown) => boolean,
  found: Found,
): number {
  const paths = pathsOf(route);
  if (paths === NO_PATHS) return 0;
  let given = 0;
  const indices: number[] = [];
  for (const path of paths) given += collect(path, bag[path.location], 0, indices, found, refused);
  return given;
}

type Container = Record<string | number, unknown>;

/** `parent[key]`, copied once per replacement pass (`fresh` holds the copies made), so it may be written to. */
function writable(parent: Container, key: string | number, fresh: Set<unknown>): Container {
  const node = parent[key];
  if (fresh.has(node)) return node as Container;
  const copy = (Array.isArray(node) ? node.slice() : { ...(node as object) }) as Container;
  parent[key] = copy;
  fresh.add(copy);
  return copy;
}

/**
 * `copy` (a shallow copy of the bag) with each hit's value replaced: only the objects and arrays on the way to a
 * replaced value are copied, each once; the caller's bag is left as given.
 */
export function replaceSensitive(copy: Bag, hits: readonly SensitiveHit[], values: readonly string[]): void {
  const fresh = new Set<unknown>();
  hits.forEach(({ path, indices }, hit) => {
    let container = writable(copy as Container, path.location, fresh);
    let next = 0;
    const last = path.names.length - 1;
    for (let depth = 0; depth < last; depth++) {
      container = writable(container, path.names[depth]!, fresh);
      if (path.lists[depth]) container = writable(container, indices![next++]!, fresh);
    }
    if (path.lists[last]) writable(container, path.names[last]!, fresh)[indices![next]!] = values[hit];
    else container[path.names[last]!] = values[hit];
  });
}
