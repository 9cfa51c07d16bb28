import type { AxiosInstance, AxiosResponse } from 'axios';
import type { ApiV2 } from '../apiv2/client';
import type { CertificateManager } from '../certificates/manager';
import type { KeyObject } from 'node:crypto';
import type { Requester } from '../chain/proxy';
import { LruCache } from '../chain/lru';
import { decryptFields, encryptFields, encryptionIssues } from '../catalog/encrypt';
import { findRoute } from '../catalog/lookup';
import type { RouteFacts } from '../catalog/route-facts';
import { validateRequest } from '../catalog/validate';
import { ValidationError, type FieldIssue } from '../errors';
import { buildRequest, type HttpMethod } from '../request/build';
import { buildMultipart } from '../media/multipart';
import { SIGNED_BODY, type RequestOptions } from '../request/options';
import { compileTemplate, type CompiledTemplate } from '../request/template';
import type { PlatformKeys } from '../verify/platform-keys';

export interface ClientOptions {
  /** WeChat Pay keys, to encrypt sensitive fields with. */
  platformKeys: PlatformKeys;
  /** The merchant key, to decrypt reply fields encrypted to it. */
  privateKey: KeyObject;
  /** Check catalogued endpoints' fields before sending (default true; `'strict'` also refuses unknown ones). */
  validation?: boolean | 'strict';
  /** Encrypt catalogued sensitive fields given in plaintext (default false). */
  encrypt?: boolean;
  cacheSize?: number;
  /** APIv2 (`v2/...` paths). */
  v2?: ApiV2;
  /** With an APIv3 key and no configured WeChat Pay key: where keys to encrypt with come from. */
  certificates?: CertificateManager;
}

/**
 * The untyped core: `(method, path template, options)` -> a signed, verified axios call.
 * Usable without the proxy; the chain is a thin facade over `request`.
 */
export class Client implements Requester {
  private readonly templates: LruCache<string, CompiledTemplate>;

  constructor(
    readonly http: AxiosInstance,
    private readonly options: ClientOptions,
  ) {
    this.templates = new LruCache(options.cacheSize ?? 1024);
  }

  private template(path: string): CompiledTemplate {
    let template = this.templates.get(path);
    if (template === undefined) {
      try {
        template = compileTemplate(path);
      } catch (error) {
        throw new ValidationError([{ path: 'path', issue: (error as Error).message }]);
      }
      this.templates.set(path, template);
    }
    return template;
  }

  /** Catalogued endpoints: validate what the caller gave, then encrypt what must be (or insist it already is). */
  private prepare(route: RouteFacts, options: RequestOptions): RequestOptions {
    const mode = options.validation ?? this.options.validation ?? true;
    const validation = mode === true || mode === 'strict';
    const encrypt = (options.encrypt ?? this.options.encrypt ?? false) === true;
    const issues: FieldIssue[] = validation ? validateRequest(route, options, mode) : [];
    if (!encrypt) {
      if (validation) issues.push(...encryptionIssues(route, options as never));
      if (issues.length > 0) throw new ValidationError(issues);
      return options;
    }
    if (issues.length > 0) throw new ValidationError(issues);
    const encrypted = encryptFields(route, options as never, this.options.platformKeys);
    if (encrypted.issues.length > 0) throw new ValidationError(encrypted.issues);
    return encrypted.bag as RequestOptions;
  }

  private wantsEncryption(options: RequestOptions): boolean {
    return (options?.encrypt ?? this.options.encrypt ?? false) === true;
  }

  async request<T = unknown>(
    method: HttpMethod,
    path: string,
    options: RequestOptions = {},
  ): Promise<AxiosResponse<T>> {
    if (path.startsWith('v2/')) {
      if (!this.options.v2) throw new ValidationError([{ path: 'path', issue: `/${path}: APIv2 is not configured` }]);
      return this.options.v2.request(method, this.template(path), options) as Promise<AxiosResponse<T>>;
    }
    const route = findRoute(method, path);
    if (route && this.options.platformKeys.size === 0 && this.options.certificates && this.wantsEncryption(options)) {
      await this.options.certificates.refresh();
    }
    let prepared = route && options !== null && typeof options === 'object' ? this.prepare(route, options) : options;
    let signedBody: string | undefined;
    if (prepared?.media !== undefined) {
      if (prepared.json !== undefined || prepared.body !== undefined) {
        throw new ValidationError([{ path: 'media', issue: 'a media upload carries no `json` or `body`' }]);
      }
      const multipart = await buildMultipart(prepared.media);
      signedBody = multipart.meta;
      prepared = {
        ...prepared,
        media: undefined,
        body: multipart.body,
        headers: { ...prepared.headers, 'Content-Type': multipart.contentType },
      };
    }
    const built = buildRequest(method, this.template(path), prepared);
    const response = await this.http.request<T>({
      ...built.passthrough,
      method: built.method,
      url: built.url,
      headers: built.headers,
      data: built.data,
      ...(signedBody === undefined ? {} : { [SIGNED_BODY]: signedBody }),
    });
    if (options.decrypt === true && route && route.responseEncrypted.length > 0) {
      response.data = decryptFields(response.data, route.responseEncrypted, this.options.privateKey);
    }
    return response;
  }
}
