import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsIamEmulator, stalled } from '../emulators/aws-iam.js';
import { syntheticEstate } from '../emulators/aws-estate.js';
import { ROOT } from '../helpers/cli.js';

// A live scan keeps raw IAM data in a temporary bundle. Interrupted while a call hangs (Ctrl-C,
// a cancelled CI job), it must remove that folder and exit 128 + the signal number.

let emulator: AwsIamEmulator;
const temp = mkdtempSync(join(tmpdir(), 'agentscan-interrupt-'));

beforeAll(async () => {
  emulator = await AwsIamEmulator.start({ accounts: [syntheticEstate({ id: '210987654321', users: 2, usersWithKeys: 1, roles: 1 })] });
});
afterAll(async () => {
  await emulator.close();
  rmSync(temp, { recursive: true, force: true });
});

async function interrupted(signal: 'SIGTERM' | 'SIGINT') {
  emulator.reset({ faults: [stalled('ListAccessKeys', 'hang')] });
  const tmp = mkdtempSync(join(temp, 'run-'));
  const env: NodeJS.ProcessEnv = { ...process.env, ...emulator.env(), TMPDIR: tmp, NO_COLOR: '1' };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'agentscan.js'), 'scan', '--provider', 'aws'], { env });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  // Wait until the scan is stuck in the hanging call, with its temporary bundle on disk.
  for (let i = 0; i < 600 && emulator.count('ListAccessKeys') === 0; i++) await new Promise((r) => setTimeout(r, 50));
  expect(emulator.count('ListAccessKeys')).toBeGreaterThan(0);
  const live = readdirSync(tmp).filter((f) => f.startsWith('agentscan-live-'));
  expect(live).toHaveLength(1);
  expect(existsSync(join(tmp, live[0], 'bundle', 'aws'))).toBe(true);
  child.kill(signal);
  const code = await done;
  return { code, stderr, left: readdirSync(tmp) };
}

describe('an interrupted live scan', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('on %s removes its temporary bundle and exits %i', async (signal, expected) => {
    const { code, stderr, left } = await interrupted(signal);
    expect(code).toBe(expected);
    expect(left).toEqual([]);
    expect(stderr).toContain(`interrupted by ${signal}`);
  });
});
