import { withGateway, type Fixture } from '../helpers/fixture';
import { PLATFORM_SERIAL, platformKeys } from '../helpers/keys';
import { Rsa, ValidationError, type FieldIssue } from '../../lib';

/** Bad requests to catalogued endpoints are refused locally: the loopback gateway never sees them. */
describe('catalogued endpoints are validated before any I/O', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await withGateway(() => ({ body: { wxpay_recover_no: 'W', out_request_no: 'R' } }));
  });
  afterAll(() => fixture.gateway.stop());

  const encrypted = () => Rsa.encrypt('8609cb22e1774a50a930e414cc71eca06121bc', platformKeys().publicKey);
  const recoverJson = () => ({
    out_request_no: 'R1',
    related_webank_punish_no: 'P1',
    related_wxpay_punish_no: 'W1',
    mchid: '1900016681',
    bal_account_no: encrypted(),
  });
  const headers = { 'Wechatpay-Serial': PLATFORM_SERIAL };

  async function issuesOf(send: () => Promise<unknown>): Promise<FieldIssue[]> {
    const before = fixture.gateway.received.length;
    const error = await send().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(fixture.gateway.received.length).toBe(before);
    return (error as ValidationError).issues;
  }

  const recover = (json: unknown, extra: Record<string, unknown> = {}) =>
    fixture.instance.v3.aggracctBc.wbChannel.controlOrders.recover.post({ json, headers, ...extra } as never);

  it.each<[string, (json: Record<string, unknown>) => void, FieldIssue]>([
    ['a missing required field', (j) => delete j.mchid, { path: 'json.mchid', issue: 'is required' }],
    ['a wrong type', (j) => (j.mchid = 1900016681), { path: 'json.mchid', issue: 'must be a string' }],
    [
      'an over-long out_request_no (official page: 64)',
      (j) => (j.out_request_no = 'x'.repeat(65)),
      { path: 'json.out_request_no', issue: 'must be at most 64 characters' },
    ],
    [
      'an over-long recover_reason (official page: 256)',
      (j) => (j.recover_reason = '因'.repeat(257)),
      { path: 'json.recover_reason', issue: 'must be at most 256 characters' },
    ],
    [
      'a control character in recover_reason',
      (j) => (j.recover_reason = 'line\nbreak'),
      { path: 'json.recover_reason', issue: 'must contain visible UTF-8 characters only (no control characters)' },
    ],
    [
      'out_request_no equal to related_webank_punish_no',
      (j) => (j.out_request_no = j.related_webank_punish_no),
      { path: 'json.out_request_no', issue: 'must differ from related_webank_punish_no' },
    ],
    [
      'a plaintext sensitive field without encrypt',
      (j) => (j.bal_account_no = '8609cb22e1774a50a930e414cc71eca06121bc'),
      {
        path: 'json.bal_account_no',
        issue: 'is sensitive and must be RSA-OAEP encrypted: pass `encrypt: true`, or encrypt it with Rsa.encrypt',
      },
    ],
  ])('%s', async (_case, mutate, expected) => {
    const json = recoverJson() as Record<string, unknown>;
    mutate(json);
    expect(await issuesOf(() => recover(json))).toContainEqual(expected);
  });

  it('a valid request goes through, without recover_reason (optional on the official page, required in the facts)', async () => {
    await expect(recover(recoverJson())).resolves.toMatchObject({ status: 200 });
  });

  it('by default, unknown fields and enum values the facts do not list pass; strict refuses them', async () => {
    const json = { ...recoverJson(), recover_reasn: 'typo', req_scene: 'NOPE' };
    await expect(recover(json)).resolves.toMatchObject({ status: 200 });
    expect(fixture.gateway.received.length).toBeGreaterThan(0);
    expect(await issuesOf(() => recover(json, { validation: 'strict' }))).toEqual(
      expect.arrayContaining([
        { path: 'json.recover_reasn', issue: 'is not a field of this endpoint' },
        {
          path: 'json.req_scene',
          issue:
            'must be one of SJT_CONVENIENT_SETTLEMENT_SERVICE_MERCHANT, SJT_MICRO_MERCHANT, WX_SHOP_CONVENIENT_SETTLEMENT_SERVICE_MERCHANT',
        },
      ]),
    );
    const strict = await withGateway(() => ({ body: {} }), { validation: 'strict' });
    const refused = await strict.instance.v3.aggracctBc.wbChannel.controlOrders.recover
      .post({ json, headers } as never)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(strict.gateway.received).toHaveLength(0);
    await strict.gateway.stop();
  });

  it('an integer field refuses a string; strict also refuses a date where the facts say RFC 3339', async () => {
    const issues = await issuesOf(() =>
      fixture.instance.v3.aggracctBc.wbChannel.controlOrders.punish.post({
        json: {
          out_request_no: 'P',
          mchid: '1',
          bal_account_no: encrypted(),
          punish_scene: '1',
          punish_end_time: '2025-01-01',
        },
        headers,
        validation: 'strict',
      } as never),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'json.punish_scene', issue: 'must be an integer' },
        { path: 'json.punish_end_time', issue: 'must be an RFC 3339 time such as 2015-05-20T13:29:35+08:00' },
      ]),
    );
  });

  it('query fields and a missing query are checked too', async () => {
    const balance = fixture.instance.v3.aggracctBc.wbChannel.account.balance;
    expect(await issuesOf(() => balance.get({ headers } as never))).toEqual([
      { path: 'query', issue: 'is required (mchid, bal_account_no)' },
    ]);
    expect(
      await issuesOf(() =>
        balance.get({
          query: { mchid: '1', bal_account_no: encrypted(), req_scene: 'X' },
          headers,
          validation: 'strict',
        } as never),
      ),
    ).toEqual([expect.objectContaining({ path: 'query.req_scene' })]);
  });

  it('encrypted fields without Wechatpay-Serial are refused', async () => {
    expect(await issuesOf(() => recover(recoverJson(), { headers: {} }))).toContainEqual({
      path: 'headers.Wechatpay-Serial',
      issue: 'is required with encrypted fields: it names the key they were encrypted with',
    });
  });

  it('validation can be turned off per call and per client', async () => {
    const json = { ...recoverJson(), recover_reasn: 'typo' };
    await expect(recover(json, { validation: false })).resolves.toMatchObject({ status: 200 });
    const loose = await withGateway(() => ({ body: {} }), { validation: false });
    await expect(
      loose.instance.v3.aggracctBc.wbChannel.controlOrders.recover.post({ json, headers } as never),
    ).resolves.toMatchObject({ status: 200 });
    await loose.gateway.stop();
  });
});
