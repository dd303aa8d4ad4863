import { defineConfig } from 'vitest/config';

// `npm run bench`: one long-running file that measures and writes bench/RESULTS.md. It asserts no
// timings: a benchmark reports, it does not pass or fail on speed.
export default defineConfig({
  test: {
    include: ['bench/**/*.bench-run.ts'],
    testTimeout: 3_600_000,
    hookTimeout: 600_000,
    maxWorkers: 1,
    reporters: ['verbose'],
  },
});
