import { Builder, ValidationError } from '../../lib';
import { findRoute } from '../../lib/catalog/lookup';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';

/**
 * Broke (issue 21, item 5): three hk/ fact files write `require: true` for `required: true` on their query
 * parameters, and the generator read only `required`, so an HK refund query with no `sub_mchid` or `sp_mchid` was
 * sent as valid. The generator now reads the typo as what it means.
 */
describe('regression: the facts’ `require: true` makes a query parameter required', () => {
  it.each([
    ['GET', 'hk/v3/refunds'],
    ['GET', 'hk/v3/refunds/id/{refund_id}'],
    ['GET', 'hk/v3/refunds/out-refund-no/{out_refund_no}'],
  ])('%s /%s requires its query parameters', (method, path) => {
    expect(findRoute(method, path)?.query?.required).toEqual(
      expect.arrayContaining(['mchid', 'sub_mchid', 'sp_mchid']),
    );
  });

  it('a call without them is refused before it is sent', async () => {
    const hk = Builder.factory({
      region: 'hk',
      // nothing listens on port 9: a call that got past validation would fail as a TransportError instead
      baseURL: 'http://127.0.0.1:9/',
      mchid: MCHID,
      serial: MERCHANT_SERIAL,
      privateKey: merchantKeys().privateKey,
      certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
    });
    const error = await hk.hk.v3.refunds.id._refund_id_
      .get({ refund_id: '50000000382019052709732678859', query: { mchid: MCHID } } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map(({ path }) => path)).toEqual(['query.sub_mchid', 'query.sp_mchid']);
  });
});
