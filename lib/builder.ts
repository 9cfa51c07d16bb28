import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ApiV2, ApiV2Options } from './apiv2/client';
import type { PlatformCertificate } from './certificates/decode';
import type { CertificateManager } from './certificates/manager';
import { createChain } from './chain/proxy';
import { validateConfig } from './config/validate';
import type { BackendName, CryptoBackend } from './crypto/backend';
import { loadKey, type KeyLike } from './crypto/keys';
import type { WebRsaKey } from './crypto/webcrypto/keys';
import { ConfigError, type FieldIssue } from './errors';
import { Client } from './transport/client';
import type { RetrySetting } from './transport/retry-policy';
import { Observer, type ClientHooks, type ClientLogger } from './observe/observer';
import { sharedCertificateStore } from './store/shared';
import type { Store } from './store/store';
import { adoptInterceptors, createHttp } from './transport/custom-axios';
import { ANY_STATUS, DEFAULT_MAX_CONTENT_LENGTH, wechatpayAdapter } from './transport/adapter';
import { createSigner } from './transport/signer';
import { toTransportError } from './transport/transport-error';
import { createVerifier } from './transport/verifier';
import type { WechatpayHkInstance, WechatpayInstance } from './types';
import { PlatformKeys } from './verify/platform-keys';
import { VERSION } from './version';

export interface BuilderConfig extends Omit<AxiosRequestConfig, 'transformRequest' | 'transformResponse'> {
  /** Merchant id. */
  mchid: string;
  /** Serial of the merchant API certificate; it goes into Authorization. */
  serial: string;
  /** Merchant private key: `file://` path, PEM (PKCS#8 or PKCS#1), Buffer, KeyObject, CryptoKey or JWK. */
  privateKey: KeyLike;
  /**
   * WeChat Pay public key(s) (`PUB_KEY_ID_...`) and/or platform certificate(s), keyed by id or serial.
   * May be left out with `apiv3Key`: platform certificates are then downloaded.
   */
  certs?: Record<string, KeyLike>;
  /** APIv2 key. */
  secret?: string;
  /** APIv3 key (32 bytes): callbacks and certificate download. */
  apiv3Key?: string;
  /** APIv2 mutual TLS: the merchant API certificate and key (PEM text, Buffer or `file://`); `ca` to trust a private CA. */
  merchant?: { cert: string | Buffer; key: string | Buffer; ca?: string | Buffer };
  /** How many chain nodes and templates to keep (least recently used beyond that are rebuilt). Default 1024. */
  cacheSize?: number;
  /**
   * Check catalogued endpoints' fields before sending. Default `true`: refuse only what WeChat Pay certainly
   * refuses; `'strict'` also refuses unknown fields and enum values; `false` turns it off.
   */
  validation?: boolean | 'strict';
  /** Encrypt catalogued sensitive fields given in plaintext. Default false: they must arrive encrypted. */
  encrypt?: boolean;
  /** Platform certificate refresh period with `apiv3Key` (default 12 h). */
  certificateRefreshMs?: number;
  /**
   * Where downloaded platform certificates are shared, per merchant (`mchid`) and `baseURL`: every client using the
   * same store adopts a list another downloaded, and one at a time refreshes it. Default: one in-memory store for
   * the whole process; `redisStore(client)` from `wechatpay-chain/redis` shares across processes. See docs/scaling.md.
   */
  certificateStore?: Store;
  /** Retry network errors, timeouts, 5xx and 429 on calls safe to repeat (off by default; see docs/retries.md). */
  retry?: RetrySetting;
  /**
   * Which WeChat Pay the client talks to, chosen once. `'mainland'` (default): api.mch.weixin.qq.com, the whole
   * catalog. `'hk'`: apihk.mch.weixin.qq.com (default baseURL, no default backup host), typed by the Hong Kong
   * wallet (`hk/v3/...`) and cross-border (`v3/global/...`, `global/v3/...`) operations alone.
   */
  region?: Region;
  /** Host for retries after a network failure or 5xx (default `https://api2.mch.weixin.qq.com/` with the default baseURL); `false`: none. */
  backupBaseURL?: string | false;
  /** Receives request, response, retry and error events (see docs/logging.md). */
  hooks?: ClientHooks;
  /**
   * An axios instance to derive the transport from (proxy, adapter, agents, tracing interceptors). Its
   * defaults carry over; its request interceptors run before signing, its response interceptors after
   * verification. Default: a fresh `axios.create()`.
   */
  axios?: AxiosInstance;
  /** `console` or any `(message, event)` logger: debug for requests and responses, warn for retries, error for failures. */
  logger?: ClientLogger;
}

/** The WeChat Pay a client talks to: its default host and the catalog it is typed by. */
export type Region = 'mainland' | 'hk';

const SDK_OPTIONS = new Set([
  'region',
  'mchid',
  'serial',
  'privateKey',
  'certs',
  'secret',
  'apiv3Key',
  'merchant',
  'cacheSize',
  'validation',
  'encrypt',
  'certificateRefreshMs',
  'certificateStore',
  'retry',
  'backupBaseURL',
  'hooks',
  'logger',
  'axios',
]);
// no transforms: the bytes signed are the bytes sent (an empty list also spares axios a header normalisation)
const IDENTITY: [] = [];
const DEFAULT_BASE_URL = 'https://api.mch.weixin.qq.com/';
const BACKUP_BASE_URL = 'https://api2.mch.weixin.qq.com/';
/** WeChat Pay's host for servers outside the Chinese mainland, where it documents the Hong Kong and cross-border APIs. */
const HK_BASE_URL = 'https://apihk.mch.weixin.qq.com/';

/** The host a client sends to: the one given, else its region's. */
const baseURLOf = (config: BuilderConfig): string =>
  config.baseURL ?? (config.region === 'hk' ? HK_BASE_URL : DEFAULT_BASE_URL);
const USER_AGENT = `wechatpay-chain/${VERSION} axios/${axios.VERSION} node/${process.versions.node}`;

function keyFailure(field: string, error: unknown): FieldIssue {
  return { path: field, issue: `does not load: ${(error as Error).message}` };
}

/** Validate, then load every key whose field passed, so one ConfigError lists every bad field and key. */
function loadKeys(config: BuilderConfig): LoadedKeys<KeyObject> {
  const issues: FieldIssue[] = validateConfig(config);
  const flagged = (field: string) => issues.some(({ path }) => path === field || path.startsWith(`${field}.`));
  let privateKey: KeyObject | undefined;
  let platformKeys: PlatformKeys | undefined;
  if (issues.length > 0 && (config === null || typeof config !== 'object')) throw new ConfigError(issues);
  try {
    if (!flagged('privateKey')) privateKey = loadKey(config.privateKey, 'private');
  } catch (error) {
    issues.push(keyFailure('privateKey', error));
  }
  const given = typeof config.certs === 'object' && config.certs !== null ? config.certs : {};
  const certs = Object.entries(given).filter(([id]) => !flagged(`certs.${id}`));
  try {
    if (!flagged('certs') || certs.length > 0) platformKeys = new PlatformKeys(Object.fromEntries(certs));
  } catch {
    // the error path only: load entry by entry so every bad one is named
    for (const [id, thing] of certs) {
      try {
        loadKey(thing, 'public');
      } catch (error) {
        issues.push({ path: `certs.${id}`, issue: `does not load: ${(error as Error).message}` });
      }
    }
  }
  if (issues.length > 0 || !privateKey || !platformKeys) throw new ConfigError(issues);
  return { privateKey, platformKeys };
}

/** Failover only ever goes from WeChat Pay's main host to its backup: a custom baseURL (a sandbox) has none unless given. */
function backupOf(config: BuilderConfig): string | undefined {
  if (config.backupBaseURL === false) return undefined;
  if (config.backupBaseURL !== undefined) return config.backupBaseURL;
  return baseURLOf(config) === DEFAULT_BASE_URL ? BACKUP_BASE_URL : undefined;
}

function axiosOptions(config: BuilderConfig): AxiosRequestConfig {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) if (!SDK_OPTIONS.has(key)) options[key] = value;
  const headers = { 'User-Agent': USER_AGENT, ...(config.headers as Record<string, string> | undefined) };
  return {
    baseURL: baseURLOf(config),
    // no WeChat Pay API redirects, and following redirects doubles axios' own cost per call
    maxRedirects: 0,
    timeout: 30_000,
    // our node:http(s) transport under axios' interceptors; timeout bounds the whole exchange, replies are capped.
    // A caller's own axios instance keeps its adapter (proxies, tracing, test doubles).
    ...(config.axios === undefined ? { adapter: wechatpayAdapter } : {}),
    maxContentLength: DEFAULT_MAX_CONTENT_LENGTH,
    ...options,
    headers,
    transformRequest: IDENTITY,
    transformResponse: IDENTITY,
    responseType: 'arraybuffer',
    validateStatus: ANY_STATUS,
    // only paths relative to baseURL: an absolute URL would carry a valid Authorization to another host
    allowAbsoluteUrls: false,
  };
}

function pemOf(thing: string | Buffer, field: string): Buffer {
  if (Buffer.isBuffer(thing)) return thing;
  if (!thing.startsWith('file://')) return Buffer.from(thing);
  try {
    return readFileSync(fileURLToPath(thing));
  } catch (error) {
    throw new ConfigError([
      { path: field, issue: `cannot read ${thing}: ${(error as NodeJS.ErrnoException).code ?? 'read error'}` },
    ]);
  }
}

function loadMerchantTls(config: BuilderConfig): ApiV2Options['merchant'] {
  const { merchant } = config;
  if (!merchant) return undefined;
  return {
    cert: pemOf(merchant.cert, 'merchant.cert'),
    key: pemOf(merchant.key, 'merchant.key'),
    ...(merchant.ca === undefined ? {} : { ca: pemOf(merchant.ca, 'merchant.ca') }),
  };
}

/** APIv2 shares the transport settings, not the APIv3 interceptors: its signature lives in the XML body. */
function createV2Http(config: BuilderConfig) {
  const http = createHttp(config.axios, axiosOptions(config));
  http.interceptors.response.use(undefined, toTransportError);
  adoptInterceptors(config.axios, http);
  return http;
}

/**
 * Modules only some clients use (APIv2, certificate download, the WebCrypto backend of `create`) load when first
 * used, not with the package: `require('wechatpay-chain')` + `factory` + a first APIv3 call stays cheap.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- literal paths, so bundlers (Workers) still follow them */
const lazily = {
  apiV2: () => require('./apiv2/client') as typeof import('./apiv2/client'),
  certificates: () => require('./certificates/manager') as typeof import('./certificates/manager'),
  fieldCrypto: () => require('./crypto/field-crypto') as typeof import('./crypto/field-crypto'),
  backend: () => require('./crypto/backend') as typeof import('./crypto/backend'),
  backendKeys: () => require('./crypto/backend-keys') as typeof import('./crypto/backend-keys'),
  runtimeAdapter: () => require('./transport/runtime-adapter') as typeof import('./transport/runtime-adapter'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * APIv2 (XML; `secret`, mutual TLS checked and read now) whose client module and axios instance are made on the
 * first `v2/` call. A caller's own axios instance is derived from now, so it gives both APIs the same interceptors.
 */
function lazyV2(config: BuilderConfig, options: ApiV2Options): Pick<ApiV2, 'request'> {
  let http = config.axios === undefined ? undefined : createV2Http(config);
  let v2: ApiV2 | undefined;
  return {
    request: (method, template, callOptions) => {
      v2 ??= new (lazily.apiV2().ApiV2)((http ??= createV2Http(config)), options);
      return v2.request(method, template, callOptions);
    },
  };
}

/** The keys a client runs on, and how the backend that imported them signs, verifies and encrypts. */
interface LoadedKeys<K> {
  privateKey: K;
  platformKeys: PlatformKeys<K>;
  /** Absent: node:crypto, synchronous where that is fastest (today's path). */
  backend?: CryptoBackend<K>;
}

function wire<K>(config: BuilderConfig, keys: LoadedKeys<K>): WechatpayInstance {
  const { platformKeys, backend } = keys;
  const http = createHttp(config.axios, axiosOptions(config));
  const privateKey = backend ? undefined : (keys.privateKey as unknown as KeyObject);
  const sign = backend && ((message: Buffer) => backend.sign(message, keys.privateKey));
  http.interceptors.request.use(createSigner({ mchid: config.mchid, serial: config.serial, privateKey, sign }));
  const observer = new Observer(config.hooks, config.logger);
  const manager =
    config.apiv3Key === undefined || backend
      ? undefined
      : new (lazily.certificates().CertificateManager)(http, platformKeys as unknown as PlatformKeys, {
          refreshIntervalMs: config.certificateRefreshMs,
          sharing: {
            store: config.certificateStore ?? sharedCertificateStore(),
            // one merchant on one gateway: a test server's certificates never stand in for WeChat Pay's
            key: `certificates:${baseURLOf(config)}:${config.mchid}`,
            apiv3Key: config.apiv3Key,
            report: (event) => observer.emit(event),
          },
        });
  const certificates = manager && { apiv3Key: config.apiv3Key!, manager };
  const verifyWith = backend && backend.verify.bind(backend);
  http.interceptors.response.use(createVerifier({ keys: platformKeys, certificates, verifyWith }), toTransportError);
  adoptInterceptors(config.axios, http);
  const v2 = lazyV2(config, {
    mchid: config.mchid,
    secret: config.secret,
    merchant: loadMerchantTls(config),
  });
  const client = new Client(http, {
    v2,
    certificates: manager,
    platformKeys,
    privateKey,
    fieldCrypto: backend && lazily.fieldCrypto().fieldCryptoOf(backend, keys.privateKey, platformKeys),
    validation: config.validation,
    encrypt: config.encrypt,
    cacheSize: config.cacheSize,
    retry: config.retry,
    backupBaseURL: backupOf(config),
    observer,
  });
  const instance = createChain(client, { cacheSize: config.cacheSize }) as WechatpayInstance;
  CLIENTS.set(instance, { client, manager });
  return instance;
}

export interface CreateOptions {
  /** `node` (node:crypto KeyObjects) or `webcrypto` (jose + crypto.subtle). Default: `node` on Node, else `webcrypto`. */
  backend?: BackendName;
}

/** A `region: 'hk'` config: its client is typed by the Hong Kong and cross-border catalog. */
export type HkBuilderConfig = BuilderConfig & { region: 'hk' };

/**
 * Validate the config, parse every key once, wire signer and verifier into a fresh axios instance,
 * and return the chainable client. Throws `ConfigError` naming each bad field; never mutates `config`.
 */
function factory(config: HkBuilderConfig): WechatpayHkInstance;
function factory(config: BuilderConfig): WechatpayInstance;
function factory(config: BuilderConfig): WechatpayInstance | WechatpayHkInstance {
  return wire(config, loadKeys(config));
}

/**
 * The same client, built asynchronously so keys can be imported through jose into WebCrypto: works on Node,
 * Bun, Deno and Cloudflare Workers. Rejects with the `ConfigError` `factory` would throw.
 */
async function create(config: HkBuilderConfig, options?: CreateOptions): Promise<WechatpayHkInstance>;
async function create(config: BuilderConfig, options?: CreateOptions): Promise<WechatpayInstance>;
async function create(
  config: BuilderConfig,
  options: CreateOptions = {},
): Promise<WechatpayInstance | WechatpayHkInstance> {
  const { backendNamed, defaultBackend } = lazily.backend();
  const { importConfigKeys } = lazily.backendKeys();
  const { withRuntimeAdapter } = lazily.runtimeAdapter();
  const name = options.backend ?? defaultBackend();
  if (name === 'node') return wire(config, loadKeys(config));
  const issues = validateConfig(config);
  if (issues.length > 0 && (config === null || typeof config !== 'object')) throw new ConfigError(issues);
  const backend = backendNamed(name) as CryptoBackend<WebRsaKey>;
  const keys = await importConfigKeys(config, backend, issues);
  return wire(withRuntimeAdapter(config), { ...keys, backend });
}

export const Builder = { factory, create };

/** What an instance was built with, for helpers that need more than the chain. */
const CLIENTS = new WeakMap<object, { client: Client; manager?: CertificateManager }>();

export function coreOf(instance: WechatpayInstance | WechatpayHkInstance): {
  client: Client;
  manager?: CertificateManager;
} {
  const core = CLIENTS.get(instance);
  if (!core) throw new TypeError('not an instance made by Builder.factory');
  return core;
}

/** Download the platform certificates now (needs `apiv3Key`); they are verified, decrypted and kept. */
export function downloadCertificates(
  instance: WechatpayInstance | WechatpayHkInstance,
): Promise<PlatformCertificate[]> {
  const { manager } = coreOf(instance);
  if (!manager)
    return Promise.reject(
      new ConfigError([{ path: 'apiv3Key', issue: 'is required to download platform certificates' }]),
    );
  return manager.refresh();
}
