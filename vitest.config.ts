import { availableParallelism } from 'node:os';

import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (src/**/*.test.ts); integration tests talk to the real RabbitMQ,
// MariaDB and loopback HTTP servers of this machine (test/**/*.int.test.ts) and fail loudly,
// naming the service, when one is unreachable. The reliability suite (test/reliability/) breaks
// those services on purpose and measures timings, so its files run one at a time, after the rest.
// Test files run at least two at a time even on two cores (Vitest's default there is one): the
// integration files mostly wait on RabbitMQ, MariaDB and loopback servers, and this halves their
// wall time (317 s → 176 s on the 2-core CI machine).
export default defineConfig({
  test: {
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'fixtures/**/*.test.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.rel.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 120_000,
          pool: 'forks',
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
