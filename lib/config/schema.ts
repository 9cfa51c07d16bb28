/** JSON Schema of `Builder.factory`'s config. Key contents are checked by the key loader, not here. */
export const CONFIG_SCHEMA = {
  type: 'object',
  required: ['mchid', 'serial', 'privateKey'],
  properties: {
    mchid: { type: 'string', pattern: '^[0-9]{1,32}$' },
    serial: { type: 'string', pattern: '^[0-9A-Fa-f]{1,64}$' },
    privateKey: { type: ['string', 'object'] },
    certs: {
      type: 'object',
      propertyNames: { pattern: '^[0-9A-Za-z_]{1,64}$' },
      additionalProperties: { type: ['string', 'object'] },
    },
    secret: { type: 'string', minLength: 32, maxLength: 32 },
    apiv3Key: { type: 'string', minLength: 32, maxLength: 32 },
    merchant: {
      type: 'object',
      required: ['cert', 'key'],
      properties: {
        cert: { type: ['string', 'object'] },
        key: { type: ['string', 'object'] },
        ca: { type: ['string', 'object'] },
      },
    },
    baseURL: { type: 'string', pattern: '^https?://[^/]+' },
    timeout: { type: 'integer', minimum: 0 },
    validation: { enum: [true, false, 'strict'] },
    encrypt: { type: 'boolean' },
    cacheSize: { type: 'integer', minimum: 1 },
    certificateRefreshMs: { type: 'integer', minimum: 1000 },
  },
} as const;

/** axios options a caller may not override: the protocol depends on them. */
export const PROTOCOL_OWNED_OPTIONS = [
  'transformRequest',
  'transformResponse',
  'responseType',
  'validateStatus',
  'params',
  'paramsSerializer',
] as const;
