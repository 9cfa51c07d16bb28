import { withGateway, type Fixture } from '../helpers/fixture';
import { PLATFORM_SERIAL, merchantKeys, platformKeys, strangerKeys } from '../helpers/keys';
import { Rsa } from '../../lib';

/** A gateway that decrypts the sensitive fields with the platform private key, as WeChat Pay does. */
describe('automatic field encryption', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await withGateway((request) => {
      const url = new URL(request.url, 'http://gateway');
      const json = request.body.length ? (JSON.parse(request.body.toString('utf8')) as Record<string, string>) : {};
      const decrypt = (value: string | null | undefined) =>
        value ? Rsa.decrypt(value, platformKeys().privateKey) : undefined;
      return {
        body: {
          serial: request.headers['wechatpay-serial'],
          bal_account_no: decrypt(json.bal_account_no ?? url.searchParams.get('bal_account_no')),
          card_no: decrypt(json.card_no),
          raw: json.bal_account_no ?? url.searchParams.get('bal_account_no'),
        },
      };
    });
  });
  afterAll(() => fixture.gateway.stop());

  const recoverJson = (bal_account_no: string) => ({
    out_request_no: 'R1',
    related_webank_punish_no: 'P1',
    related_wxpay_punish_no: 'W1',
    mchid: '1900016681',
    bal_account_no,
    card_no: '6222 0000 1111',
  });

  it('encrypts plaintext body fields and names the key in Wechatpay-Serial', async () => {
    const json = recoverJson('8609cb22e1774a50a930e414cc71eca06121bc');
    const response = await fixture.instance.v3.aggracctBc.wbChannel.controlOrders.recover.post({ json, encrypt: true });
    expect(response.data).toMatchObject({
      serial: PLATFORM_SERIAL,
      bal_account_no: '8609cb22e1774a50a930e414cc71eca06121bc',
      card_no: '6222 0000 1111',
    });
    expect(json.bal_account_no).toBe('8609cb22e1774a50a930e414cc71eca06121bc'); // the caller's object is untouched
    expect(fixture.gateway.received.at(-1)!.authorized).toBe(true);
  });

  it('never encrypts twice a value the caller already encrypted', async () => {
    const ciphertext = Rsa.encrypt('already', platformKeys().publicKey);
    const response = await fixture.instance.v3.aggracctBc.wbChannel.controlOrders.recover.post({
      json: recoverJson(ciphertext),
      encrypt: true,
    });
    expect(response.data).toMatchObject({ raw: ciphertext, bal_account_no: 'already' });
  });

  it('encrypts query fields of GET endpoints', async () => {
    const response = await fixture.instance.v3.aggracctBc.wbChannel.account.balance.get({
      query: { mchid: '1900016681', bal_account_no: 'ledger-1' },
      encrypt: true,
    });
    expect(response.data).toMatchObject({ serial: PLATFORM_SERIAL, bal_account_no: 'ledger-1' });
  });

  it('uses the key the caller names, and refuses a serial that is not configured', async () => {
    const second = strangerKeys(); // configured here as a second WeChat Pay key
    const { gateway, instance } = await withGateway(
      (request) => ({
        body: { raw: JSON.parse(request.body.toString()).bal_account_no, serial: request.headers['wechatpay-serial'] },
      }),
      {
        certs: {
          [PLATFORM_SERIAL]: platformKeys().publicKey,
          '5157F09EFDC096DE15EBE81A47057A7232F1B8E1': second.publicKey,
        },
        encrypt: true,
      },
    );
    const response = await instance.v3.aggracctBc.wbChannel.controlOrders.recover.post({
      json: recoverJson('ledger'),
      headers: { 'Wechatpay-Serial': '5157F09EFDC096DE15EBE81A47057A7232F1B8E1' },
    });
    const echoed = response.data as unknown as { raw: string; serial: string };
    expect(echoed.serial).toBe('5157F09EFDC096DE15EBE81A47057A7232F1B8E1');
    expect(Rsa.decrypt(echoed.raw, second.privateKey)).toBe('ledger');
    await expect(
      instance.v3.aggracctBc.wbChannel.controlOrders.recover.post({
        json: recoverJson('ledger'),
        headers: { 'Wechatpay-Serial': 'PUB_KEY_ID_NOPE' },
      }),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      issues: [{ path: 'headers.Wechatpay-Serial', issue: 'PUB_KEY_ID_NOPE is not among the configured certs' }],
    });
    await gateway.stop();
  });

  it('a plaintext over the OAEP limit is a clear error naming the field', async () => {
    await expect(
      fixture.instance.v3.aggracctBc.wbChannel.controlOrders.recover.post({
        json: recoverJson('x'.repeat(215)),
        encrypt: true,
        validation: false,
      }),
    ).rejects.toMatchObject({
      issues: [{ path: 'json.bal_account_no', issue: 'is 215 bytes; RSA-OAEP encryption takes at most 214' }],
    });
  });
});

describe('reply fields encrypted to the merchant key', () => {
  it('decrypt: true returns them decrypted, nested and in arrays too', async () => {
    const toMerchant = (text: string) => Rsa.encrypt(text, merchantKeys().publicKey);
    const fixture = await withGateway(() => ({
      body: {
        mchid: '1900016681',
        merchant_name: toMerchant('江西米高文化传媒有限测试公司'),
        legal_representative: { legal_representative_name: toMerchant('张三') },
        beneficial_owner: [{ beneficial_owner_name: toMerchant('李四') }],
      },
    }));
    const query = { mchid: '1900016681', bal_account_no: 'L' };
    const plain = await fixture.instance.v3.aggracctBc.wbChannel.account.mch_archives.get({
      query,
      encrypt: true,
      decrypt: true,
    });
    expect(plain.data).toMatchObject({
      mchid: '1900016681',
      merchant_name: '江西米高文化传媒有限测试公司',
      legal_representative: { legal_representative_name: '张三' },
      beneficial_owner: [{ beneficial_owner_name: '李四' }],
    });
    const raw = await fixture.instance.v3.aggracctBc.wbChannel.account.mch_archives.get({ query, encrypt: true });
    expect(raw.data.merchant_name).not.toBe('江西米高文化传媒有限测试公司');
    await fixture.gateway.stop();
  });
});
