import { Transformer, XmlError } from '../../lib';

/** A pay-success notification as APIv2 sends it (shape of wechatpay-php's paysuccess.notification fixture). */
const PAY_NOTIFICATION = `<xml>
  <appid><![CDATA[wx2421b1c4370ec43b]]></appid>
  <attach><![CDATA[支付测试]]></attach>
  <bank_type><![CDATA[CFT]]></bank_type>
  <fee_type><![CDATA[CNY]]></fee_type>
  <is_subscribe><![CDATA[Y]]></is_subscribe>
  <mch_id><![CDATA[10000100]]></mch_id>
  <nonce_str><![CDATA[5d2b6c2a8db53831f7eda20af46e531c]]></nonce_str>
  <openid><![CDATA[oUpF8uMEb4qRXf22hE3X68TekukE]]></openid>
  <out_trade_no><![CDATA[1409811653]]></out_trade_no>
  <result_code><![CDATA[SUCCESS]]></result_code>
  <return_code><![CDATA[SUCCESS]]></return_code>
  <sign><![CDATA[B552ED6B279343CB493C5DD0D78AB241]]></sign>
  <time_end><![CDATA[20140903131540]]></time_end>
  <total_fee>1</total_fee>
  <coupon_fee><![CDATA[10]]></coupon_fee>
  <coupon_count><![CDATA[1]]></coupon_count>
  <coupon_type><![CDATA[CASH]]></coupon_type>
  <coupon_id><![CDATA[10000]]></coupon_id>
  <trade_type><![CDATA[JSAPI]]></trade_type>
  <transaction_id><![CDATA[1004400740201409030005092168]]></transaction_id>
</xml>`;

describe('Transformer.toObject (ported from wechatpay-php tests/TransformerTest.php)', () => {
  it('reads every field of a notification as a plain string, without CDATA markers', () => {
    const data = Transformer.toObject(PAY_NOTIFICATION);
    expect(Object.keys(data)).toHaveLength(20);
    for (const [key, value] of Object.entries(data)) {
      expect([key, typeof value]).toEqual([key, 'string']);
      expect(value).not.toMatch(/<!\[CDATA\[|]]>/);
    }
    expect(data).toMatchObject({ attach: '支付测试', total_fee: '1', transaction_id: '1004400740201409030005092168' });
  });

  it('keeps text of the root, and text beside child elements, under "#text"', () => {
    expect(Transformer.toObject('<xml>hello</xml>')).toEqual({ '#text': 'hello' });
    expect(Transformer.toObject('<xml><![CDATA[a<b]]></xml>')).toEqual({ '#text': 'a<b' });
    expect(Transformer.toObject('<xml>note<a>1</a></xml>')).toEqual({ '#text': 'note', a: '1' });
    expect(Transformer.toObject('<xml>\n  <a>1</a>\n</xml>')).toEqual({ a: '1' });
    expect(Transformer.toObject('<xml/>')).toEqual({});
    expect(Transformer.toObject('<xml></xml>')).toEqual({});
  });

  it('ignores attributes and accepts a close tag with trailing space', () => {
    expect(Transformer.toObject('<xml version="1"><a x=\'1\'>v</a ></xml >')).toEqual({ a: 'v' });
  });

  it('an element named __proto__ stays data: no prototype is set', () => {
    const data = Transformer.toObject('<xml><__proto__><polluted>1</polluted></__proto__><a>1</a></xml>');
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.hasOwn(data, '__proto__')).toBe(true);
    expect((data as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('Transformer.toXml takes what toObject gives (round trip)', () => {
  it('writes an array as repeated elements: the form toObject reads them into', () => {
    expect(Transformer.toXml({ r: ['1', '2'], s: 'x' })).toBe(
      '<xml><r><![CDATA[1]]></r><r><![CDATA[2]]></r><s><![CDATA[x]]></s></xml>',
    );
    expect(Transformer.toObject(Transformer.toXml({ r: ['1', '2'] }))).toEqual({ r: ['1', '2'] });
  });

  it('writes "#text" as the text of its element', () => {
    expect(Transformer.toXml({ '#text': 'hello' })).toBe('<xml><![CDATA[hello]]></xml>');
    expect(Transformer.toXml({ n: { '#text': 'note', a: 1 } })).toBe(
      '<xml><n><![CDATA[note]]><a><![CDATA[1]]></a></n></xml>',
    );
  });

  it.each([
    ['a notification', PAY_NOTIFICATION],
    ['repeated scalars', '<xml><r>1</r><r>2</r><r>3</r></xml>'],
    ['repeated groups', '<xml><goods><id>1</id><n>2</n></goods><goods><id>3</id><n>4</n></goods></xml>'],
    ['a group repeated inside a group', '<xml><d><g><i>1</i></g><g><i>2</i></g></d></xml>'],
    ['root text', '<xml>only text</xml>'],
    ['text beside elements', '<xml>text<a>1</a><a>2</a></xml>'],
    ['escapes and CDATA', '<xml><a>1 &lt; 2 &amp; &#x4e2d;</a><b><![CDATA[x]]>y]]></b></xml>'],
    ['empty elements', '<xml><e/><f></f></xml>'],
  ])('%s: toObject(toXml(toObject(xml))) equals toObject(xml)', (_case, xml) => {
    const once = Transformer.toObject(xml);
    expect(Transformer.toObject(Transformer.toXml(once))).toEqual(once);
  });

  it('an array of groups becomes repeated groups (wechatpay-php would nest <item> elements instead)', () => {
    const detail = [{ goods_detail: '华为手机', url: 'https://huawei.com' }];
    expect(Transformer.toXml({ detail })).toBe(
      '<xml><detail><goods_detail><![CDATA[华为手机]]></goods_detail><url><![CDATA[https://huawei.com]]></url></detail></xml>',
    );
  });

  it('writes a Buffer as its UTF-8 text and a null-prototype object as elements', () => {
    const group = Object.assign(Object.create(null) as Record<string, unknown>, { k: 'v' });
    expect(Transformer.toXml({ b: Buffer.from('微信'), g: group })).toBe(
      '<xml><b><![CDATA[微信]]></b><g><k><![CDATA[v]]></k></g></xml>',
    );
  });

  it('takes another root name, skips null and undefined fields and items', () => {
    expect(
      Transformer.toXml({ a: null, b: undefined, c: [null, 'x', undefined], d: 0, e: false }, true, false, 'qqpay'),
    ).toBe('<qqpay><c><![CDATA[x]]></c><d><![CDATA[0]]></d><e><![CDATA[false]]></e></qqpay>');
  });

  it.each<[string, () => unknown, RegExp]>([
    ['an invalid element name', () => Transformer.toXml({ 'a b': '1' }), /xml: "a b" is not a valid XML element name/],
    ['a numeric key', () => Transformer.toXml({ 0: '1' }), /"0" is not a valid XML element name/],
    ['an invalid root name', () => Transformer.toXml({ a: '1' }, true, false, '1root'), /root: "1root" is not a valid/],
    ['an array inside an array', () => Transformer.toXml({ a: [['1']] }), /xml\.a\[0\] is an array inside an array/],
    ['a symbol value', () => Transformer.toXml({ a: Symbol('s') }), /xml\.a is a symbol, which has no XML form/],
    ['a function value', () => Transformer.toXml({ a: () => 1 }), /xml\.a is a function/],
    [
      'a Date (no one XML form)',
      () => Transformer.toXml({ a: new Date(0) }),
      /xml\.a is a Date, which has no XML form/,
    ],
    ['a Map', () => Transformer.toXml({ a: new Map([['k', 'v']]) }), /xml\.a is a Map/],
    ['an array as the whole document', () => Transformer.toXml(['1'] as never), /takes an object of fields/],
    ['null as the whole document', () => Transformer.toXml(null as never), /takes an object of fields/],
  ])('refuses %s with an XmlError', (_case, write, message) => {
    expect(write).toThrow(XmlError);
    expect(write).toThrow(message);
  });
});
