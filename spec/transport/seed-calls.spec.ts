import { withGateway, type Fixture } from '../helpers/fixture';
import { PLATFORM_SERIAL, platformKeys } from '../helpers/keys';
import { Rsa, type ChainNode } from '../../lib';

/** The six call styles of each seed page, over real sockets to a gateway that checks every signature. */
describe('seed pages: every call style signs, sends and verifies', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await withGateway((request) => ({
      body: { echo: request.method, url: request.url, body: request.body.toString('utf8') },
    }));
  });
  afterAll(() => fixture.gateway.stop());

  const recoverJson = () => ({
    out_request_no: 'example_out_request_no',
    related_webank_punish_no: 'example_related_webank_punish_no',
    related_wxpay_punish_no: 'example_related_wxpay_punish_no',
    mchid: 'example_mchid',
    bal_account_no: Rsa.encrypt('example_bal_account_no', platformKeys().publicKey),
    recover_reason: 'example_recover_reason',
  });

  const recoverStyles: Array<[string, () => ChainNode]> = [
    ['chained postAsync', () => fixture.instance.v3.aggracctBc.wbChannel.controlOrders.recover.postAsync],
    ['chain() postAsync', () => fixture.instance.chain('v3/aggracct-bc/wb-channel/control-orders/recover').postAsync],
    ['index postAsync', () => fixture.instance['v3/aggracct-bc/wb-channel/control-orders/recover'].postAsync],
    ['chained post', () => fixture.instance.v3.aggracctBc.wbChannel.controlOrders.recover.post],
    ['chain() post', () => fixture.instance.chain('v3/aggracct-bc/wb-channel/control-orders/recover').post],
    ['index post', () => fixture.instance['v3/aggracct-bc/wb-channel/control-orders/recover'].post],
  ];

  it.each(recoverStyles)('recover: %s', async (_style, verb) => {
    const json = recoverJson();
    const response = await verb()({ json, headers: { 'Wechatpay-Serial': PLATFORM_SERIAL } });
    const received = fixture.gateway.received.at(-1)!;
    expect(received.authorized).toBe(true);
    expect(received.method).toBe('POST');
    expect(received.url).toBe('/v3/aggracct-bc/wb-channel/control-orders/recover');
    expect(received.headers['wechatpay-serial']).toBe(PLATFORM_SERIAL);
    expect(received.headers['content-type']).toBe('application/json');
    expect(received.body.toString('utf8')).toBe(JSON.stringify(json));
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ echo: 'POST', url: received.url, body: JSON.stringify(json) });
  });

  const reductionStyles: Array<[string, () => ChainNode]> = [
    ['chained getAsync', () => fixture.instance.v3.aggracctBc.wbChannel.specialReduction._out_request_no_.getAsync],
    [
      'chain() getAsync',
      () => fixture.instance.chain('v3/aggracct-bc/wb-channel/special-reduction/{out_request_no}').getAsync,
    ],
    ['index getAsync', () => fixture.instance['v3/aggracct-bc/wb-channel/special-reduction/{out_request_no}'].getAsync],
    ['chained get', () => fixture.instance.v3.aggracctBc.wbChannel.specialReduction.$out_request_no$.get],
    ['chain() get', () => fixture.instance.chain('v3/aggracct-bc/wb-channel/special-reduction/{out_request_no}').get],
    ['index get', () => fixture.instance['v3/aggracct-bc/wb-channel/special-reduction/{out_request_no}'].get],
  ];

  it.each(reductionStyles)('special-reduction query: %s', async (_style, verb) => {
    const response = await verb()({
      out_request_no: 'htozr8denqegbt6tk6u10iymo7yww5pn',
      query: { mchid: '1900016681', bal_account_no: '8609cb22e1774a50a930e414cc71eca06121bc' },
      headers: { 'Wechatpay-Serial': PLATFORM_SERIAL },
      encrypt: true,
    });
    const received = fixture.gateway.received.at(-1)!;
    expect(received.authorized).toBe(true);
    expect(received.method).toBe('GET');
    const url = new URL(received.url, 'http://gateway');
    expect(url.pathname).toBe('/v3/aggracct-bc/wb-channel/special-reduction/htozr8denqegbt6tk6u10iymo7yww5pn');
    expect([...url.searchParams.keys()]).toEqual(['mchid', 'bal_account_no']);
    expect(url.searchParams.get('mchid')).toBe('1900016681');
    // the sensitive query field travelled encrypted, to the key named by Wechatpay-Serial
    expect(Rsa.decrypt(url.searchParams.get('bal_account_no')!, platformKeys().privateKey)).toBe(
      '8609cb22e1774a50a930e414cc71eca06121bc',
    );
    expect(received.body.length).toBe(0);
    expect(response.data).toMatchObject({ echo: 'GET', body: '' });
  });

  it('percent-encodes a template value and signs the encoded target', async () => {
    await fixture.instance.chain('v3/some/orders/{out_request_no}').get({
      out_request_no: 'a b/c?d',
      query: { control_type: 'PUNISH', mchid: '1900016681' },
    });
    const received = fixture.gateway.received.at(-1)!;
    expect(received.url).toBe('/v3/some/orders/a%20b%2Fc%3Fd?control_type=PUNISH&mchid=1900016681');
    expect(received.authorized).toBe(true);
  });

  it('sends a string body byte for byte and signs it as given', async () => {
    const body = '{ "spaced" :  "as typed" }';
    await fixture.instance.v3.some.endpoint.post({ body });
    const received = fixture.gateway.received.at(-1)!;
    expect(received.body.toString('utf8')).toBe(body);
    expect(received.authorized).toBe(true);
  });

  it('signs non-ASCII JSON by its UTF-8 bytes', async () => {
    await fixture.instance.v3.some.endpoint.put({ json: { recover_reason: '解管原因 ✓' } });
    const received = fixture.gateway.received.at(-1)!;
    expect(received.body.toString('utf8')).toBe('{"recover_reason":"解管原因 ✓"}');
    expect(received.authorized).toBe(true);
  });

  it('sends DELETE and PATCH with their own method line', async () => {
    await fixture.instance.v3.profitsharing.receivers.delete.post({
      json: { appid: 'wx8888888888888888', type: 'MERCHANT_ID', account: '1900000109' },
    });
    expect(fixture.gateway.received.at(-1)).toMatchObject({
      method: 'POST',
      url: '/v3/profitsharing/receivers/delete',
      authorized: true,
    });
    await fixture.instance.v3.profitsharing.receivers.delete();
    expect(fixture.gateway.received.at(-1)).toMatchObject({
      method: 'DELETE',
      url: '/v3/profitsharing/receivers',
      authorized: true,
    });
    await fixture.instance.v3.x.patch({ json: {} });
    expect(fixture.gateway.received.at(-1)).toMatchObject({ method: 'PATCH', url: '/v3/x', authorized: true });
  });
});
