import { LruCache } from '../chain/lru';
import { findRoute } from '../catalog/lookup';
import type { RouteFacts } from '../catalog/route-facts';
import { ValidationError } from '../errors';
import type { HttpMethod } from '../request/build';
import { compileTemplate, type CompiledTemplate } from '../request/template';

/** What the core remembers of a path: its compiled template and, per verb, its catalog facts (null: not catalogued). */
interface PathEntry {
  template?: CompiledTemplate;
  routes: Partial<Record<HttpMethod, RouteFacts | null>>;
}

/** A call's route: the path's compiled template, and the catalog's facts of `method path` when it is catalogued. */
export interface Route {
  template: CompiledTemplate;
  facts?: RouteFacts;
}

/** Stage 1, route and facts: templates compiled and catalog facts looked up once per path (least recently used go). */
export class Routes {
  private readonly paths: LruCache<string, PathEntry>;

  constructor(cacheSize = 1024) {
    this.paths = new LruCache(cacheSize);
  }

  private entry(path: string): PathEntry {
    let entry = this.paths.get(path);
    if (entry === undefined) {
      entry = { routes: {} };
      this.paths.set(path, entry);
    }
    return entry;
  }

  /** The compiled template of `path`; a malformed one is a ValidationError on `path`. */
  template(path: string, entry = this.entry(path)): CompiledTemplate {
    if (entry.template === undefined) {
      try {
        entry.template = compileTemplate(path);
      } catch (error) {
        throw new ValidationError([{ path: 'path', issue: (error as Error).message }]);
      }
    }
    return entry.template;
  }

  /** The catalog's facts of `method path`, undefined when it is not catalogued. */
  facts(method: HttpMethod, path: string, entry = this.entry(path)): RouteFacts | undefined {
    let facts = entry.routes[method];
    if (facts === undefined) facts = entry.routes[method] = findRoute(method, path) ?? null;
    return facts ?? undefined;
  }

  /** Facts first, then the template: a catalogued call is validated before its template variables are expanded. */
  route(method: HttpMethod, path: string): { facts?: RouteFacts; template: () => CompiledTemplate } {
    const entry = this.entry(path);
    return { facts: this.facts(method, path, entry), template: () => this.template(path, entry) };
  }
}
