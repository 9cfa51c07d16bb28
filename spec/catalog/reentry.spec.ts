import { allRoutes, findRoute } from '../../lib/catalog/lookup';
import { reentrantOn } from '../../lib/catalog/reentry';

describe('what an operation is re-entrant on comes from its facts', () => {
  const of = (method: string, path: string) => reentrantOn(findRoute(method, path)!);

  it('its required JSON fields and path variables named out_*_no', () => {
    expect(of('POST', 'v3/fund-app/mch-transfer/transfer-bills')).toEqual(['out_bill_no']);
    expect(of('POST', 'v3/pay/transactions/jsapi')).toEqual(['out_trade_no']);
    expect(of('POST', 'v3/refund/domestic/refunds')).toEqual(['out_refund_no']);
    expect(of('POST', 'v3/pay/transactions/out-trade-no/{out_trade_no}/close')).toEqual(['out_trade_no']);
    expect(of('POST', 'v3/aggracct-bc/wb-channel/control-orders/recover')).toEqual(['out_request_no']);
  });

  it('an optional business number, or none, makes no operation re-entrant', () => {
    // out_subsidy_no is optional on subsidies/create: WeChat Pay cannot recognise a repeat without it
    expect(of('POST', 'v3/ecommerce/subsidies/create')).toEqual([]);
    expect(of('POST', 'v3/profitsharing/receivers/add')).toEqual([]);
  });

  it('covers the newer numbers the old list missed (out_bill_no, out_order_no)', () => {
    const numbers = new Set(allRoutes().flatMap((route) => [...reentrantOn(route)]));
    expect([...numbers]).toEqual(expect.arrayContaining(['out_bill_no', 'out_order_no', 'out_batch_no']));
  });
});
