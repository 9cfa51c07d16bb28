import type { HttpMethod } from '../request/build';

/** A JSON Schema as the catalog generator writes it (the keyword subset lib/catalog/schema-check.ts walks; specs check it against ajv). */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  enum?: Array<string | number>;
  maxLength?: number;
  pattern?: string;
  nullable?: boolean;
}

/** What the runtime knows of one catalogued endpoint (types live in `generated/endpoints.ts`). */
export interface RouteFacts {
  readonly method: HttpMethod;
  /** Template path without the leading slash: `v3/.../special-reduction/{out_request_no}`. */
  readonly path: string;
  readonly summary: string;
  /** The facts' business tag (docs group). */
  readonly tag: string;
  readonly params: readonly string[];
  readonly query?: JsonSchema;
  readonly json?: JsonSchema;
  /** APIv2: the XML body's fields. */
  readonly xml?: JsonSchema;
  /** A multipart media upload (`media` option). */
  readonly media?: boolean;
  /** Request fields WeChat Pay wants RSA-OAEP encrypted with its public key, by location: dotted paths, `[]` for array items. */
  readonly encrypted: { readonly query: readonly string[]; readonly json: readonly string[] };
  /** Response fields encrypted to the merchant key: dotted paths, `[]` for array items. */
  readonly responseEncrypted: readonly string[];
  /** Groups of JSON fields that must not be equal (official page rules). */
  readonly distinct: ReadonlyArray<readonly string[]>;
}

export const routeKey = (method: string, path: string): string => `${method.toUpperCase()} ${path}`;
