import { ConfigError, type FieldIssue } from '../errors';
import { hooksIssues } from '../observe/observer';
import { retryIssues } from '../transport/retry-policy';
import {
  AXIOS_FIELDS,
  AXIOS_OPTIONS,
  CERT_ID,
  PER_CALL_OPTIONS,
  PROTOCOL_OWNED_OPTIONS,
  REQUIRED,
  SDK_FIELDS,
  issuesOf,
  isObject,
  keyMaterial,
} from './schema';

function certsIssues(certs: Record<string, unknown>, merchantSerial: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const own = typeof merchantSerial === 'string' ? merchantSerial.toUpperCase() : undefined;
  for (const [id, value] of Object.entries(certs)) {
    if (!CERT_ID.test(id)) {
      issues.push({ path: `certs.${id}`, issue: 'key must be a public key id or certificate serial ([0-9A-Za-z_])' });
      continue;
    }
    if (id.toUpperCase() === own) {
      issues.push({ path: `certs.${id}`, issue: "is the merchant's own certificate serial, not a WeChat Pay key" });
    }
    const issue = keyMaterial(value);
    if (issue) issues.push({ path: `certs.${id}`, issue });
  }
  return issues;
}

function merchantIssues(merchant: Record<string, unknown>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const field of ['cert', 'key', 'ca']) {
    const value = merchant[field];
    if (value === undefined) {
      if (field !== 'ca') issues.push({ path: `merchant.${field}`, issue: 'is required' });
      continue;
    }
    const issue = keyMaterial(value);
    if (issue) issues.push({ path: `merchant.${field}`, issue });
  }
  for (const field of Object.keys(merchant)) {
    if (!['cert', 'key', 'ca'].includes(field))
      issues.push({ path: `merchant.${field}`, issue: 'is not a known option' });
  }
  return issues;
}

function unknownKeyIssues(config: Record<string, unknown>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const known = [...Object.keys(SDK_FIELDS), ...Object.keys(AXIOS_FIELDS), ...AXIOS_OPTIONS];
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined || known.includes(key)) continue;
    if ((PROTOCOL_OWNED_OPTIONS as readonly string[]).includes(key)) {
      issues.push({ path: key, issue: 'is owned by the protocol layer and cannot be set' });
    } else if (PER_CALL_OPTIONS[key] !== undefined) {
      issues.push({ path: key, issue: `is not a client option: ${PER_CALL_OPTIONS[key]}` });
    } else {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- only a mistyped option needs it
      const near = (require('./suggest') as typeof import('./suggest')).suggest(key, known);
      issues.push({
        path: key,
        issue: `is not a known option (neither wechatpay-chain's nor axios')${near ? `; did you mean \`${near}\`?` : ''}`,
      });
    }
  }
  return issues;
}

/** Every problem of the config at once, each naming its field. Key contents are checked by the key loader. */
export function validateConfig(config: unknown): FieldIssue[] {
  if (!isObject(config)) return [{ path: 'config', issue: 'must be an object' }];
  const issues: FieldIssue[] = [];
  for (const field of REQUIRED) if (config[field] === undefined) issues.push({ path: field, issue: 'is required' });
  issues.push(...issuesOf(SDK_FIELDS, config), ...issuesOf(AXIOS_FIELDS, config));
  const { certs, merchant, apiv3Key, retry, hooks, logger } = config;
  if (isObject(certs)) issues.push(...certsIssues(certs, config.serial));
  if (isObject(merchant)) issues.push(...merchantIssues(merchant));
  if (config.certificateStore !== undefined && apiv3Key === undefined) {
    issues.push({
      path: 'certificateStore',
      issue: 'needs apiv3Key: only downloaded platform certificates are shared',
    });
  }
  if (isObject(retry)) issues.push(...retryIssues(retry, 'retry'));
  if (isObject(hooks) || isObject(logger)) issues.push(...hooksIssues({ hooks, logger }));
  if ((certs === undefined || (isObject(certs) && Object.keys(certs).length === 0)) && apiv3Key === undefined) {
    issues.push({
      path: 'certs',
      issue: 'is required: a WeChat Pay public key or platform certificate (or give apiv3Key to download certificates)',
    });
  }
  issues.push(...unknownKeyIssues(config));
  return issues;
}

export function assertConfig(config: unknown): void {
  const issues = validateConfig(config);
  if (issues.length > 0) throw new ConfigError(issues);
}
