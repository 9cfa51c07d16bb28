import { DEFAULT_PAGE_LIMIT, ValidationError, paginate } from '../../lib';
import type { Received } from '../helpers/gateway';
import { withGateway, type Fixture } from '../helpers/fixture';

const COMPLAINTS = Array.from({ length: 7 }, (_, index) => ({
  complaint_id: `2002018202001010800766${String(index).padStart(5, '0')}`,
  complaint_time: '2026-01-01T10:00:00+08:00',
  complaint_detail: `complaint ${index}`,
  complaint_state: 'PENDING',
  complainted_mchid: '1900012181',
}));

/** The loopback gateway's list: `offset`/`limit` from the signed query, `total_count` unless `withTotal` is off. */
function listRoute(withTotal = true) {
  return (request: Received) => {
    const url = new URL(request.url, 'http://127.0.0.1');
    const offset = Number(url.searchParams.get('offset'));
    const limit = Number(url.searchParams.get('limit'));
    const data = COMPLAINTS.slice(offset, offset + limit);
    return { body: { data, offset, limit, ...(withTotal ? { total_count: COMPLAINTS.length } : {}) } };
  };
}

const pagesAsked = (fixture: Fixture) =>
  fixture.gateway.received.map((request) => {
    const url = new URL(request.url, 'http://127.0.0.1');
    return [url.searchParams.get('offset'), url.searchParams.get('limit')];
  });

const query = { begin_date: '2026-01-01', end_date: '2026-01-30' };

describe('paginate: every item of an offset/limit list, a page at a time', () => {
  let fixture: Fixture;
  afterEach(() => fixture.gateway.stop());

  it('walks three pages of a loopback list in order, every request signed and every reply verified', async () => {
    fixture = await withGateway(listRoute());
    const seen: string[] = [];
    for await (const complaint of paginate(fixture.instance.v3.merchantService.complaintsV2, {
      query: { ...query, limit: 3 },
    })) {
      seen.push(complaint.complaint_id);
    }
    expect(seen).toEqual(COMPLAINTS.map((complaint) => complaint.complaint_id));
    expect(pagesAsked(fixture)).toEqual([
      ['0', '3'],
      ['3', '3'],
      ['6', '3'],
    ]);
    expect(fixture.gateway.received.every((request) => request.authorized)).toBe(true);
    expect(fixture.gateway.received[0]!.url).toMatch(/^\/v3\/merchant-service\/complaints-v2\?begin_date=2026-01-01&/);
  });

  it('fetches lazily: a page is asked for only when the loop wants its items', async () => {
    fixture = await withGateway(listRoute());
    const items = paginate(fixture.instance.v3.merchantService.complaintsV2, { query: { ...query, limit: 3 } });
    expect(fixture.gateway.received).toHaveLength(0);
    await items.next();
    expect(pagesAsked(fixture)).toEqual([['0', '3']]);
    for (let i = 0; i < 3; i++) await items.next(); // the fourth item is on the second page
    expect(pagesAsked(fixture)).toEqual([
      ['0', '3'],
      ['3', '3'],
    ]);
    await items.return(undefined);
    expect(fixture.gateway.received).toHaveLength(2);
  });

  it(`starts at query.offset; limit defaults to ${DEFAULT_PAGE_LIMIT}`, async () => {
    fixture = await withGateway(listRoute());
    const seen = [];
    for await (const complaint of paginate(fixture.instance.v3.merchantService.complaintsV2, {
      query: { ...query, offset: 5 },
    })) {
      seen.push(complaint.complaint_detail);
    }
    expect(seen).toEqual(['complaint 5', 'complaint 6']);
    expect(pagesAsked(fixture)).toEqual([['5', String(DEFAULT_PAGE_LIMIT)]]);
  });

  it('without total_count, stops at the first short page', async () => {
    fixture = await withGateway(listRoute(false));
    let count = 0;
    for await (const _ of paginate(fixture.instance.v3.merchantService.complaintsV2, {
      query: { ...query, limit: 4 },
    })) {
      count += 1;
    }
    expect(count).toBe(7);
    expect(pagesAsked(fixture)).toEqual([
      ['0', '4'],
      ['4', '4'],
    ]);
  });

  it('a failed page rejects the loop with the API error', async () => {
    fixture = await withGateway((request) =>
      request.url.includes('offset=3')
        ? { status: 500, body: { code: 'SYSTEM_ERROR', message: '系统错误' } }
        : listRoute()(request),
    );
    const seen: string[] = [];
    const loop = async () => {
      for await (const complaint of paginate(fixture.instance.v3.merchantService.complaintsV2, {
        query: { ...query, limit: 3 },
        retry: false,
      })) {
        seen.push(complaint.complaint_id);
      }
    };
    await expect(loop()).rejects.toMatchObject({ name: 'ApiError', status: 500, code: 'SYSTEM_ERROR' });
    expect(seen).toHaveLength(3);
  });

  it.each([
    ['query.limit', { limit: 0 }],
    ['query.offset', { offset: -1 }],
  ])('refuses a bad %s before any I/O', async (path, bad) => {
    fixture = await withGateway(listRoute());
    const loop = paginate(fixture.instance.v3.merchantService.complaintsV2, { query: { ...query, ...bad } });
    const error = await loop.next().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]!.path).toBe(path);
    expect(fixture.gateway.received).toHaveLength(0);
  });
});
