import type { RejectionDetail } from '../rejection';
import { Rejection, jsonPointer } from '../rejection';

/** Field checks for the lifecycle handlers: each failure is a PARAM_ERROR naming the field, as WeChat Pay answers. */
type Location = RejectionDetail['location'];

/** `field` is dotted; a body field is answered as a JSON Pointer, as WeChat Pay answers it. */
export function paramError(field: string, issue: string, location: Location, value?: unknown): Rejection {
  const named = location === 'body' ? jsonPointer(field) : field;
  return new Rejection(400, 'PARAM_ERROR', `参数错误：${named} ${issue}`, {
    field: named,
    ...(value === undefined ? {} : { value }),
    issue,
    location,
  });
}

function at(data: Record<string, unknown>, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
      data,
    );
}

export interface StringRule {
  pattern?: RegExp;
  /** What the pattern means, for the message. */
  shape?: string;
  max?: number;
}

export function text(
  data: Record<string, unknown>,
  path: string,
  rule: StringRule = {},
  location: Location = 'body',
): string {
  const value = at(data, path);
  if (value === undefined || value === null || value === '') throw paramError(path, '字段缺失（必填）', location);
  if (typeof value !== 'string') throw paramError(path, '类型须为 string', location, value);
  if (rule.max !== undefined && [...value].length > rule.max)
    throw paramError(path, `长度不能超过 ${rule.max}`, location, value);
  if (rule.pattern && !rule.pattern.test(value)) throw paramError(path, rule.shape ?? '格式错误', location, value);
  return value;
}

export function optionalText(
  data: Record<string, unknown>,
  path: string,
  rule: StringRule = {},
  location: Location = 'body',
): string | undefined {
  return at(data, path) === undefined ? undefined : text(data, path, rule, location);
}

export function positiveInteger(data: Record<string, unknown>, path: string, location: Location = 'body'): number {
  const value = at(data, path);
  if (value === undefined || value === null) throw paramError(path, '字段缺失（必填）', location);
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw paramError(path, '类型须为 integer（单位：分）', location, value);
  if (value < 1) throw paramError(path, '须为正整数（单位：分）', location, value);
  return value;
}

/** `CNY` is the only currency of domestic payments; absent means CNY. */
export function currency(data: Record<string, unknown>, path: string): string {
  const value = optionalText(data, path) ?? 'CNY';
  if (value !== 'CNY') throw paramError(path, '境内支付仅支持 CNY', 'body', value);
  return value;
}
