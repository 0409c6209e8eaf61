import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['./test/helpers/global-setup.ts'],
    // Most of a test file's time is spent waiting: on a CLI child process, or an emulator's
    // answer. Vitest's default (one worker fewer than cores: a single worker on two cores) leaves
    // a core idle while a test waits; three or more workers keep both busy (a subset of the
    // suite: 622 s → 298 s wall on the loaded two-core box).
    maxWorkers: Math.max(3, availableParallelism()),
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
