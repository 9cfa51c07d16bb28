import { withGateway, type Fixture } from '../helpers/fixture';
import { PLATFORM_SERIAL, platformKeys } from '../helpers/keys';
import { Rsa, ValidationError } from '../../lib';

type Json = Record<string, unknown>;

/**
 * `encrypt: true` encrypts every `format: base64` request field at any depth, array items included. The gateway
 * decrypts what arrives with the platform private key, as WeChat Pay does, and echoes it back.
 */
describe('nested field encryption over loopback', () => {
  let fixture: Fixture;
  const bodies: Json[] = [];
  beforeAll(async () => {
    fixture = await withGateway((request) => {
      const json = JSON.parse(request.body.toString('utf8')) as Json;
      bodies.push(json);
      return { body: { applyment_id: 2000002124775691 } };
    });
  });
  afterAll(() => fixture.gateway.stop());

  const decrypt = (value: unknown) => Rsa.decrypt(String(value), platformKeys().privateKey);
  const applyment = () => ({
    business_code: 'APPLYMENT_00000000001',
    contact_info: { contact_type: 'LEGAL', contact_name: '张三', mobile_phone: '13900000000', contact_email: 'a@b.c' },
    subject_info: {
      subject_type: 'SUBJECT_TYPE_ENTERPRISE',
      ubo_info_list: [
        {
          ubo_id_doc_type: 'IDENTIFICATION_TYPE_IDCARD',
          ubo_id_doc_name: '李四',
          ubo_id_doc_number: '110101199003072316',
        },
        {
          ubo_id_doc_type: 'IDENTIFICATION_TYPE_IDCARD',
          ubo_id_doc_name: '王五',
          ubo_id_doc_number: '110101199003078397',
        },
      ],
    },
    business_info: { merchant_shortname: '张三餐饮店', service_phone: '0758XXXXX' },
    settlement_info: { settlement_id: '719', qualification_type: '餐饮' },
    bank_account_info: {
      bank_account_type: 'BANK_ACCOUNT_TYPE_CORPORATE',
      account_name: '张三',
      account_bank: '工商银行',
      account_number: '6222000011112222',
    },
  });

  it('v3/applyment4sub/applyment/ (applyment._empty_): nested contact, bank-account and array-item fields', async () => {
    const json = applyment();
    const response = await fixture.instance.v3.applyment4sub.applyment._empty_.post({
      json: json as never,
      encrypt: true,
      validation: false, // the example carries only the fields this spec is about
    });
    expect(response.data.applyment_id).toBe(2000002124775691);
    const sent = fixture.gateway.received.at(-1)!;
    expect(sent.url).toBe('/v3/applyment4sub/applyment/'); // the trailing slash is sent
    expect(sent.headers['wechatpay-serial']).toBe(PLATFORM_SERIAL);
    const body = bodies.at(-1) as Json & typeof json;
    expect(decrypt(body.contact_info.contact_name)).toBe('张三');
    expect(decrypt(body.contact_info.mobile_phone)).toBe('13900000000');
    expect(decrypt(body.bank_account_info.account_name)).toBe('张三');
    expect(decrypt(body.bank_account_info.account_number)).toBe('6222000011112222');
    expect(body.subject_info.ubo_info_list.map((ubo) => decrypt(ubo.ubo_id_doc_name))).toEqual(['李四', '王五']);
    expect(decrypt(body.subject_info.ubo_info_list[1]!.ubo_id_doc_number)).toBe('110101199003078397');
    // not sensitive: sent as given
    expect(body.business_code).toBe('APPLYMENT_00000000001');
    expect(body.bank_account_info.account_bank).toBe('工商银行');
    expect(json.contact_info.contact_name).toBe('张三'); // the caller's object is untouched
  });

  it('the three access styles reach the trailing-slash path', async () => {
    for (const node of [
      fixture.instance.chain('v3/applyment4sub/applyment/'),
      fixture.instance['v3/applyment4sub/applyment/'],
    ]) {
      await node.post({ json: applyment() as never, encrypt: true, validation: false });
      expect(fixture.gateway.received.at(-1)!.url).toBe('/v3/applyment4sub/applyment/');
      expect(decrypt((bodies.at(-1)!.contact_info as Json).contact_name)).toBe('张三');
    }
  });

  it('v3/bank-transfer/batches: fields inside array items', async () => {
    await fixture.instance.v3.bankTransfer.batches.post({
      json: {
        out_batch_no: 'B1',
        batch_name: 'n',
        batch_remark: 'r',
        total_amount: 2,
        total_num: 2,
        transfer_detail_list: [
          {
            out_detail_no: 'D1',
            transfer_amount: 1,
            transfer_remark: 'x',
            user_name: '赵六',
            user_id_card: '110101199003074477',
          },
          { out_detail_no: 'D2', transfer_amount: 1, transfer_remark: 'x', user_name: '钱七' },
        ],
      } as never,
      encrypt: true,
      validation: false, // the example carries only the fields this spec is about
    });
    const list = bodies.at(-1)!.transfer_detail_list as Json[];
    expect(list.map((item) => decrypt(item.user_name))).toEqual(['赵六', '钱七']);
    expect(decrypt(list[0]!.user_id_card)).toBe('110101199003074477');
    expect(list[1]!.user_id_card).toBeUndefined();
  });

  it('without encrypt, a plaintext nested field is refused naming where it is, before any I/O', async () => {
    const before = fixture.gateway.received.length;
    const error = await fixture.instance.v3.applyment4sub.applyment._empty_
      .post({ json: applyment() as never, headers: { 'Wechatpay-Serial': PLATFORM_SERIAL } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'json.contact_info.contact_name' }),
        expect.objectContaining({ path: 'json.subject_info.ubo_info_list[1].ubo_id_doc_name' }),
      ]),
    );
    expect(fixture.gateway.received.length).toBe(before);
  });
});
