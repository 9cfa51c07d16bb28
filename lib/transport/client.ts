import type { AxiosInstance, AxiosResponse } from 'axios';
import type { ApiV2 } from '../apiv2/client';
import type { CertificateManager } from '../certificates/manager';
import type { KeyObject } from 'node:crypto';
import type { Requester } from '../chain/proxy';
import { LruCache } from '../chain/lru';
import { decryptFields, encryptFields, encryptionIssues } from '../catalog/encrypt';
import { findRoute } from '../catalog/lookup';
import type { RouteFacts } from '../catalog/route-facts';
import { validateRequest, withJsonAsSent } from '../catalog/validate';
import { ValidationError, type FieldIssue } from '../errors';
import { buildRequest, type HttpMethod } from '../request/build';
import { SIGNED_BODY, type RequestOptions } from '../request/options';
import { compileTemplate, type CompiledTemplate } from '../request/template';
import type { PlatformKeys } from '../verify/platform-keys';
import { Observer } from '../observe/observer';
import { sendOnce, sendWithRetry } from './retry';
import { resolvePolicy, safeToRepeat, takeRetryOptions, type RetrySetting } from './retry-policy';

export interface ClientOptions {
  /** WeChat Pay keys, to encrypt sensitive fields with. */
  platformKeys: PlatformKeys<unknown>;
  /** The merchant key, to decrypt reply fields encrypted to it (node:crypto; see `fieldCrypto`). */
  privateKey?: KeyObject;
  /** Field encryption through an asynchronous crypto backend (WebCrypto) instead of node:crypto. */
  fieldCrypto?: FieldCrypto;
  /** Check catalogued endpoints' fields before sending (default true; `'strict'` also refuses unknown ones). */
  validation?: boolean | 'strict';
  /** Encrypt catalogued sensitive fields given in plaintext (default false). */
  encrypt?: boolean;
  cacheSize?: number;
  /** APIv2 (`v2/...` paths). */
  v2?: Pick<ApiV2, 'request'>;
  /** With an APIv3 key and no configured WeChat Pay key: where keys to encrypt with come from. */
  certificates?: CertificateManager;
  /** Retries (off by default); a call's own `retry` option wins. Only calls safe to repeat are retried. */
  retry?: RetrySetting;
  /** Where retries go after a network failure or 5xx (same path); undefined: no failover. */
  backupBaseURL?: string;
  /** Request/response/retry/error events for hooks and a logger. */
  observer?: Observer;
}

const NO_OBSERVER = new Observer();

/** Encrypts request fields and decrypts reply fields with keys a crypto backend imported (see `Builder.create`). */
export interface FieldCrypto {
  encrypt<B extends object>(route: RouteFacts, bag: B): Promise<{ bag: B; issues: FieldIssue[] }>;
  decrypt<T>(data: T, paths: readonly string[]): Promise<T>;
}

/**
 * The untyped core: `(method, path template, options)` -> a signed, verified axios call.
 * Usable without the proxy; the chain is a thin facade over `request`.
 */
/** What a client remembers of a path: its compiled template and, per verb, its catalog facts (null: not catalogued). */
interface PathEntry {
  template?: CompiledTemplate;
  routes: Partial<Record<HttpMethod, RouteFacts | null>>;
}

/** What axios is handed: a literal of one shape when the call passes no axios options, so no copy is grown. */
function axiosConfig(
  built: ReturnType<typeof buildRequest>,
  signedBody: string | undefined,
  baseURL: string | undefined,
): Record<string, unknown> {
  const { method, url, headers, data, passthrough } = built;
  let config: Record<string, unknown>;
  if (Object.keys(passthrough).length === 0) config = { method, url, headers, data };
  else config = { ...passthrough, method, url, headers, data };
  if (baseURL !== undefined) config.baseURL = baseURL;
  if (signedBody !== undefined) config[SIGNED_BODY] = signedBody;
  return config;
}

export class Client implements Requester {
  private readonly paths: LruCache<string, PathEntry>;

  constructor(
    readonly http: AxiosInstance,
    private readonly options: ClientOptions,
  ) {
    this.paths = new LruCache(options.cacheSize ?? 1024);
  }

  private entry(path: string): PathEntry {
    let entry = this.paths.get(path);
    if (entry === undefined) {
      entry = { routes: {} };
      this.paths.set(path, entry);
    }
    return entry;
  }

  private template(path: string, entry = this.entry(path)): CompiledTemplate {
    if (entry.template === undefined) {
      try {
        entry.template = compileTemplate(path);
      } catch (error) {
        throw new ValidationError([{ path: 'path', issue: (error as Error).message }]);
      }
    }
    return entry.template;
  }

  /** The catalog's facts of `method path`, looked up once per path and verb. */
  private route(method: HttpMethod, entry: PathEntry, path: string): RouteFacts | undefined {
    let route = entry.routes[method];
    if (route === undefined) route = entry.routes[method] = findRoute(method, path) ?? null;
    return route ?? undefined;
  }

  /**
   * Catalogued endpoints: validate what the caller gave, then encrypt what must be (or insist it already is).
   * Synchronous unless there is something to encrypt: no promise per call for the common case.
   */
  private prepare(route: RouteFacts, options: RequestOptions): RequestOptions | Promise<RequestOptions> {
    const mode = options.validation ?? this.options.validation ?? true;
    const validation = mode === true || mode === 'strict';
    const encrypt = (options.encrypt ?? this.options.encrypt ?? false) === true;
    if (!validation && !encrypt) return options;
    options = withJsonAsSent(options);
    const issues: FieldIssue[] = validation ? validateRequest(route, options, mode) : [];
    if (!encrypt) {
      issues.push(...encryptionIssues(route, options as never));
      if (issues.length > 0) throw new ValidationError(issues);
      return options;
    }
    if (issues.length > 0) throw new ValidationError(issues);
    return this.encrypted(route, options);
  }

  private async encrypted(route: RouteFacts, options: RequestOptions): Promise<RequestOptions> {
    const { fieldCrypto } = this.options;
    const encrypted = fieldCrypto
      ? await fieldCrypto.encrypt(route, options)
      : encryptFields(route, options as never, this.options.platformKeys as PlatformKeys);
    if (encrypted.issues.length > 0) throw new ValidationError(encrypted.issues);
    return encrypted.bag as RequestOptions;
  }

  private wantsEncryption(options: RequestOptions): boolean {
    return (options?.encrypt ?? this.options.encrypt ?? false) === true;
  }

  async request<T = unknown>(
    method: HttpMethod,
    path: string,
    callOptions: RequestOptions = {},
  ): Promise<AxiosResponse<T>> {
    const { retry, idempotent, options } = takeRetryOptions(callOptions);
    if (path.startsWith('v2/')) {
      if (!this.options.v2) throw new ValidationError([{ path: 'path', issue: `/${path}: APIv2 is not configured` }]);
      const v2 = this.options.v2;
      // observed like APIv3 calls; sent once (APIv2 re-entry rules vary by interface)
      return sendWithRetry(() => v2.request(method, this.template(path), options) as Promise<AxiosResponse<T>>, {
        method,
        path: `/${path.slice(3).split('?')[0]}`,
        baseURL: this.http.defaults.baseURL ?? '',
        observer: this.options.observer ?? NO_OBSERVER,
      });
    }
    const entry = this.entry(path);
    const route = this.route(method, entry, path);
    if (route && this.options.platformKeys.size === 0 && this.options.certificates && this.wantsEncryption(options)) {
      await this.options.certificates.refresh();
    }
    let prepared = route && options !== null && typeof options === 'object' ? this.prepare(route, options) : options;
    if (prepared instanceof Promise) prepared = await prepared;
    let signedBody: string | undefined;
    if (prepared?.media !== undefined) {
      if (prepared.json !== undefined || prepared.body !== undefined) {
        throw new ValidationError([{ path: 'media', issue: 'a media upload carries no `json` or `body`' }]);
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- uploads only: not loaded by every client
      const { buildMultipart } = require('../media/multipart') as typeof import('../media/multipart');
      const multipart = await buildMultipart(prepared.media);
      signedBody = multipart.meta;
      prepared = {
        ...prepared,
        media: undefined,
        body: multipart.body,
        headers: { ...prepared.headers, 'Content-Type': multipart.contentType },
      };
    }
    const built = buildRequest(method, this.template(path, entry), prepared);
    const policy = resolvePolicy(this.options.retry, retry as RetrySetting | undefined);
    const observer = this.options.observer ?? NO_OBSERVER;
    const retried = policy && safeToRepeat(built.method, route, built, idempotent) ? policy : undefined;
    // the common case (no retry, nobody observing) sends straight away: no per-call closures around the send
    const response =
      retried === undefined && !observer.active
        ? await sendOnce(this.http.request<T>(axiosConfig(built, signedBody, undefined)))
        : await sendWithRetry((baseURL) => this.http.request<T>(axiosConfig(built, signedBody, baseURL)), {
            method: built.method,
            path: `/${built.url.split('?')[0]}`,
            baseURL: (built.passthrough.baseURL as string | undefined) ?? this.http.defaults.baseURL ?? '',
            clientBaseURL: this.http.defaults.baseURL,
            policy: retried,
            backupBaseURL: this.options.backupBaseURL,
            signal: (built.passthrough.signal ?? this.http.defaults.signal) as AbortSignal | undefined,
            observer,
          });
    if (options.decrypt === true && route && route.responseEncrypted.length > 0) {
      const { fieldCrypto, privateKey } = this.options;
      response.data = fieldCrypto
        ? await fieldCrypto.decrypt(response.data, route.responseEncrypted)
        : decryptFields(response.data, route.responseEncrypted, privateKey!);
    }
    return response;
  }
}
