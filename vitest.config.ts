import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['./test/helpers/global-setup.ts'],
    // Most of a test file's time is spent waiting: on a CLI child process, or an emulator's
    // answer. Vitest's default (one worker fewer than cores: a single worker on two cores) leaves
    // a core idle while a test waits; one worker per core, at least two, keeps both busy (ten
    // collector and CLI files back to back on the loaded two-core box: 622 s → 298 s wall with
    // three workers; three made slow CLI tests hit their timeouts under heavy load, so two).
    maxWorkers: Math.max(2, availableParallelism()),
    // A guard against hangs, not a speed check: tests that run several full scans as CLI
    // children take tens of seconds on a loaded machine with two workers.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
