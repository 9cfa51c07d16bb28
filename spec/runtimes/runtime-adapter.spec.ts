import { defaultBackend, isNodeRuntime } from '../../lib';
import { withRuntimeAdapter } from '../../lib/transport/runtime-adapter';

/** Pretend to be another runtime for one call: Bun and Deno fill `process.versions` beside `node`. */
function as<T>(runtime: 'bun' | 'deno', body: () => T): T {
  Object.defineProperty(process.versions, runtime, { value: '1.0.0', configurable: true, enumerable: true });
  try {
    return body();
  } finally {
    delete (process.versions as Record<string, string | undefined>)[runtime];
  }
}

describe('runtime detection', () => {
  it('on Node keeps the node backend and leaves the adapter to the builder', () => {
    expect(isNodeRuntime()).toBe(true);
    expect(defaultBackend()).toBe('node');
    const config = { baseURL: 'http://127.0.0.1/' };
    expect(withRuntimeAdapter(config)).toBe(config);
  });

  it.each(['bun', 'deno'] as const)(
    'on %s picks WebCrypto and the fetch adapter, unless an adapter is given',
    (name) => {
      as(name, () => {
        expect(isNodeRuntime()).toBe(false);
        expect(defaultBackend()).toBe('webcrypto');
        expect(withRuntimeAdapter({ baseURL: 'x' })).toEqual({ baseURL: 'x', adapter: 'fetch' });
        expect(withRuntimeAdapter({ adapter: 'xhr' as const })).toEqual({ adapter: 'xhr' });
        const own = { baseURL: 'x', axios: {} };
        expect(withRuntimeAdapter(own)).toBe(own);
      });
    },
  );
});
