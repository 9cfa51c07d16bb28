import { allRoutes, findRoute, pathValues } from '../../lib/catalog/lookup';

describe('a path with its variables written out finds its catalogued template', () => {
  it('matches segment by segment, whatever the variable holds', () => {
    const template = findRoute('POST', 'v3/apply4sub/sub_merchants/{sub_mchid}/modify-settlement')!;
    expect(findRoute('POST', 'v3/apply4sub/sub_merchants/1900000109/modify-settlement')).toBe(template);
    expect(findRoute('POST', 'v3/apply4sub/sub_merchants/{id}/modify-settlement')).toBe(template);
    expect(findRoute('GET', 'v3/apply4sub/sub_merchants/1900000109/modify-settlement')).toBeUndefined();
    expect(findRoute('POST', 'v3/apply4sub/sub_merchants//modify-settlement')).toBeUndefined();
    expect(findRoute('POST', 'v3/apply4sub/sub_merchants/1900000109/modify-settlement/x')).toBeUndefined();
  });

  it('a literal segment beats a variable, read left to right', () => {
    // v3/ecommerce/refunds/id/{refund_id} and v3/ecommerce/refunds/{refund_id}/return-advance both fit these
    expect(findRoute('GET', 'v3/ecommerce/refunds/id/return-advance')!.path).toBe(
      'v3/ecommerce/refunds/id/{refund_id}',
    );
    expect(findRoute('GET', 'v3/ecommerce/refunds/50000000382019052709732678859/return-advance')!.path).toBe(
      'v3/ecommerce/refunds/{refund_id}/return-advance',
    );
    expect(findRoute('GET', 'v3/ecommerce/refunds/id/50000000382019052709732678859')!.path).toBe(
      'v3/ecommerce/refunds/id/{refund_id}',
    );
  });

  it('two equally specific templates (one operation catalogued twice) leave it unmatched', () => {
    expect(findRoute('POST', 'v3/apply4subject/applyment/2000001234567890/cancel')).toBeUndefined();
    expect(findRoute('POST', 'v3/apply4subject/applyment/{applyment_id}/cancel')!.params).toEqual(['applyment_id']);
  });

  it('every tie in the catalog is between templates with the same sensitive fields, so leaving it unmatched hides none', () => {
    const shape = (path: string) => path.replace(/\{[^}]+\}/g, '{}');
    const byShape = new Map<string, Array<ReturnType<typeof allRoutes>[number]>>();
    for (const route of allRoutes()) {
      const key = `${route.method} ${shape(route.path)}`;
      byShape.set(key, [...(byShape.get(key) ?? []), route]);
    }
    const ties = [...byShape.values()].filter((routes) => routes.length > 1);
    expect(ties.map((routes) => routes.map(({ path }) => path))).toEqual([
      ['v3/apply4subject/applyment/{applyment_id}/cancel', 'v3/apply4subject/applyment/{business_code}/cancel'],
    ]);
    for (const routes of ties) {
      for (const route of routes) expect(route.encrypted).toEqual({ query: [], json: [] });
    }
  });

  it('a path with a query is taken as given', () => {
    expect(findRoute('GET', 'v3/pay/transactions/id/4200000000?mchid=1900000001')).toBeUndefined();
  });

  it('reads the values a sent path gives its variables', () => {
    const close = findRoute('POST', 'v3/pay/transactions/out-trade-no/{out_trade_no}/close')!;
    expect(pathValues(close, 'v3/pay/transactions/out-trade-no/T%201/close?x=1')).toEqual({ out_trade_no: 'T%201' });
    expect(pathValues(findRoute('POST', 'v3/pay/transactions/jsapi')!, 'v3/pay/transactions/jsapi')).toEqual({});
  });
});
