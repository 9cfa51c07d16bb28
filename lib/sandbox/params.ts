import { constants, privateDecrypt } from 'node:crypto';
import type { RouteFacts } from '../catalog/route-facts';
import { checkSchema, type SchemaIssue } from '../catalog/schema-check';
import type { PlatformIdentity } from './platform';
import { Rejection, jsonPointer } from './rejection';

/** The gateway's parameter checks: the catalog's field facts (strict), answered the way WeChat Pay answers. */
function issueOf(error: SchemaIssue): { field: string; issue: string } {
  const at = error.at;
  switch (error.keyword) {
    case 'required':
      return { field: [at, error.field].filter(Boolean).join('.'), issue: '字段缺失（必填）' };
    case 'additionalProperties':
      return { field: [at, error.field].filter(Boolean).join('.'), issue: '不支持的字段' };
    case 'enum':
      return { field: at, issue: `取值须为 ${error.allowed!.join(' | ')} 之一` };
    case 'maxLength':
      return { field: at, issue: `长度不能超过 ${String(error.limit)}` };
    case 'type':
      return { field: at, issue: `类型须为 ${String(error.type)}` };
    case 'pattern':
      return { field: at, issue: `must match pattern "${String(error.pattern)}"` };
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
  const [first] = checkSchema(schema, data ?? {}, 'strict');
  if (first === undefined) return;
  const { field, issue } = issueOf(first);
  const sensitive = route.encrypted[location].includes(field);
  const named = location === 'json' ? jsonPointer(field) : field;
  throw new Rejection(400, 'PARAM_ERROR', `参数错误：${named} ${issue}`, {
    field: named,
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
        `参数错误：${location === 'json' ? jsonPointer(name) : name} 解密失败，请使用 ${serial} 对应的公钥以 RSA-OAEP 加密`,
        {
          field: location === 'json' ? jsonPointer(name) : name,
          issue: '解密失败',
          location: location === 'json' ? 'body' : 'query',
        },
      );
    }
  }
  return copy;
}
