import Ajv from 'ajv';
import { exampleReply, type ReplySchema } from '../../lib/sandbox/from-facts';

/** Replies answered from facts: schema-valid, deterministic per request, echoing what the request named. */
const SCHEMA: ReplySchema = {
  type: 'object',
  required: ['out_request_no', 'state', 'amount', 'create_time', 'items', 'payer'],
  properties: {
    out_request_no: { type: 'string', maxLength: 64 },
    state: { type: 'string', enum: ['PROCESSING', 'SUCCESS'] },
    amount: { type: 'integer', minimum: 1, maximum: 100 },
    create_time: { type: 'string', format: 'rfc3339' },
    note: { type: 'string', example: 'an optional field with an example' },
    skipped: { type: 'string' },
    code: { type: 'string', maxLength: 4, example: 'far too long for its maxLength' },
    items: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } },
    payer: {
      allOf: [
        { type: 'object', required: ['openid'], properties: { openid: { type: 'string', example: 'oUpF8uMuAJO' } } },
        { type: 'object', required: ['flag'], properties: { flag: { type: 'boolean' } } },
      ],
    },
  },
};

function validator() {
  const strip = (schema: ReplySchema): Record<string, unknown> => {
    const { example: _example, format: _format, allOf, properties, items, ...rest } = schema;
    return {
      ...rest,
      ...(allOf ? { allOf: allOf.map(strip) } : {}),
      ...(properties
        ? { properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, strip(v)])) }
        : {}),
      ...(items ? { items: strip(items) } : {}),
    };
  };
  return new Ajv({ strict: false }).compile(strip(SCHEMA));
}

describe('replies from facts', () => {
  it('builds a schema-valid reply, echoing request fields and using examples and enums', () => {
    const reply = exampleReply(SCHEMA, { out_request_no: 'REQ-1', amount: 5000 }, 'seed') as Record<string, unknown>;
    const validate = validator();
    expect(validate(reply)).toBe(true);
    expect(reply).toMatchObject({
      out_request_no: 'REQ-1',
      state: 'PROCESSING',
      note: 'an optional field with an example',
      payer: { openid: 'oUpF8uMuAJO', flag: expect.any(Boolean) },
      create_time: '2026-01-01T00:00:00+08:00',
    });
    expect(reply.amount).not.toBe(5000); // out of range: not echoed
    expect((reply.code as string).length).toBeLessThanOrEqual(4);
    expect(reply).not.toHaveProperty('skipped');
  });

  it('is deterministic for a request, and differs between requests', () => {
    const a = exampleReply(SCHEMA, { out_request_no: 'A' }, 'request-a');
    expect(exampleReply(SCHEMA, { out_request_no: 'A' }, 'request-a')).toEqual(a);
    expect(exampleReply(SCHEMA, { out_request_no: 'B' }, 'request-b')).not.toEqual(a);
  });
});
