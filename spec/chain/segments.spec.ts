import { isVerbatimPath, normalizePath, toSegment } from '../../lib/chain/segments';

describe('property name -> segment', () => {
  it.each([
    ['v3', 'v3'],
    ['aggracctBc', 'aggracct-bc'],
    ['wbChannel', 'wb-channel'],
    ['controlOrders', 'control-orders'],
    ['complaintsV2', 'complaints-v2'],
    ['MchArchives', 'mch-archives'],
    ['mch_archives', 'mch_archives'],
    ['applyment4sub', 'applyment4sub'],
    ['_out_request_no_', '{out_request_no}'],
    ['$out_request_no$', '{out_request_no}'],
    ['_id_', '{id}'],
    ['billdownload', 'billdownload'],
    ['specialReduction', 'special-reduction'],
  ])('%s -> %s', (name, segment) => {
    expect(toSegment(name)).toBe(segment);
  });

  it.each([
    ['v3/aggracct-bc', true],
    ['{out_request_no}', true],
    ['aggracct-bc', false],
    ['mchArchives', false],
  ])('%s verbatim: %s', (name, verbatim) => {
    expect(isVerbatimPath(name)).toBe(verbatim);
  });

  it('drops leading slashes and keeps one trailing slash (a path WeChat Pay serves only so)', () => {
    expect(normalizePath('/v3/pay')).toBe('v3/pay');
    expect(normalizePath('v3/pay')).toBe('v3/pay');
    expect(normalizePath('/v3/applyment4sub/applyment/')).toBe('v3/applyment4sub/applyment/');
    expect(normalizePath('v3/applyment4sub/applyment//')).toBe('v3/applyment4sub/applyment/');
    expect(toSegment('_empty_')).toBe('');
    expect(toSegment('$empty$')).toBe('');
  });
});
