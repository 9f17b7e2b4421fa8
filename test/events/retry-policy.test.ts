import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, retryDelay } from '../../src/events/retry-policy.js';
import { loadConfig } from '../../src/config.js';

describe('retry policy (spec §6.5)', () => {
  it('retries 9 times by default, 2^(2x) seconds before retry x, then queues', () => {
    const delays = Array.from({ length: 10 }, (_, i) => retryDelay(DEFAULT_RETRY_POLICY, i + 1));
    expect(delays.slice(0, 3)).toEqual([4_000, 16_000, 64_000]);
    expect(delays[8]).toBe(2 ** 18 * 1000);
    expect(delays[9]).toBeUndefined();
  });

  it('is what the hub runs with when no setting says otherwise', () => {
    const { events } = loadConfig({});
    expect({ retries: events.retries, exponent: events.retryExponent }).toEqual({
      retries: DEFAULT_RETRY_POLICY.retries,
      exponent: DEFAULT_RETRY_POLICY.exponent,
    });
  });

  it('queues at once under the queue policy', () => {
    expect(retryDelay({ ...DEFAULT_RETRY_POLICY, mode: 'queue' }, 1)).toBeUndefined();
  });
});
