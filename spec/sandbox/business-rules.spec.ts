import { ApiError, Rsa } from '../../lib';
import { ManualClock } from '../../lib/sandbox';
import { merchantKeys } from '../helpers/keys';
import { TARGET, punishJson, recoverJson, startSandbox, type SandboxFixture } from './helpers';

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as ApiError,
  );

describe('sandbox: the wb-channel ledger, driven by the SDK over real sockets', () => {
  let fixture: SandboxFixture;
  const clock = new ManualClock();
  beforeAll(async () => {
    fixture = await startSandbox({ clock, accounts: [{ ...TARGET, balance: 10_000 }] });
  });
  afterAll(() => fixture.sandbox.stop());

  const orders = () => fixture.instance.v3.aggracctBc.wbChannel.controlOrders;

  it('punish creates a control order that moves from EXECUTING to SUCCESS', async () => {
    const { data } = await orders().punish.post({ json: punishJson('P-100') });
    expect(data).toEqual({ wxpay_punish_no: expect.stringMatching(/^1\d+/), out_request_no: 'P-100' });
    const query = { out_request_no: 'P-100', query: { control_type: 'PUNISH' as const, mchid: TARGET.mchid } };
    const before = await orders()._out_request_no_.get(query);
    expect(before.data.punish_order).toMatchObject({
      punish_state: 'EXECUTING',
      effect_state: 'ACTIVE',
      wxpay_punish_no: data.wxpay_punish_no,
    });
    fixture.sandbox.settle();
    const after = await orders()._out_request_no_.get(query);
    expect(after.data.punish_order).toMatchObject({
      punish_state: 'SUCCESS',
      punish_finish_time: expect.stringMatching(/\+08:00$/),
    });
  });

  it('recover releases it, re-entry returns the first answer, a second release is ALREADY_EXISTS', async () => {
    const punished = (await orders().punish.post({ json: punishJson('P-200') })).data;
    const first = await orders().recover.post({ json: recoverJson('R-200', punished) });
    // the client re-encrypts bal_account_no (a different ciphertext): still the same parameters
    const again = await orders().recover.post({ json: recoverJson('R-200', punished) });
    expect(again.data).toEqual(first.data);
    const second = await rejection(orders().recover.post({ json: recoverJson('R-201', punished) }));
    expect(second).toMatchObject({ status: 400, code: 'ALREADY_EXISTS', verified: true });
    const recoverQuery = await orders()._out_request_no_.get({
      out_request_no: 'R-200',
      query: { control_type: 'RECOVER', mchid: TARGET.mchid },
    });
    expect(recoverQuery.data.recover_order).toMatchObject({
      recover_state: 'EXECUTING',
      related_wxpay_punish_no: punished.wxpay_punish_no,
    });
    const punishQuery = await orders()._out_request_no_.get({
      out_request_no: 'P-200',
      query: { control_type: 'PUNISH', mchid: TARGET.mchid },
    });
    expect(punishQuery.data.punish_order?.effect_state).toBe('RECOVERED');
  });

  it('re-entry with different parameters is INVALID_REQUEST', async () => {
    const punished = (await orders().punish.post({ json: punishJson('P-300') })).data;
    await orders().recover.post({ json: recoverJson('R-300', punished) });
    const changed = { ...recoverJson('R-300', punished), recover_reason: '另一个原因' };
    expect(await rejection(orders().recover.post({ json: changed }))).toMatchObject({
      status: 400,
      code: 'INVALID_REQUEST',
    });
  });

  it('answers the documented recover error codes', async () => {
    const punished = (await orders().punish.post({ json: punishJson('P-400') })).data;
    const unknownPunish = { ...recoverJson('R-400', punished), related_webank_punish_no: 'P-NONE' };
    expect(await rejection(orders().recover.post({ json: unknownPunish }))).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      message: '关联管控单不存在',
    });
    const unknownMerchant = { ...recoverJson('R-401', punished), mchid: '1999999999' };
    expect(await rejection(orders().recover.post({ json: unknownMerchant }))).toMatchObject({
      status: 400,
      code: 'NOT_FOUND',
      message: '目标解管商户号不存在',
    });
    const same = { ...recoverJson('P-400', punished) };
    expect(await rejection(orders().recover.post({ json: same, validation: false }))).toMatchObject({
      status: 400,
      code: 'INVALID_REQUEST',
    });
  });

  it('special reduction deducts; insufficient balance closes the order (403 NOT_ENOUGH), re-entering it is ALREADY_EXISTS', async () => {
    const reduce = fixture.instance.v3.aggracctBc.wbChannel.specialReduction;
    const balance = () => fixture.instance.v3.aggracctBc.wbChannel.account.balance.get({ query: TARGET });
    const start = (await balance()).data.balance!;
    const json = (out_request_no: string, amount: number) => ({
      ...TARGET,
      out_request_no,
      reduction_type: 'JUDICIAL_DEDUCTION' as const,
      amount,
    });
    const done = await reduce.post({ json: json('S-1', 2500), decrypt: true });
    expect(done.data).toMatchObject({ state: 'SUCCESS', amount: 2500, bal_account_no: TARGET.bal_account_no });
    expect((await reduce.post({ json: json('S-1', 2500) })).data.quota_change_no).toBe(done.data.quota_change_no);
    expect((await balance()).data.balance).toBe(start - 2500);

    expect(await rejection(reduce.post({ json: json('S-2', start) }))).toMatchObject({
      status: 403,
      code: 'NOT_ENOUGH',
    });
    expect(await rejection(reduce.post({ json: json('S-2', start) }))).toMatchObject({
      status: 400,
      code: 'ALREADY_EXISTS',
    });
    const closed = await reduce._out_request_no_.get({ out_request_no: 'S-2', query: TARGET, decrypt: true });
    expect(closed.data).toMatchObject({
      state: 'FAILED',
      fail_reason: 'BALANCE_NOT_ENOUGH',
      bal_account_no: TARGET.bal_account_no,
    });
    expect((await balance()).data.balance).toBe(start - 2500);
  });

  it('re-entry of a special reduction is valid for 31 days', async () => {
    const reduce = fixture.instance.v3.aggracctBc.wbChannel.specialReduction;
    const json = { ...TARGET, out_request_no: 'S-31', reduction_type: 'FINANCIAL_PENALTY' as const, amount: 1 };
    const start = clock.now();
    try {
      const first = await reduce.post({ json });
      clock.advance(30 * 86_400_000);
      await expect(reduce.post({ json: { ...json, amount: 2 } })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
      expect((await reduce.post({ json })).data.quota_change_no).toBe(first.data.quota_change_no);
      clock.advance(2 * 86_400_000);
      // past 31 days the number is free again: a new order with a new change number
      const later = await reduce.post({ json: { ...json, amount: 2 } });
      expect(later.data.quota_change_no).not.toBe(first.data.quota_change_no);
    } finally {
      clock.set(start);
    }
  });

  it('merchant archives come back encrypted to the merchant key; decrypt: true opens them', async () => {
    const archives = fixture.instance.v3.aggracctBc.wbChannel.account.mch_archives;
    const sealed = await archives.get({ query: TARGET });
    expect(Rsa.decrypt(sealed.data.merchant_name!, merchantKeys().privateKey)).toBe('沙箱测试商户有限公司');
    const open = await archives.get({ query: TARGET, decrypt: true });
    expect(open.data.legal_representative?.legal_representative_name).toBe('张三');
  });

  it('unknown paths are 404 NOT_FOUND, signed like every reply', async () => {
    expect(await rejection(fixture.instance.v3.nothing.here.get())).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      verified: true,
    });
  });
});
