import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { constants, privateDecrypt } from 'node:crypto';
import { routeKey, type JsonSchema, type RouteFacts } from '../catalog/route-facts';
import type { PlatformIdentity } from './platform';
import { Rejection } from './rejection';

/** The gateway's parameter checks: the catalog's field facts, answered the way WeChat Pay answers. */
let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

function validatorFor(route: RouteFacts, location: string, schema: JsonSchema): ValidateFunction {
  const key = `${routeKey(route.method, route.path)} ${location}`;
  let validate = validators.get(key);
  if (!validate) {
    ajv ??= new Ajv({ allErrors: false, strict: true });
    validators.set(key, (validate = ajv.compile(schema)));
  }
  return validate;
}

function issueOf(error: ErrorObject): { field: string; issue: string } {
  const params = error.params as Record<string, unknown>;
  const at = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  switch (error.keyword) {
    case 'required':
      return { field: [at, params.missingProperty].filter(Boolean).join('.'), issue: '字段缺失（必填）' };
    case 'additionalProperties':
      return { field: [at, params.additionalProperty].filter(Boolean).join('.'), issue: '不支持的字段' };
    case 'enum':
      return { field: at, issue: `取值须为 ${(params.allowedValues as unknown[]).join(' | ')} 之一` };
    case 'maxLength':
      return { field: at, issue: `长度不能超过 ${String(params.limit)}` };
    case 'type':
      return { field: at, issue: `类型须为 ${String(params.type)}` };
    default:
      return { field: at, issue: error.message ?? '格式错误' };
  }
}

function valueAt(data: unknown, field: string): unknown {
  return field
    .split('.')
    .reduce<unknown>(
      (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
      data,
    );
}

export function checkFields(route: RouteFacts, location: 'query' | 'json', data: unknown): void {
  const schema = route[location];
  if (!schema) return;
  const validate = validatorFor(route, location, schema);
  if (validate(data ?? {})) return;
  const { field, issue } = issueOf(validate.errors![0]!);
  const sensitive = route.encrypted[location].includes(field);
  throw new Rejection(400, 'PARAM_ERROR', `参数错误：${field} ${issue}`, {
    field,
    value: sensitive ? undefined : valueAt(data, field),
    issue,
    location: location === 'json' ? 'body' : 'query',
  });
}

const OAEP = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' } as const;

/** Decrypts the route's sensitive fields with the platform key `Wechatpay-Serial` names; returns a copy. */
export function decryptFields(
  route: RouteFacts,
  location: 'query' | 'json',
  data: Record<string, unknown> | undefined,
  serial: string | undefined,
  identities: PlatformIdentity[],
): Record<string, unknown> | undefined {
  const present = route.encrypted[location].filter((name) => data?.[name] !== undefined);
  if (!data || present.length === 0) return data;
  if (!serial) {
    throw new Rejection(
      400,
      'PARAM_ERROR',
      '请求含加密字段，须在 Wechatpay-Serial 请求头指明加密所用的微信支付公钥ID或平台证书序列号',
      {
        field: 'Wechatpay-Serial',
        issue: '缺少请求头',
        location: 'header',
      },
    );
  }
  const identity = identities.find((candidate) => candidate.serial === serial);
  if (!identity) {
    throw new Rejection(400, 'PARAM_ERROR', `Wechatpay-Serial ${serial} 不是有效的微信支付公钥ID或平台证书序列号`, {
      field: 'Wechatpay-Serial',
      value: serial,
      issue: '未知的序列号',
      location: 'header',
    });
  }
  const copy = { ...data };
  for (const name of present) {
    try {
      copy[name] = privateDecrypt(
        { key: identity.privateKey, ...OAEP },
        Buffer.from(String(data[name]), 'base64'),
      ).toString('utf8');
    } catch {
      throw new Rejection(
        400,
        'PARAM_ERROR',
        `参数错误：${name} 解密失败，请使用 ${serial} 对应的公钥以 RSA-OAEP 加密`,
        {
          field: name,
          issue: '解密失败',
          location: location === 'json' ? 'body' : 'query',
        },
      );
    }
  }
  return copy;
}
