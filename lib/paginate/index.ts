import type { AxiosResponse } from 'axios';
import { ValidationError } from '../errors';

/**
 * The page size when the caller gives none. The facts record a `maximum` for `limit` on 3 of the 63 offset/limit
 * operations (10, 100, 100) and the runtime catalog keeps none, so the default is the smallest of them: every list
 * takes it. Give `query.limit` for larger pages where the operation's page documents a larger maximum.
 */
export const DEFAULT_PAGE_LIMIT = 10;

/** An offset/limit list reply: the items of one page, and where it sits in the whole. */
export interface ListReply<T = unknown> {
  data?: readonly T[];
  offset?: number;
  limit?: number;
  total_count?: number;
}

/** A chain node whose typed `get` answers a list page (what `instance.v3.merchantService.complaintsV2` is). */
export interface ListNode<O, R extends ListReply> {
  readonly get: (options: O) => Promise<AxiosResponse<R>>;
}

type Loosen<Q> = Omit<Q, 'offset' | 'limit'> & {
  /** Where to start (default 0). */
  offset?: number;
  /** Items per page (default `DEFAULT_PAGE_LIMIT`). */
  limit?: number;
};

/** The operation's own options, with `query.offset`/`query.limit` optional: paginate sets them per page. */
export type PageOptions<O> = O extends { query: infer Q }
  ? Omit<O, 'query'> & { query: Loosen<Q> }
  : O extends { query?: infer Q }
    ? Omit<O, 'query'> & { query?: Loosen<NonNullable<Q>> }
    : O;

/** The item type of a list reply. */
export type ItemOf<R> = R extends { data?: ReadonlyArray<infer T> } ? T : never;

function pageNumber(value: unknown, path: string, least: number): number {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < least) {
    throw new ValidationError([{ path, issue: `must be an integer >= ${least}, got ${JSON.stringify(value)}` }]);
  }
  return number;
}

/**
 * Every item of an offset/limit list, fetched a page at a time as the loop asks for more:
 * `for await (const complaint of paginate(instance.v3.merchantService.complaintsV2, { query: { begin_date, end_date } }))`.
 * Stops at `total_count`, or, when a reply has none, at the first page shorter than `limit` (or empty).
 *
 * @throws ValidationError naming `query.offset` or `query.limit` when they are not non-negative / positive integers
 */
export async function* paginate<O, R extends ListReply>(
  node: ListNode<O, R>,
  options: PageOptions<NonNullable<O>>,
): AsyncGenerator<ItemOf<R>, void, undefined> {
  const given = (options ?? {}) as { query?: Record<string, unknown> };
  const query = { ...given.query };
  const limit = pageNumber(query.limit ?? DEFAULT_PAGE_LIMIT, 'query.limit', 1);
  let offset = pageNumber(query.offset ?? 0, 'query.offset', 0);
  for (;;) {
    const reply = await node.get({ ...given, query: { ...query, offset, limit } } as O);
    const page = (reply.data ?? {}) as ListReply<ItemOf<R>>;
    const items = Array.isArray(page.data) ? page.data : [];
    for (const item of items) yield item;
    // the reply's own offset is where this page started, when it says
    offset = (typeof page.offset === 'number' ? page.offset : offset) + items.length;
    const done = typeof page.total_count === 'number' ? offset >= page.total_count : items.length < limit;
    if (items.length === 0 || done) return;
  }
}
