import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Suites start real relays and real LevelDB folders: give them room, but never unbounded.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: more workers only make the crypto suites fight for CPU.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'tests/ui/**'],
          // The kindred and kindred-server commands bundled once, for the suites that spawn them.
          globalSetup: ['tests/commands/globalSetup.ts'],
        },
      },
      {
        // The desktop window in Chromium. A project of its own so that only runs which include
        // these files pay for the renderer build in its globalSetup.
        extends: true,
        test: {
          name: 'ui',
          include: ['tests/ui/**/*.test.ts'],
          globalSetup: ['tests/ui/globalSetup.ts'],
          testTimeout: 90_000,
        },
      },
    ],
  },
});
