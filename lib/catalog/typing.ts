import type { AxiosRequestConfig, AxiosResponse } from 'axios';
import type { ChainNode } from '../types';

/** Per-call options every typed verb accepts besides its fields. */
export interface CallOptions extends Omit<
  AxiosRequestConfig,
  | 'url'
  | 'method'
  | 'params'
  | 'paramsSerializer'
  | 'data'
  | 'transformRequest'
  | 'transformResponse'
  | 'responseType'
  | 'validateStatus'
  | 'headers'
> {
  headers?: { 'Wechatpay-Serial'?: string } & Record<string, string | undefined>;
  /** Encrypt the endpoint's sensitive fields given in plaintext (overrides the client's `encrypt`). */
  encrypt?: boolean;
  /** APIv2: mutual TLS with the merchant certificate (refunds and other `security` calls). */
  security?: boolean;
  /** Decrypt the reply's fields that WeChat Pay encrypted to the merchant key. */
  decrypt?: boolean;
  /**
   * Check the fields against the endpoint's schema before sending (overrides the client's `validation`):
   * `true` refuses only what WeChat Pay certainly refuses, `'strict'` also unknown fields and enum values.
   */
  validation?: boolean | 'strict';
  /** Retry this call (overrides the client's `retry`); only calls safe to repeat are retried. */
  retry?: import('../transport/retry-policy').RetrySetting;
  /**
   * Whether this call may be sent again on a network failure or 5xx (overrides what the operation's facts say:
   * by default a GET is, and a call that sends every business number its operation is re-entrant on).
   */
  idempotent?: boolean;
}

/** What the generated catalog states of one endpoint. */
export interface EndpointShape {
  params: object;
  query: unknown;
  json: unknown;
  /** APIv2: the XML body's fields. */
  xml: unknown;
  /** A media upload's file. */
  media: unknown;
  response: unknown;
}

type Slot<Key extends string, Value> = [Value] extends [never]
  ? { [K in Key]?: never }
  : object extends Value
    ? { [K in Key]?: Value }
    : { [K in Key]: Value };

/** The options bag of a typed endpoint: its template variables, `query`, `json`, and the call options. */
export type OptionsOf<E extends EndpointShape> = E['params'] &
  Slot<'query', E['query']> &
  Slot<'json', E['json']> &
  Slot<'xml', E['xml']> &
  Slot<'media', E['media']> &
  CallOptions;

/** A verb of a catalogued endpoint: checked options in, typed reply out; still a chain node for deeper paths. */
export type TypedVerb<E extends EndpointShape> = (object extends OptionsOf<E>
  ? { (options?: OptionsOf<E>): Promise<AxiosResponse<E['response']>> }
  : { (options: OptionsOf<E>): Promise<AxiosResponse<E['response']>> }) & { readonly [segment: string]: ChainNode };

/** The `this` of a catalog node's call signature: no value has it, so calling a node that is not a verb fails to compile. */
export interface NotAVerb {
  readonly __callAVerb: 'call .get(), .post(), .put(), .patch() or .delete() on this node';
}

/** What `instance.v3` and `instance.v2` add to their catalogued members: any other segment, loosely typed. */
export interface LooseSegments {
  readonly [segment: string]: ChainNode;
}
