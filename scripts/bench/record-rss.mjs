// Preloaded with `node --import` into every measured process: writes the process's peak
// resident set size and CPU time (user + system, all threads) to $AGENTSCAN_BENCH_RSS_FILE
// when it exits, however it exits. CPU time is what to compare on a busy machine, where wall
// time also counts the waits for a core.
import { writeFileSync } from 'node:fs';

const file = process.env.AGENTSCAN_BENCH_RSS_FILE;
if (file) {
  process.on('exit', (code) => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssKiB: usage.maxRSS, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, code }));
  });
}
