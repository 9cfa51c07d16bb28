import type { AxiosInstance, AxiosResponse } from 'axios';
import type { ApiV2 } from '../apiv2/client';
import type { CertificateManager } from '../certificates/manager';
import type { CryptoBackend } from '../crypto/backend';
import { ValidationError } from '../errors';
import { Observer } from '../observe/observer';
import { buildRequest, type HttpMethod } from '../request/build';
import type { RequestOptions } from '../request/options';
import { sendWithRetry } from '../transport/retry';
import { resolvePolicy, type RetrySetting } from '../transport/retry-policy';
import { safeToRepeat, takeRetryOptions } from './repeat';
import type { PlatformKeys } from '../verify/platform-keys';
import { prepare, wantsEncryption } from './prepare';
import { reply } from './reply';
import { Routes } from './route';
import { send } from './send';

export interface ClientOptions<K = unknown> {
  /** The crypto backend the keys were imported by: it encrypts request fields and decrypts reply fields. */
  backend: CryptoBackend<K>;
  /** WeChat Pay keys, to encrypt sensitive fields with. */
  platformKeys: PlatformKeys<K>;
  /** The merchant key, to decrypt reply fields encrypted to it. */
  privateKey: K;
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

/**
 * The protocol core: `(method, path template, options)` -> a signed, verified axios call. `v2/` paths go to the
 * APIv2 client here, at the entry; an APIv3 call passes four stages, one file each: route and facts (route.ts),
 * prepare (prepare.ts: validate, encrypt, media), send (send.ts: once or with retries, signed and verified by the
 * interceptors sign-request.ts and verify-reply.ts), reply (reply.ts: decrypt). The chain is a thin facade over it.
 */
export class Client<K = unknown> {
  private readonly routes: Routes;

  constructor(
    readonly http: AxiosInstance,
    private readonly options: ClientOptions<K>,
  ) {
    this.routes = new Routes(options.cacheSize ?? 1024);
  }

  async request<T = unknown>(
    method: HttpMethod,
    path: string,
    callOptions: RequestOptions = {},
  ): Promise<AxiosResponse<T>> {
    const { retry, idempotent, options } = takeRetryOptions(callOptions);
    if (path.startsWith('v2/')) return this.requestV2<T>(method, path, options);
    const { facts, template } = this.routes.route(method, path);
    const settings = this.options;
    if (facts && settings.platformKeys.size === 0 && settings.certificates && wantsEncryption(options, settings)) {
      await settings.certificates.refresh();
    }
    const prepared = await prepare(facts, options, settings);
    const built = buildRequest(method, template(), prepared.options);
    const policy = resolvePolicy(settings.retry, retry);
    const response = await send<T>(this.http, built, prepared.signedBody, {
      policy: policy && safeToRepeat(built.method, facts, built, idempotent) ? policy : undefined,
      backupBaseURL: settings.backupBaseURL,
      observer: settings.observer ?? NO_OBSERVER,
    });
    return reply(response, facts, options, settings.privateKey, settings.backend);
  }

  /** APIv2: observed like APIv3 calls; sent once (APIv2 re-entry rules vary by interface). */
  private requestV2<T>(method: HttpMethod, path: string, options: RequestOptions): Promise<AxiosResponse<T>> {
    const { v2 } = this.options;
    if (!v2) throw new ValidationError([{ path: 'path', issue: `/${path}: APIv2 is not configured` }]);
    const template = this.routes.template(path);
    return sendWithRetry(() => v2.request(method, template, options) as Promise<AxiosResponse<T>>, {
      method,
      path: `/${path.slice(3).split('?')[0]}`,
      baseURL: this.http.defaults.baseURL ?? '',
      observer: this.options.observer ?? NO_OBSERVER,
    });
  }
}
