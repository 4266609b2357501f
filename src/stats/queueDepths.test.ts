import { describe, expect, it } from 'vitest';

import { backlogCandidates } from './queueDepths.js';

describe('backlogCandidates', () => {
  it('lists the fixed queues and every delay the upstream backoff produces, for retries and triggers', () => {
    const names = backlogCandidates([]);
    expect(names.slice(0, 3)).toEqual(['event.trigger', 'event.retry.init', 'event.failover.retry']);
    for (const seconds of [1, 4, 9, 16, 25, 36, 49, 60]) {
      expect(names).toContain(`event.delay.${seconds}`);
      expect(names).toContain(`event.trigger.delay.${seconds}`);
    }
    expect(names).toHaveLength(3 + 8 + 8);
  });

  it('adds the delay queues this process declared, once', () => {
    const names = backlogCandidates(['event.delay.120', 'event.delay.4', 'event.delay.120']);
    expect(names.filter((name) => name === 'event.delay.120')).toHaveLength(1);
    expect(names.filter((name) => name === 'event.delay.4')).toHaveLength(1);
  });

  it('bounds how many queues one report probes', () => {
    const many = Array.from({ length: 1000 }, (_unused, index) => `event.delay.${index + 100}`);
    expect(backlogCandidates(many)).toHaveLength(200);
  });
});
