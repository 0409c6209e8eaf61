import { rmSync } from 'node:fs';
import { createTestCa } from './test-ca.js';

// Runs once, before vitest starts its workers: one throwaway test CA for the whole run, trusted
// by every worker through NODE_EXTRA_CA_CERTS (Node reads it only at start-up), so HTTPS
// emulators can be called by collectors running in the test process itself, not only by CLI
// children. Also saves making a CA (two RSA keys) per test file.

export default function setup(): () => void {
  const ca = createTestCa();
  process.env.AGENTSCAN_TEST_CA_DIR = ca.dir;
  process.env.NODE_EXTRA_CA_CERTS = ca.caFile;
  return () => rmSync(ca.dir, { recursive: true, force: true });
}
