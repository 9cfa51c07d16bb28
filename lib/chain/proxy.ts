import { inspect } from 'node:util';
import type { HttpMethod } from '../request/build';
import type { RequestOptions } from '../request/options';
import { LruCache } from './lru';
import { isVerbatimPath, joinPath, normalizePath, toSegment } from './segments';

/** What the chain calls; it knows nothing of HTTP beyond a method and a path template. */
export interface Requester {
  request(method: HttpMethod, path: string, options?: RequestOptions): Promise<unknown>;
}

const VERBS = new Map<string, HttpMethod>();
for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) {
  VERBS.set(method.toLowerCase(), method);
  VERBS.set(`${method.toLowerCase()}Async`, method);
}

interface NodeRecord {
  readonly path: string;
  /** Set when the node was reached by a verb name: calling it sends that verb to the parent path. */
  readonly call?: { method: HttpMethod; path: string };
  /**
   * This node's verb nodes (`.post`, ...), kept with it rather than in the shared cache: `node.post(...)` then
   * builds no cache key string per call. At most ten per node, and they go when the node goes.
   */
  verbs?: Map<string, unknown>;
}

const RECORD = Symbol('wechatpay-chain.node');
type NodeTarget = (() => void) & { [RECORD]: NodeRecord };

function describe(record: NodeRecord): string {
  return record.call ? `${record.call.method} /${record.call.path}` : `/${record.path}`;
}

/** Shared by every node target: what `console.log(node)` shows (inspect looks at the target, not the proxy). */
const NODE_PROTOTYPE = Object.create(Function.prototype, {
  [inspect.custom]: {
    value(this: NodeTarget) {
      return `[ChainNode ${describe(this[RECORD])}]`;
    },
  },
});

export interface ChainOptions {
  /** How many nodes to remember; beyond it the least recently used is rebuilt on next access. */
  cacheSize?: number;
}

/**
 * The Proxy tree: `root.v3.aggracctBc`, `root['v3/...']` and `root.chain('v3/...')` name the same cached node,
 * and a verb-named node is callable. Returns the root node.
 */
export function createChain(requester: Requester, { cacheSize = 1024 }: ChainOptions = {}): unknown {
  const cache = new LruCache<string, unknown>(cacheSize);

  const makeNode = (record: NodeRecord): unknown => {
    const target = (() => undefined) as unknown as NodeTarget;
    Object.setPrototypeOf(target, NODE_PROTOTYPE);
    target[RECORD] = record;
    return new Proxy(target, handler);
  };

  const cached = (key: string, build: () => NodeRecord): unknown => {
    let node = cache.get(key);
    if (node === undefined) {
      node = makeNode(build());
      cache.set(key, node);
    }
    return node;
  };

  const nodeAt = (path: string): unknown => cached(path, () => ({ path }));

  const child = (parent: NodeRecord, name: string): unknown => {
    const method = VERBS.get(name);
    if (method !== undefined) {
      const verbs = (parent.verbs ??= new Map<string, unknown>());
      let node = verbs.get(name);
      if (node === undefined) {
        node = makeNode({ path: joinPath(parent.path, toSegment(name)), call: { method, path: parent.path } });
        verbs.set(name, node);
      }
      return node;
    }
    return nodeAt(joinPath(parent.path, isVerbatimPath(name) ? normalizePath(name) : toSegment(name)));
  };

  const chain = (path: string): unknown => {
    if (typeof path !== 'string') throw new TypeError('chain(path) takes a string such as "v3/pay/transactions"');
    return nodeAt(normalizePath(path));
  };

  const handler: ProxyHandler<NodeTarget> = {
    get(target, name) {
      if (typeof name === 'symbol') return Reflect.get(target, name);
      const record = target[RECORD];
      switch (name) {
        case 'then':
          return undefined;
        case 'toJSON':
        case 'toString':
        case 'valueOf':
          return () => `/${record.path}`;
        case 'inspect':
          return () => `[ChainNode ${describe(record)}]`;
        case 'chain':
          if (record.path === '') return chain;
      }
      return child(record, name);
    },
    apply(target, _thisArg, args: unknown[]) {
      const { call } = target[RECORD];
      if (call === undefined) {
        throw new TypeError(
          `/${target[RECORD].path} is not a verb: call .get(), .post(), .put(), .patch() or .delete()`,
        );
      }
      return requester.request(call.method, call.path, args[0] as RequestOptions | undefined);
    },
    set() {
      throw new TypeError('chain nodes are read-only');
    },
    defineProperty() {
      throw new TypeError('chain nodes are read-only');
    },
    deleteProperty() {
      throw new TypeError('chain nodes are read-only');
    },
  };

  return makeNode({ path: '' });
}
