import axios, { type AxiosRequestConfig } from 'axios';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ApiV2, type ApiV2Options } from './apiv2/client';
import type { PlatformCertificate } from './certificates/decode';
import { CertificateManager } from './certificates/manager';
import { createChain } from './chain/proxy';
import { assertConfig } from './config/validate';
import { loadKey, type KeyLike, type KeyLoadError } from './crypto/keys';
import { ConfigError, type FieldIssue } from './errors';
import { Client } from './transport/client';
import { createSigner } from './transport/signer';
import { toTransportError } from './transport/transport-error';
import { createVerifier } from './transport/verifier';
import type { WechatpayInstance } from './types';
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
}

const SDK_OPTIONS = new Set([
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
]);
const IDENTITY = [(data: unknown) => data];
const DEFAULT_BASE_URL = 'https://api.mch.weixin.qq.com/';
const USER_AGENT = `wechatpay-chain/${VERSION} axios/${axios.VERSION} node/${process.versions.node}`;

function keyFailure(field: string, error: unknown): FieldIssue {
  return { path: field, issue: `does not load: ${(error as Error).message}` };
}

function loadKeys(config: BuilderConfig): { privateKey: KeyObject; platformKeys: PlatformKeys } {
  const issues: FieldIssue[] = [];
  let privateKey: KeyObject | undefined;
  let platformKeys: PlatformKeys | undefined;
  try {
    privateKey = loadKey(config.privateKey, 'private');
  } catch (error) {
    issues.push(keyFailure('privateKey', error));
  }
  const certs = config.certs ?? {};
  try {
    platformKeys = new PlatformKeys(certs);
  } catch (error) {
    issues.push({
      path: (error as KeyLoadError).field ?? 'certs',
      issue: `does not load: ${(error as Error).message}`,
    });
  }
  if (Object.hasOwn(certs, config.serial)) {
    issues.push({
      path: `certs.${config.serial}`,
      issue: "is the merchant's own certificate serial, not a WeChat Pay key",
    });
  }
  if (config.apiv3Key !== undefined && Buffer.byteLength(config.apiv3Key) !== 32) {
    issues.push({ path: 'apiv3Key', issue: 'must be 32 bytes' });
  }
  if (issues.length > 0 || !privateKey || !platformKeys) throw new ConfigError(issues);
  return { privateKey, platformKeys };
}

function axiosOptions(config: BuilderConfig): AxiosRequestConfig {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) if (!SDK_OPTIONS.has(key)) options[key] = value;
  const headers = { 'User-Agent': USER_AGENT, ...(config.headers as Record<string, string> | undefined) };
  return {
    baseURL: DEFAULT_BASE_URL,
    // no WeChat Pay API redirects, and following redirects doubles axios' own cost per call
    maxRedirects: 0,
    timeout: 30_000,
    ...options,
    headers,
    transformRequest: IDENTITY,
    transformResponse: IDENTITY,
    responseType: 'arraybuffer',
    validateStatus: () => true,
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
  const http = axios.create(axiosOptions(config));
  http.interceptors.response.use(undefined, toTransportError);
  return http;
}

export const Builder = {
  /**
   * Validate the config, parse every key once, wire signer and verifier into a fresh axios instance,
   * and return the chainable client. Throws `ConfigError` naming each bad field; never mutates `config`.
   */
  factory(config: BuilderConfig): WechatpayInstance {
    assertConfig(config);
    const { privateKey, platformKeys } = loadKeys(config);
    const http = axios.create(axiosOptions(config));
    http.interceptors.request.use(createSigner({ mchid: config.mchid, serial: config.serial, privateKey }));
    const manager =
      config.apiv3Key === undefined
        ? undefined
        : new CertificateManager(http, platformKeys, { refreshIntervalMs: config.certificateRefreshMs });
    const certificates = manager && { apiv3Key: config.apiv3Key!, manager };
    http.interceptors.response.use(createVerifier({ keys: platformKeys, certificates }), toTransportError);
    const v2 = new ApiV2(createV2Http(config), {
      mchid: config.mchid,
      secret: config.secret,
      merchant: loadMerchantTls(config),
    });
    const client = new Client(http, {
      v2,
      certificates: manager,
      platformKeys,
      privateKey,
      validation: config.validation,
      encrypt: config.encrypt,
      cacheSize: config.cacheSize,
    });
    const instance = createChain(client, { cacheSize: config.cacheSize }) as WechatpayInstance;
    CLIENTS.set(instance, { client, manager });
    return instance;
  },
};

/** What an instance was built with, for helpers that need more than the chain. */
const CLIENTS = new WeakMap<object, { client: Client; manager?: CertificateManager }>();

export function coreOf(instance: WechatpayInstance): { client: Client; manager?: CertificateManager } {
  const core = CLIENTS.get(instance);
  if (!core) throw new TypeError('not an instance made by Builder.factory');
  return core;
}

/** Download the platform certificates now (needs `apiv3Key`); they are verified, decrypted and kept. */
export function downloadCertificates(instance: WechatpayInstance): Promise<PlatformCertificate[]> {
  const { manager } = coreOf(instance);
  if (!manager)
    return Promise.reject(
      new ConfigError([{ path: 'apiv3Key', issue: 'is required to download platform certificates' }]),
    );
  return manager.refresh();
}
