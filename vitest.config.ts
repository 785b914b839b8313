import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Suites start real relays and real LevelDB folders: give them room, but never unbounded.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: more workers only make the crypto suites fight for CPU.
    maxWorkers: 2,
  },
});
