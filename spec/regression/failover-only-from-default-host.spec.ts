import { TransportError, attemptsOf } from '../../lib';
import { startFaultyServer, type FaultyServer } from '../helpers/faulty-server';
import { clientFor, withGateway, type Fixture } from '../helpers/fixture';

const QUERY = 'v3/testing/orders/{out_request_no}';
const FAST = { retries: 2, baseDelayMs: 10, maxDelayMs: 200 };

/**
 * Broke (issue 19, item 7): a client on the default host, called with its own `baseURL` (a test server), failed
 * over to the backup host after a network failure or 5xx, re-signed: a test setup could reach the real WeChat
 * Pay. Failover now applies only when the call goes to the client's own host; a per-call `baseURL` is retried
 * there or not at all.
 */
describe('regression: failover applies only to calls on the client’s own host', () => {
  let faulty: FaultyServer;
  let backup: Fixture;
  beforeEach(async () => {
    faulty = await startFaultyServer('reset');
    backup = await withGateway(() => ({ body: { from: 'backup' } }));
  });
  afterEach(async () => {
    await faulty.stop();
    await backup.gateway.stop();
  });

  it('a call with its own baseURL is retried on that host and never sent to the backup', async () => {
    // the client's own host is never contacted here: nothing listens on port 9
    const client = clientFor('http://127.0.0.1:9/', { retry: FAST, backupBaseURL: backup.gateway.url });
    const error = await client
      .chain(QUERY)
      .get({ out_request_no: 'R1', baseURL: faulty.url })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(attemptsOf(error)).toBe(FAST.retries + 1);
    expect(faulty.hits).toBe(FAST.retries + 1);
    expect(backup.gateway.received).toHaveLength(0);
  });

  it('a call on the client’s own host still fails over, also when it names that host itself', async () => {
    const client = clientFor(faulty.url, { retry: FAST, backupBaseURL: backup.gateway.url });
    const implicit = await client.chain(QUERY).get({ out_request_no: 'R1' });
    const named = await client.chain(QUERY).get({ out_request_no: 'R2', baseURL: faulty.url });
    expect([implicit.data, named.data]).toEqual([{ from: 'backup' }, { from: 'backup' }]);
    expect(faulty.hits).toBe(2);
    expect(backup.gateway.received).toHaveLength(2);
  });
});
