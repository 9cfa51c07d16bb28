import fc from 'fast-check';
import type { AxiosAdapter, InternalAxiosRequestConfig } from 'axios';
import { Builder, ValidationError } from '../../lib';
import { allRoutes, findRoute } from '../../lib/catalog/lookup';
import type { RouteFacts } from '../../lib/catalog/route-facts';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';

/** Bounded: no network (an in-memory adapter answers), RSA-OAEP public-key operations only. */
const RUNS = { numRuns: 150 };

const routes = allRoutes().filter((route) => route.path.includes('{'));
const withSensitiveFields = routes.filter(
  (route) => route.encrypted.json.length + route.encrypted.query.length > 0 && !route.path.startsWith('v2/'),
);
/** Every literal segment in the catalog: a value equal to one may rightly name a more specific template. */
const literals = new Set(allRoutes().flatMap((route) => route.path.split('/').filter((s) => !s.startsWith('{'))));
/** Values that need no percent-encoding, so the written-out path and the expanded template are the same bytes. */
const value = fc.stringMatching(/^[0-9A-Za-z_-]{1,24}$/).filter((text) => !literals.has(text));

/** A template's concrete form: each `{name}` replaced by its value. */
function concrete(route: RouteFacts, values: readonly string[]): { path: string; variables: Record<string, string> } {
  const variables: Record<string, string> = {};
  let next = 0;
  const path = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => (variables[name] = values[next++]!));
  return { path, variables };
}

/** From the path, not `params`: a few facts list a path variable as a body field only. */
const countOf = (route: RouteFacts): number => route.path.split('{').length - 1;

const aRouteWithValues = (list: readonly RouteFacts[]) =>
  fc
    .constantFrom(...list)
    .chain((route) =>
      fc
        .array(value, { minLength: countOf(route), maxLength: countOf(route) })
        .map((values) => ({ route, ...concrete(route, values) })),
    );

describe('a concrete path generated from any template reaches the same encryption decision', () => {
  it('finds the same facts: the same sensitive fields and the same schema', () => {
    fc.assert(
      fc.property(aRouteWithValues(routes), ({ route, path }) => {
        const found = findRoute(route.method, path);
        if (found !== undefined) expect(found).toBe(route);
        // unmatched only where the operation is catalogued twice, equally specific, with the same facts
        else
          expect(
            routes
              .filter(
                (other) =>
                  other !== route &&
                  other.method === route.method &&
                  other.path.split('/').length === route.path.split('/').length,
              )
              .some(
                (other) =>
                  JSON.stringify(other.encrypted) === JSON.stringify(route.encrypted) &&
                  JSON.stringify(other.json) === JSON.stringify(route.json),
              ),
          ).toBe(true);
      }),
      RUNS,
    );
  });

  /** A bag with a plaintext at every sensitive field (`[]`: a one-item list). */
  function sensitiveBag(route: RouteFacts): { json?: Record<string, unknown>; query?: Record<string, unknown> } {
    const put = (node: Record<string, unknown>, parts: string[], text: string): void => {
      const [head, ...rest] = parts as [string, ...string[]];
      const list = head.endsWith('[]');
      const name = list ? head.slice(0, -2) : head;
      if (rest.length === 0) {
        node[name] = list ? [text] : text;
        return;
      }
      const holder = (list ? ((node[name] as unknown[] | undefined) ?? [{}]) : undefined) as
        Array<Record<string, unknown>> | undefined;
      const child = holder ? holder[0]! : ((node[name] as Record<string, unknown> | undefined) ?? {});
      put(child, rest, text);
      node[name] = holder ?? child;
    };
    const bag: { json?: Record<string, unknown>; query?: Record<string, unknown> } = {};
    route.encrypted.json.forEach((path, index) => put((bag.json ??= {}), path.split('.'), `plain-json-${index}`));
    route.encrypted.query.forEach((path, index) => ((bag.query ??= {})[path] = `plain-query-${index}`));
    return bag;
  }

  /** What went out, with every ciphertext (random per encryption) shown as its shape. */
  function offline() {
    const sent: Array<{ url: string; body: string; serial: unknown }> = [];
    const adapter: AxiosAdapter = (config: InternalAxiosRequestConfig) => {
      sent.push({
        url: decodeURIComponent(String(config.url)).replace(/[A-Za-z0-9+/]{342}==/g, '<ciphertext>'),
        body: String(config.data ?? '').replace(/[A-Za-z0-9+/]{342}==/g, '<ciphertext>'),
        serial: config.headers.get('Wechatpay-Serial'),
      });
      return Promise.resolve({ status: 400, statusText: 'Bad Request', headers: {}, config, data: Buffer.from('{}') });
    };
    const instance = Builder.factory({
      mchid: MCHID,
      serial: MERCHANT_SERIAL,
      privateKey: merchantKeys().privateKey,
      certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
      baseURL: 'https://api.mch.weixin.qq.com/',
      adapter,
    });
    return { instance, sent };
  }

  it('through the client: the same bytes leave, sensitive fields encrypted, whichever way the path is written', async () => {
    const { instance, sent } = offline();
    const call = (method: string, path: string, options: Record<string, unknown>) =>
      (instance.chain(path) as unknown as Record<string, (o: unknown) => Promise<unknown>>)[method]!({
        ...options,
        encrypt: true,
        validation: false,
      }).catch((error: unknown) => {
        if (error instanceof ValidationError) throw error;
      });
    await fc.assert(
      fc.asyncProperty(aRouteWithValues(withSensitiveFields), async ({ route, path, variables }) => {
        sent.length = 0;
        const bag = sensitiveBag(route);
        const method = route.method.toLowerCase();
        await call(method, route.path, { ...bag, ...variables });
        await call(method, path, bag);
        expect(sent).toHaveLength(2);
        expect(sent[1]).toEqual(sent[0]);
        expect(sent[0]!.serial).toBe(PLATFORM_SERIAL);
        expect(`${sent[0]!.url} ${sent[0]!.body}`).not.toMatch(/plain-/);
      }),
      { numRuns: 60 },
    );
  });
});
