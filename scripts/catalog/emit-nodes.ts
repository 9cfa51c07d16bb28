import { toSegment } from '../../lib/chain/segments';
import type { RouteModel } from './read-facts';
import { camel, pascal } from './schema';

/**
 * The chain's node interfaces, one per catalogued path prefix: flat, emitted ahead of time, looked up by the
 * checker rather than computed (no recursive conditional or template-literal types). A catalogued node has no
 * index signature, so a misspelt segment is a compile error with TypeScript's "did you mean"; lib/types.ts
 * intersects the root with the loose node, so string keys stay open for paths the facts do not know.
 */
const VERBS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const VERB_NAMES = new Set<string>(VERBS.flatMap((verb) => [verb, `${verb}Async`]));

interface Trie {
  path: string;
  name: string;
  children: Map<string, Trie>;
  verbs: Map<string, RouteModel>;
}

function buildTrie(routes: RouteModel[]): Trie {
  const taken = new Set<string>(['CatalogRootNode']);
  const root: Trie = { path: '', name: 'CatalogRootNode', children: new Map(), verbs: new Map() };
  for (const route of routes) {
    let node = root;
    for (const segment of route.path.split('/')) {
      let next = node.children.get(segment);
      if (!next) {
        const path = node.path ? `${node.path}/${segment}` : segment;
        const stem = `${pascal(path)}Node`;
        let name = stem;
        for (let n = 2; taken.has(name); n += 1) name = `${stem}${n}`;
        taken.add(name);
        next = { path, name, children: new Map(), verbs: new Map() };
        node.children.set(segment, next);
      }
      node = next;
    }
    node.verbs.set(route.method.toLowerCase(), route);
  }
  return root;
}

/**
 * The property names that reach a segment, each checked against the chain's own rule (lib/chain/segments.ts):
 * `aggracctBc` and `'aggracct-bc'`; `_x_` and `$x$` for `{x}`; `_empty_` for the trailing slash.
 */
function propertyNames(segment: string): string[] {
  if (segment === '') return ['_empty_', '$empty$'];
  const template = /^\{(.+)\}$/.exec(segment);
  if (template) return [`_${template[1]}_`, `$${template[1]}$`];
  return [...new Set([camel(segment), segment])].filter((name) => toSegment(name) === segment);
}

const quote = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`);
/** The family a node below `v3/<family>` belongs to; the root, `v3` and `v2` belong to none. */
const familyOfNode = (path: string) =>
  path.split('/').length >= 2 ? path.split('/').slice(0, 2).join('/') : undefined;

interface Emitted {
  /** The root's nodes (the root, `v3`, `v2`) and `CatalogPaths`. */
  top: string[];
  /** Each family's nodes, declared beside its endpoints. */
  byFamily: Map<string, string[]>;
}

function emitNode(
  trie: Trie,
  out: Emitted,
  endpoints: ReadonlyMap<string, string>,
  familyInterface: (family: string) => string,
): void {
  const verbType = (route: RouteModel) =>
    `TypedVerb<${familyInterface(route.family)}['${route.method} /${route.path}']>`;
  // a segment named like a verb (`receivers.delete`) is callable: it sends that verb to its parent's path
  const verbNamed = VERB_NAMES.has(trie.path.slice(trie.path.lastIndexOf('/') + 1));
  const lines = [
    verbNamed
      ? '  (options?: RequestOptions): Promise<AxiosResponse<unknown>>;'
      : '  (this: NotAVerb, options?: RequestOptions): never;',
  ];
  const members = new Map<string, string>();
  for (const [segment, child] of trie.children) {
    // `v3` and `v2` stay open below (a family the facts do not know yet); from a family down, nodes are closed
    const type = trie.path === '' ? `${child.name} & LooseSegments` : child.name;
    for (const name of propertyNames(segment)) members.set(name, type);
  }
  if (trie.verbs.size > 0) {
    for (const verb of VERBS) {
      const route = trie.verbs.get(verb);
      for (const name of [verb, `${verb}Async`]) {
        const segmentNode = members.get(name);
        // a verb that is also a segment (`receivers.delete`): a node you can keep chaining and call as the verb
        if (segmentNode) members.set(name, segmentNode);
        else members.set(name, route ? verbType(route) : 'never');
      }
    }
  }
  for (const [name, type] of members) lines.push(`  readonly ${quote(name)}: ${type};`);
  if (trie.path === '') {
    for (const [path, name] of endpoints) lines.push(`  readonly '${path}': ${name};`);
  }
  const declaration = `export interface ${trie.name} {\n${lines.join('\n')}\n}`;
  const family = familyOfNode(trie.path);
  if (family === undefined) out.top.push(declaration, '');
  else out.byFamily.set(family, [...(out.byFamily.get(family) ?? []), declaration]);
  for (const child of trie.children.values()) emitNode(child, out, endpoints, familyInterface);
}

function collectEndpoints(trie: Trie, into: Map<string, string>): Map<string, string> {
  if (trie.verbs.size > 0) into.set(trie.path, trie.name);
  for (const child of trie.children.values()) collectEndpoints(child, into);
  return into;
}

/** The chain's node interfaces, by where they are declared; `familyInterface` names a family's endpoint map. */
export function emitNodes(routes: RouteModel[], familyInterface: (family: string) => string): Emitted {
  const trie = buildTrie(routes);
  const endpoints = collectEndpoints(trie, new Map());
  const out: Emitted = {
    top: [
      '/** Catalogued paths as written in `chain()` or a string key, to their node. */',
      'export interface CatalogPaths {',
    ],
    byFamily: new Map(),
  };
  for (const [path, name] of endpoints) out.top.push(`  '${path}': ${name};`);
  out.top.push('}', '');
  emitNode(trie, out, endpoints, familyInterface);
  return out;
}

/**
 * A region's client types (`Builder.factory({ region: 'hk' })`, lib/types.ts): its root node, reaching only its
 * families (`hk/v3` -> `instance.hk.v3`; `v3/global` -> `instance.v3.global`, the `v3` node holding nothing else),
 * and its `chain()` paths. The nodes below are the catalog's own, so a region's calls are typed as everywhere.
 */
export function emitRegionNodes(routes: RouteModel[], region: string, families: readonly string[]): string[] {
  const trie = buildTrie(routes);
  const prefix = pascal(region);
  const inRegion = (path: string) => families.some((family) => path === family || path.startsWith(`${family}/`));
  const notAVerb = '  (this: NotAVerb, options?: RequestOptions): never;';
  const out: string[] = [];
  const rootLines = [notAVerb];
  for (const [segment, child] of trie.children) {
    const below = families.filter((family) => family.startsWith(`${segment}/`)).map((family) => family.split('/')[1]!);
    if (below.length === 0) continue;
    let type = `${child.name} & LooseSegments`;
    if (below.length < child.children.size) {
      // a root segment the region shares with others (`v3`): a node of its own with only the region's families
      type = `${prefix}Region${child.name}`;
      const lines = [notAVerb];
      for (const name of below) {
        const grandchild = child.children.get(name)!;
        for (const property of propertyNames(name)) lines.push(`  readonly ${quote(property)}: ${grandchild.name};`);
      }
      out.push(`export interface ${type} {\n${lines.join('\n')}\n}`, '');
    }
    for (const property of propertyNames(segment)) rootLines.push(`  readonly ${quote(property)}: ${type};`);
  }
  const endpoints = [...collectEndpoints(trie, new Map())].filter(([path]) => inRegion(path));
  for (const [path, name] of endpoints) rootLines.push(`  readonly '${path}': ${name};`);
  out.push(
    `/** The root of a \`region: '${region}'\` client: ${families.map((family) => `\`${family}\``).join(', ')}. */`,
    `export interface ${prefix}RootNode {\n${rootLines.join('\n')}\n}`,
    '',
    `/** The \`region: '${region}'\` catalogued paths as written in \`chain()\` or a string key, to their node. */`,
    `export interface ${prefix}CatalogPaths {`,
    ...endpoints.map(([path, name]) => `  '${path}': ${name};`),
    '}',
    '',
  );
  return out;
}
