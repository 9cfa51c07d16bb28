import fc from 'fast-check';
import type { AxiosAdapter, InternalAxiosRequestConfig } from 'axios';
import { Builder, WechatpayError, type WechatpayInstance } from '../../lib';
import { fullUrl } from '../../lib/transport/url';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';

const BASE = 'https://api.mch.weixin.qq.com/';
/** Bounded: each property runs in well under a few seconds (no network: an in-memory adapter answers). */
const RUNS = { numRuns: 200 };

/**
 * An instance whose axios adapter answers every request with an unsigned 400 (an ApiError, no I/O), recording the
 * full URL each request would have gone to, after signing.
 */
function offlineInstance(): { instance: WechatpayInstance; sent: string[] } {
  const sent: string[] = [];
  const adapter: AxiosAdapter = (config: InternalAxiosRequestConfig) => {
    sent.push(fullUrl(config.baseURL, config.url));
    return Promise.resolve({ status: 400, statusText: 'Bad Request', headers: {}, config, data: Buffer.from('{}') });
  };
  const instance = Builder.factory({
    mchid: MCHID,
    serial: MERCHANT_SERIAL,
    privateKey: merchantKeys().privateKey,
    certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
    secret: '192006250b4c09247ec02edce69f6a2d',
    baseURL: BASE,
    adapter,
  });
  return { instance, sent };
}

/** Settle `call` (sync throw or rejection): what it threw must be one of our error classes. */
async function onlyOurErrors(call: () => unknown): Promise<void> {
  let thrown: unknown;
  try {
    await call();
  } catch (error) {
    thrown = error;
  }
  if (thrown !== undefined && !WechatpayError.is(thrown)) {
    throw new Error(`threw a raw ${(thrown as Error)?.name ?? typeof thrown}: ${(thrown as Error)?.message}`);
  }
}

type Node = Record<string, unknown> & Record<'get' | 'post' | 'put' | 'patch' | 'delete', (o?: unknown) => unknown>;

/** Any text, including "/", "{", "}", ".", "%", ":", "\", "?", "#", controls, non-ASCII and lone surrogates. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(
    '.',
    '..',
    '%2e',
    '%2E%2e',
    '.%2e',
    '\\',
    '//',
    'http:',
    'https://evil.example',
    '{x}',
    '{+x}',
    '?',
    '#',
  ),
  fc
    .array(fc.constantFrom('a', '.', '/', '%', '2', 'e', '\\', ':', '{', '}', '+', '?', '#', '\t', 'é'), {
      maxLength: 8,
    })
    .map((chars) => chars.join('')),
);

const anyValue = fc.oneof(
  anyText,
  fc.integer(),
  fc.double(),
  fc.bigInt(),
  fc.constantFrom(null, undefined, true, Symbol('s')),
  fc.anything({ withBigInt: true, withNullPrototype: true, maxDepth: 2 }),
);

const NODE_API = new Set(['then', 'toJSON', 'toString', 'valueOf', 'inspect', 'chain']);
const VERBS = ['get', 'post', 'put', 'patch', 'delete'] as const;

describe('property: the chain and the request builder throw only our error classes', () => {
  const { instance } = offlineInstance();

  it('for any property-name path, string key and chain() path, with any verb', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          anyText.filter((name) => !NODE_API.has(name)),
          { minLength: 1, maxLength: 4 },
        ),
        fc.constantFrom(...VERBS),
        fc.constantFrom('props', 'key', 'chain'),
        async (names, verb, style) => {
          await onlyOurErrors(() => {
            let node: Node;
            // `then`, `toString`, `chain`... are the node's own API, not path segments
            if (style === 'props') node = names.reduce<Node>((at, name) => at[name] as Node, instance as never);
            else if (style === 'key') node = (instance as never as Record<string, Node>)[names.join('/')]!;
            else node = (instance.chain as unknown as (path: string) => Node)(names.join('/'));
            return node[verb]();
          });
        },
      ),
      RUNS,
    );
  });

  it('for any template values and any option bag', async () => {
    const bagKey = fc.oneof(
      fc.constantFrom('json', 'query', 'headers', 'body', 'xml', 'encrypt', 'decrypt', 'validation', 'media'),
      fc.constantFrom('id', 'rest', 'timeout', 'signal', 'retry', 'security', 'responseType', 'url'),
      fc.string({ maxLength: 6 }),
    );
    const bag = fc.dictionary(bagKey, anyValue, { maxKeys: 5 });
    const templates = ['v3/x/{id}', 'v3/x/{+rest}/y', '{+rest}', 'v2/pay/orderquery', 'v2/papay/h5entrustweb/{id}'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...templates), fc.constantFrom(...VERBS), bag, async (path, verb, options) => {
        await onlyOurErrors(() => (instance.chain as unknown as (p: string) => Node)(path)[verb](options));
      }),
      RUNS,
    );
  });
});

describe('property: no request path escapes its template', () => {
  /** A literal segment the way the URL parser writes it (percent-encoding what it must). */
  const asSent = (segment: string) => new URL(`${BASE}${segment}`).pathname.slice(1);

  it('literal segments stay where they are, and each {variable} stays one segment holding its value', async () => {
    const part = fc.oneof(
      // a literal "/" or "?" is a different template (more segments, a query), not an escape
      fc.record({ literal: anyText.filter((text) => text.length > 0 && !/[/?]/.test(text)) }),
      fc.record({ value: fc.oneof(anyText, fc.integer().map(String)) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(part, { minLength: 1, maxLength: 5 }), async (parts) => {
        const { instance, sent } = offlineInstance();
        const values: Record<string, string> = {};
        const source = [
          'v3',
          ...parts.map((p, i) => {
            if ('literal' in p) return p.literal;
            values[`v${i}`] = p.value;
            return `{v${i}}`;
          }),
        ].join('/');
        await onlyOurErrors(() => (instance.chain as unknown as (p: string) => Node)(source).get(values));
        if (sent.length === 0) return; // refused before I/O: nothing escaped
        const url = new URL(sent[0]!);
        expect(url.origin).toBe(new URL(BASE).origin);
        const segments = url.pathname.split('/').slice(1);
        expect(segments[0]).toBe('v3');
        expect(segments).toHaveLength(parts.length + 1);
        parts.forEach((p, i) => {
          if ('literal' in p) expect(segments[i + 1]).toBe(asSent(p.literal));
          else if (Buffer.from(p.value).toString() === p.value)
            expect(decodeURIComponent(segments[i + 1]!)).toBe(p.value);
        });
      }),
      RUNS,
    );
  });

  it('a {+reserved} value never takes the request off the host, or above its template prefix', async () => {
    await fc.assert(
      fc.asyncProperty(anyText, async (rest) => {
        const { instance, sent } = offlineInstance();
        await onlyOurErrors(() =>
          (instance.chain as unknown as (p: string) => Node)('v3/base/{+rest}/end').get({ rest }),
        );
        if (sent.length === 0) return;
        const url = new URL(sent[0]!);
        expect(url.origin).toBe(new URL(BASE).origin);
        expect(url.pathname.startsWith('/v3/base/')).toBe(true);
        expect(url.pathname.endsWith('/end')).toBe(true);
        expect(url.hash).toBe('');
      }),
      RUNS,
    );
  });
});
