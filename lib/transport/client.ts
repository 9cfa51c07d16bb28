import type { AxiosInstance, AxiosResponse } from 'axios';
import type { Requester } from '../chain/proxy';
import { LruCache } from '../chain/lru';
import { ValidationError } from '../errors';
import { buildRequest, type HttpMethod } from '../request/build';
import type { RequestOptions } from '../request/options';
import { compileTemplate, type CompiledTemplate } from '../request/template';

/**
 * The untyped core: `(method, path template, options)` -> a signed, verified axios call.
 * Usable without the proxy; the chain is a thin facade over `request`.
 */
export class Client implements Requester {
  private readonly templates: LruCache<string, CompiledTemplate>;

  constructor(
    readonly http: AxiosInstance,
    templateCacheSize = 1024,
  ) {
    this.templates = new LruCache(templateCacheSize);
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

  async request<T = unknown>(method: HttpMethod, path: string, options?: RequestOptions): Promise<AxiosResponse<T>> {
    if (path === 'v2' || path.startsWith('v2/')) {
      throw new ValidationError([
        { path: 'path', issue: `/${path}: APIv2 (v2/...) calls are not available in this version` },
      ]);
    }
    const built = buildRequest(method, this.template(path), options);
    return this.http.request<T>({
      ...built.passthrough,
      method: built.method,
      url: built.url,
      headers: built.headers,
      data: built.data,
    });
  }
}
