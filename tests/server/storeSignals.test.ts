// The embedded stores' wake-up signals: a lone subscriber is kept without a Set (most keys have
// one, an authenticated connection's), and that must not change who hears what.
import { describe, expect, it } from 'vitest';
import { StoreSignals } from '../../server/store/StoreSignals.js';

describe('StoreSignals', () => {
  it('calls each subscription once, including one listener subscribed twice', () => {
    const signals = new StoreSignals<number>();
    const heard: string[] = [];
    const listener = (payload: number): void => {
      heard.push(`a${payload}`);
    };
    const first = signals.subscribe('k', listener);
    signals.notify('k', 1);
    const second = signals.subscribe('k', listener);
    const other = signals.subscribe('k', (payload) => heard.push(`b${payload}`));
    signals.notify('k', 2);
    signals.notify('elsewhere', 3);
    expect(heard).toEqual(['a1', 'a2', 'a2', 'b2']);

    first();
    signals.notify('k', 4);
    second();
    other();
    signals.notify('k', 5);
    expect(heard).toEqual(['a1', 'a2', 'a2', 'b2', 'a4', 'b4']);
  });

  it('forgets a lone subscriber when it leaves, and an unsubscribe twice changes nothing', () => {
    const signals = new StoreSignals<number>();
    const heard: number[] = [];
    const leave = signals.subscribe('k', (payload) => heard.push(payload));
    leave();
    leave();
    const stay = signals.subscribe('k', (payload) => heard.push(payload * 10));
    leave();
    signals.notify('k', 1);
    stay();
    signals.notify('k', 2);
    expect(heard).toEqual([10]);
  });

  it('isolates a listener that throws from the others and from the writer', () => {
    const failures: unknown[] = [];
    const signals = new StoreSignals<number>((error) => failures.push(error));
    const heard: number[] = [];
    signals.subscribe('k', () => {
      throw new Error('listener broke');
    });
    signals.notify('k', 1);
    signals.subscribe('k', (payload) => heard.push(payload));
    signals.notify('k', 2);
    expect(heard).toEqual([2]);
    expect(failures).toHaveLength(2);
  });
});
