import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A throwaway certificate authority and a server certificate for 127.0.0.1, made with the
// openssl CLI at test time, so emulators can speak HTTPS and clients trust them only through
// NODE_EXTRA_CA_CERTS — the way a user points agentscan at a proxy or national cloud.

export interface TestCa {
  dir: string;
  /** PEM file of the CA, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  key: string;
  cert: string;
  dispose(): void;
}

/**
 * The CA the whole test run shares (test/helpers/global-setup.ts makes it before the test
 * workers start and puts it in their NODE_EXTRA_CA_CERTS, so in-process clients trust it too),
 * or a CA of its own when run without that setup.
 */
export function makeTestCa(): TestCa {
  const shared = process.env.AGENTSCAN_TEST_CA_DIR;
  if (shared) return { ...readCa(shared), dispose: () => {} };
  const ca = createTestCa();
  return { ...ca, dispose: () => rmSync(ca.dir, { recursive: true, force: true }) };
}

function readCa(dir: string): Omit<TestCa, 'dispose'> {
  const f = (name: string) => join(dir, name);
  return { dir, caFile: f('ca.pem'), key: readFileSync(f('server.key'), 'utf8'), cert: readFileSync(f('server.pem'), 'utf8') };
}

/** A new CA and server certificate in a new temporary folder. */
export function createTestCa(): Omit<TestCa, 'dispose'> {
  const dir = mkdtempSync(join(tmpdir(), 'agentscan-ca-'));
  const f = (name: string) => join(dir, name);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2',
    '-subj', '/CN=agentscan test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(f('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  ssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.pem'),
    '-days', '2', '-extfile', f('server.ext'));
  return readCa(dir);
}
