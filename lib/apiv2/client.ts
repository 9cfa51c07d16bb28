import type { AxiosInstance, AxiosResponse } from 'axios';
import { createHash } from 'node:crypto';
import type { Agent } from 'node:https';
import { Formatter, type Scalar } from '../crypto/formatter';
import { ALGO_HMAC_SHA256, ALGO_MD5 } from '../crypto/hash';
import { Transformer, type XmlObject } from '../crypto/transformer';
import { ApiError, ApiV2Error, ConfigError, SignatureError, ValidationError, truncate } from '../errors';
import { buildRequest, type HttpMethod } from '../request/build';
import type { RequestOptions } from '../request/options';
import { formData, readMedia } from '../media/multipart';
import { keepAliveAgent } from '../transport/adapter/agents';
import type { CompiledTemplate } from '../request/template';
import { signFields, UNSIGNED_V2_PATHS, verifyFields } from './sign';

export interface ApiV2Options {
  mchid: string;
  /** The APIv2 key. */
  secret?: string;
  /** Mutual TLS for `security: true` calls (refunds, transfers, ...). */
  merchant?: { cert: string | Buffer; key: string | Buffer; ca?: string | Buffer };
}

/** What an XML element may be named (as the Transformer writes them). */
const XML_NAME = /^[A-Za-z_][\w.-]*$/;

const MERCHANT_FIELDS = ['mch_id', 'mchid', 'combine_mch_id'] as const;

/**
 * APIv2 over XML: `nonce_str` and `sign` (MD5 or HMAC-SHA256) added to the fields, `mch_id` checked against the
 * config, the reply's `sign` verified (documented unsigned paths excepted), FAIL answers rejected.
 */
export class ApiV2 {
  private tlsAgent: Agent | undefined;

  constructor(
    private readonly http: AxiosInstance,
    private readonly options: ApiV2Options,
  ) {}

  /**
   * The fields to send, with `mch_id` checked (or added) and `sign` computed; `bag` names where they came from
   * (`xml` for a body, `query` for a GET). A GET adds no `nonce_str`: its documented fields have none.
   */
  private sign(xml: Record<string, unknown> | undefined, bag = 'xml', nonce = bag === 'xml'): Record<string, Scalar> {
    const secret = this.options.secret;
    if (secret === undefined)
      throw new ConfigError([{ path: 'secret', issue: 'is required for APIv2 (v2/...) calls' }]);
    if (xml !== undefined && (xml === null || typeof xml !== 'object' || Array.isArray(xml))) {
      throw new ValidationError([{ path: bag, issue: 'must be an object of scalar APIv2 fields' }]);
    }
    const fields: Record<string, Scalar> = {};
    for (const [key, value] of Object.entries(xml ?? {})) {
      if (!XML_NAME.test(key)) {
        throw new ValidationError([{ path: `${bag}.${key}`, issue: 'is not a valid APIv2 field (XML element) name' }]);
      }
      if (value !== undefined && value !== null && typeof value === 'object') {
        throw new ValidationError([{ path: `${bag}.${key}`, issue: 'must be a scalar (APIv2 fields are flat)' }]);
      }
      fields[key] = value as Scalar;
    }
    const merchantField = MERCHANT_FIELDS.find((name) => fields[name] !== undefined);
    if (merchantField === undefined) fields.mch_id = this.options.mchid;
    else if (String(fields[merchantField]) !== this.options.mchid) {
      throw new ValidationError([
        { path: `${bag}.${merchantField}`, issue: `must be the configured merchant id ${this.options.mchid}` },
      ]);
    }
    if (nonce) fields.nonce_str ??= Formatter.nonce();
    const type = String(fields.sign_type ?? ALGO_MD5);
    if (type !== ALGO_MD5 && type !== ALGO_HMAC_SHA256) {
      throw new ValidationError([{ path: `${bag}.sign_type`, issue: `must be ${ALGO_MD5} or ${ALGO_HMAC_SHA256}` }]);
    }
    delete fields.sign;
    fields.sign = signFields(fields, type, secret);
    return fields;
  }

  private agent(): Agent {
    const merchant = this.options.merchant;
    if (!merchant)
      throw new ConfigError([
        { path: 'merchant', issue: 'cert and key are required for `security: true` (mutual TLS) calls' },
      ]);
    // kept alive like the APIv3 agents, and closing idle sockets before the server does
    this.tlsAgent ??= keepAliveAgent(true, { cert: merchant.cert, key: merchant.key, ca: merchant.ca });
    return this.tlsAgent;
  }

  async request(method: HttpMethod, template: CompiledTemplate, options: RequestOptions = {}): Promise<AxiosResponse> {
    const { xml, security, headers, ...rest } = options;
    // APIv2's signature lives in the fields: a caller's own body (or json) would be sent unsigned, or replaced
    const misplaced = ['body', 'json'].filter((key) => rest[key] !== undefined);
    if (misplaced.length > 0) {
      throw new ValidationError(
        misplaced.map((path) => ({ path, issue: 'APIv2 calls give their fields as `xml` (signed into the body)' })),
      );
    }
    if (method === 'GET' && xml !== undefined) {
      throw new ValidationError([{ path: 'xml', issue: 'an APIv2 GET carries no body: give its fields as `query`' }]);
    }
    const { media, ...others } = rest;
    let signed: { query?: Record<string, Scalar>; body?: string | Buffer };
    let contentType: string | undefined = method === 'GET' ? undefined : 'text/xml; charset=utf-8';
    if (media !== undefined) {
      ({ signed, contentType } = await this.upload(method, media, xml));
    } else {
      signed =
        method === 'GET'
          ? { query: this.sign(rest.query as Record<string, unknown> | undefined, 'query') }
          : { body: Transformer.toXml(this.sign(xml as Record<string, unknown> | undefined)) };
    }
    const built = buildRequest(method, template, {
      ...others,
      ...signed,
      headers: {
        ...(contentType === undefined ? {} : { 'Content-Type': contentType }),
        Accept: 'text/xml, text/plain, application/xml',
        ...(headers ?? {}),
      },
    });
    const path = `/${built.url.replace(/^v2\//, '')}`;
    const response = await this.http.request({
      ...built.passthrough,
      ...(security === true ? { httpsAgent: this.agent() } : {}),
      method: built.method,
      url: path,
      headers: built.headers,
      data: built.data,
    });
    return this.accept(response, path.split('?')[0]!);
  }

  /**
   * APIv2 media upload (`v2/secapi/mch/uploadmedia`, micro-merchant onboarding): multipart `media` (the file) with
   * `mch_id`, `media_hash` (MD5 of the file, hex) and `sign` over those fields (plus any given in `xml`, such as
   * `sign_type`); no `nonce_str`, as the interface documents.
   */
  private async upload(
    method: HttpMethod,
    media: RequestOptions['media'],
    xml: unknown,
  ): Promise<{ signed: { body: Buffer }; contentType: string }> {
    if (method !== 'POST') throw new ValidationError([{ path: 'media', issue: 'an APIv2 media upload is a POST' }]);
    if (xml !== undefined && (xml === null || typeof xml !== 'object' || Array.isArray(xml))) {
      throw new ValidationError([{ path: 'xml', issue: 'must be an object of scalar APIv2 fields' }]);
    }
    const file = await readMedia(media!);
    const mediaHash = createHash('md5').update(file.bytes).digest('hex');
    const extra = (xml ?? {}) as Record<string, unknown>;
    if (extra.media_hash !== undefined && String(extra.media_hash).toLowerCase() !== mediaHash) {
      throw new ValidationError([{ path: 'xml.media_hash', issue: 'is not the MD5 of media.file' }]);
    }
    const fields = this.sign({ ...extra, media_hash: mediaHash }, 'xml', false);
    const { body, contentType } = formData([
      { name: 'media', file },
      ...Object.entries(fields).map(([name, value]) => ({ name, text: String(value) })),
    ]);
    return { signed: { body }, contentType };
  }

  private accept(response: AxiosResponse, path: string): AxiosResponse {
    const text = Buffer.isBuffer(response.data) ? response.data.toString('utf8') : String(response.data ?? '');
    const status = response.status;
    const common = {
      status,
      headers: response.headers as Record<string, unknown>,
      body: text,
      method: response.config.method?.toUpperCase(),
      url: path,
    };
    if (status < 200 || status >= 300) throw new ApiError({ ...common, verified: false });
    if (!/^\s*<xml[\s>]/.test(text)) {
      // file downloads (and the documented unsigned pages) answer the thing itself; anything else must be signed XML
      if (!UNSIGNED_V2_PATHS.has(path)) {
        throw new SignatureError('HEADERS_MISSING', `APIv2 reply of ${path} is not XML, so it carries no sign`, {
          status,
        });
      }
      response.data = text;
      return response;
    }
    let data: XmlObject;
    try {
      data = Transformer.toObject(text);
    } catch (error) {
      // a reply that is not XML cannot be verified: refuse it, typed, with what came back
      throw new ApiError({ ...common, code: 'INVALID_XML', message: (error as Error).message, verified: false });
    }
    // an error keeps the reply, less its signature
    const fail = (verified: boolean) => {
      const { sign, ...unsigned } = data;
      const body = typeof sign === 'string' ? text.split(sign).join(truncate(sign)) : text;
      return new ApiV2Error({ ...common, body, data: unsigned, verified });
    };
    if (data.return_code !== 'SUCCESS') throw fail(false);
    const signed = !UNSIGNED_V2_PATHS.has(path);
    if (signed && typeof data.sign !== 'string')
      throw new SignatureError('HEADERS_MISSING', `APIv2 reply of ${path} has no sign`, { status });
    if (signed && !verifyFields(data as Record<string, Scalar>, this.options.secret!)) {
      throw new SignatureError('SIGNATURE_MISMATCH', `APIv2 reply of ${path} has a sign that does not verify`, {
        status,
      });
    }
    if (data.result_code !== undefined && data.result_code !== 'SUCCESS') throw fail(signed);
    response.data = data;
    return response;
  }
}
