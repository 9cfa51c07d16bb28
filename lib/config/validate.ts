import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { ConfigError, type FieldIssue } from '../errors';
import { CONFIG_SCHEMA, PROTOCOL_OWNED_OPTIONS } from './schema';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  // compiled on first use, once per process: importing the SDK stays cheap
  compiled ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(CONFIG_SCHEMA);
  return compiled;
}

function fieldOf(error: ErrorObject): string {
  const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return path ? `${path}.${missing}` : missing;
  }
  if (error.keyword === 'propertyNames') {
    const name = (error.params as { propertyName?: string }).propertyName;
    return name ? `${path}.${name}` : path;
  }
  return path || 'config';
}

function issueOf(error: ErrorObject): string {
  if (error.keyword === 'required') return 'is required';
  if (error.keyword === 'propertyNames') return 'key must be a public key id or certificate serial ([0-9A-Za-z_])';
  return error.message ?? 'is invalid';
}

/** Ajv's messages name the rule broken, never the value: safe for secret fields. */
export function validateConfig(config: unknown): FieldIssue[] {
  if (config === null || typeof config !== 'object') return [{ path: 'config', issue: 'must be an object' }];
  const validate = validator();
  const issues: FieldIssue[] = validate(config)
    ? []
    : (validate.errors ?? [])
        .filter((error) => error.keyword !== 'if')
        .map((error) => ({ path: fieldOf(error), issue: issueOf(error) }));
  const { certs, apiv3Key } = config as { certs?: object; apiv3Key?: unknown };
  if (
    (certs === undefined || (typeof certs === 'object' && certs !== null && Object.keys(certs).length === 0)) &&
    apiv3Key === undefined
  ) {
    issues.push({
      path: 'certs',
      issue: 'is required: a WeChat Pay public key or platform certificate (or give apiv3Key to download certificates)',
    });
  }
  for (const option of PROTOCOL_OWNED_OPTIONS) {
    if (option in config) issues.push({ path: option, issue: 'is owned by the protocol layer and cannot be set' });
  }
  return issues;
}

export function assertConfig(config: unknown): void {
  const issues = validateConfig(config);
  if (issues.length > 0) throw new ConfigError(issues);
}
