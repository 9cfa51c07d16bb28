import { cancelDeadline, startDeadline } from '../../lib/transport/adapter/deadlines';

describe('deadlines: one timer per timeout, not per call', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('expires each call at its own deadline, in order, and never a cancelled one', () => {
    const expired: string[] = [];
    const a = startDeadline(1000, () => expired.push('a'));
    jest.advanceTimersByTime(300);
    const b = startDeadline(1000, () => expired.push('b'));
    const c = startDeadline(1000, () => expired.push('c'));
    const short = startDeadline(200, () => expired.push('short'));
    cancelDeadline(b, 1000);
    jest.advanceTimersByTime(199);
    expect(expired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(expired).toEqual(['short']);
    jest.advanceTimersByTime(499); // a at 1000
    expect(expired).toEqual(['short']);
    jest.advanceTimersByTime(1);
    expect(expired).toEqual(['short', 'a']);
    jest.advanceTimersByTime(299); // c at 1300
    expect(expired).toEqual(['short', 'a']);
    jest.advanceTimersByTime(1);
    expect(expired).toEqual(['short', 'a', 'c']);
    expect([a.done, b.done, c.done, short.done]).toEqual([true, true, true, true]);
    cancelDeadline(a, 1000); // late cancels are harmless
    jest.advanceTimersByTime(5000);
    expect(expired).toEqual(['short', 'a', 'c']);
  });

  it('calls that finish in time leave nothing armed that would fire for them, and later calls still expire', () => {
    const expired: number[] = [];
    for (let i = 0; i < 3000; i++)
      cancelDeadline(
        startDeadline(500, () => expired.push(i)),
        500,
      );
    jest.advanceTimersByTime(400);
    const late = startDeadline(500, () => expired.push(-1));
    jest.advanceTimersByTime(499);
    expect(expired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(expired).toEqual([-1]);
    expect(late.done).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('arms one timer however many calls share a timeout', () => {
    const pending = Array.from({ length: 50 }, () => startDeadline(750, () => undefined));
    expect(jest.getTimerCount()).toBe(1);
    for (const entry of pending) cancelDeadline(entry, 750);
    jest.advanceTimersByTime(750);
    expect(jest.getTimerCount()).toBe(0);
  });
});
