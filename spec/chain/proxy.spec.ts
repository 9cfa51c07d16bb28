import { inspect } from 'node:util';
import { LruCache } from '../../lib/chain/lru';
import { createChain, type Requester } from '../../lib/chain/proxy';
import type { HttpMethod } from '../../lib/request/build';
import type { ChainNode, WechatpayInstance } from '../../lib';

/** The proxy is pure: a recording Requester shows exactly what it hands on. */
function recordingChain(cacheSize?: number) {
  const calls: Array<{ method: HttpMethod; path: string; options?: unknown }> = [];
  const requester: Requester = {
    request: (method, path, options) => {
      calls.push({ method, path, options });
      return Promise.resolve({ method, path });
    },
  };
  return { calls, root: createChain(requester, { cacheSize }) as WechatpayInstance };
}

describe('the chain proxy', () => {
  it('the three access styles return the same cached node', () => {
    const { root } = recordingChain();
    const chained = root.v3.aggracctBc.wbChannel.controlOrders.recover;
    expect(root.chain('v3/aggracct-bc/wb-channel/control-orders/recover')).toBe(chained);
    expect(root['v3/aggracct-bc/wb-channel/control-orders/recover']).toBe(chained);
    expect(root.chain('/v3/aggracct-bc/wb-channel/control-orders/recover')).toBe(chained);
    // a trailing slash is part of the path (`{empty}.yaml` in the facts): `_empty_` reaches it too
    expect(root.chain('v3/applyment4sub/applyment/')).toBe(root.v3.applyment4sub.applyment._empty_);
    expect(root['v3/applyment4sub/applyment/']).toBe(root.v3.applyment4sub.applyment._empty_);
    expect(root.chain('v3/applyment4sub/applyment/')).not.toBe(root.v3.applyment4sub.applyment);
    expect(root.v3.pay).toBe(root.v3.pay);
  });

  it('template segments from _name_ and $name$ match the verbatim template', () => {
    const { root } = recordingChain();
    const verbatim = root['v3/aggracct-bc/wb-channel/special-reduction/{out_request_no}'];
    expect(root.v3.aggracctBc.wbChannel.specialReduction._out_request_no_).toBe(verbatim);
    expect(root.v3.aggracctBc.wbChannel.specialReduction.$out_request_no$).toBe(verbatim);
  });

  it('a verbatim string key below the root is joined without case conversion', () => {
    const { root } = recordingChain();
    expect(root.v3['aggracct-bc/wbChannel']).toBe(root.chain('v3/aggracct-bc/wbChannel'));
  });

  it.each([
    ['get', 'GET'],
    ['post', 'POST'],
    ['put', 'PUT'],
    ['patch', 'PATCH'],
    ['delete', 'DELETE'],
    ['getAsync', 'GET'],
    ['postAsync', 'POST'],
    ['putAsync', 'PUT'],
    ['patchAsync', 'PATCH'],
    ['deleteAsync', 'DELETE'],
  ])('verb %s sends %s to the node path with the options bag', async (verb, method) => {
    const { root, calls } = recordingChain();
    const options = { json: { a: 1 } };
    await (root.v3.pay.transactions as unknown as ChainNode)[verb]!(options);
    expect(calls).toEqual([{ method, path: 'v3/pay/transactions', options }]);
  });

  it('a verb name keeps working as a segment when chaining continues', async () => {
    const { root, calls } = recordingChain();
    await root.v3.profitsharing.receivers.delete.post({ json: {} } as never);
    await root.v3.profitsharing.receivers.delete();
    expect(calls.map(({ method, path }) => `${method} ${path}`)).toEqual([
      'POST v3/profitsharing/receivers/delete',
      'DELETE v3/profitsharing/receivers',
    ]);
  });

  it('awaiting a node sends nothing and yields the node', async () => {
    const { root, calls } = recordingChain();
    const awaited = await root.v3;
    expect(awaited).toBe(root.v3);
    await root.v3.aggracctBc.wbChannel;
    expect(calls).toHaveLength(0);
  });

  it('printing and stringifying a node sends nothing and names its path', () => {
    const { root, calls } = recordingChain();
    const node = root.v3.aggracctBc as unknown as ChainNode;
    expect(String(node)).toBe('/v3/aggracct-bc');
    expect(`${node}`).toBe('/v3/aggracct-bc');
    expect(JSON.stringify({ node })).toBe('{"node":"/v3/aggracct-bc"}');
    expect(node.valueOf()).toBe('/v3/aggracct-bc');
    expect(inspect(node)).toBe('[ChainNode /v3/aggracct-bc]');
    expect(inspect((root.v3.pay as unknown as ChainNode).post)).toBe('[ChainNode POST /v3/pay]');
    expect((node.inspect as unknown as () => string)()).toBe('[ChainNode /v3/aggracct-bc]');
    expect(node[Symbol.iterator as unknown as string]).toBeUndefined();
    expect(calls).toHaveLength(0);
  });

  it('calling a node that is not a verb is a TypeError', () => {
    const { root } = recordingChain();
    // @ts-expect-error calling a catalogued node that is not a verb fails to compile too
    expect(() => root.v3.pay({})).toThrow(/not a verb/);
  });

  it('nodes are read-only', () => {
    const { root } = recordingChain();
    expect(() => {
      (root.v3 as unknown as Record<string, unknown>).x = 1;
    }).toThrow(TypeError);
  });

  it('the node cache is bounded: beyond capacity the least recently used node is rebuilt', () => {
    const { root } = recordingChain(2);
    const pay = root.v3.pay; // caches v3, v3/pay
    expect(root.v3.pay).toBe(pay);
    void root.v3.other; // v3/other evicts the least recent
    void root.v3.more;
    expect(root.v3.pay).not.toBe(pay);
  });

  it('a node keeps its verb nodes, whatever the shared cache forgets', async () => {
    const { root, calls } = recordingChain(2);
    const pay = root.v3.pay as unknown as ChainNode;
    const post = pay.post;
    void root.v3.other; // churn the shared cache past its capacity
    void root.v3.more;
    void root.v3.other.post;
    expect(pay.post).toBe(post);
    expect(pay.postAsync).not.toBe(post);
    await pay.post({ json: {} });
    await pay.postAsync();
    expect(calls.map(({ method, path }) => `${method} ${path}`)).toEqual(['POST v3/pay', 'POST v3/pay']);
  });
});

describe('LruCache', () => {
  it('evicts the least recently used, however often the last one is read again', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    expect(cache.get('a')).toBe(1); // already the most recent
    cache.set('c', 3); // b goes
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.get('c')).toBe(3);
    cache.set('d', 4); // a goes
    expect(cache.get('a')).toBeUndefined();
    expect([cache.get('c'), cache.get('d'), cache.size]).toEqual([3, 4, 2]);
    cache.set('d', 5);
    expect(cache.get('d')).toBe(5);
  });
});
