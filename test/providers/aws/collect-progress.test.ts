import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsIamEmulator } from '../../emulators/aws-iam.js';
import { estateFromBundle } from '../../emulators/aws-estate.js';
import { ROOT } from '../../helpers/cli.js';
import { removeScratch, runCliAsync, scratchDir } from './collect-helpers.js';

// The progress line of a live collection, seen as a person sees it: on a terminal (a pseudo-
// terminal from util-linux `script`) one line rewritten in place with accounts, calls and the
// API in flight; nothing of it when standard error is not a terminal.

const ACCOUNT = '314159265358';
let emulator: AwsIamEmulator;

beforeAll(async () => {
  emulator = await AwsIamEmulator.start({
    accounts: [estateFromBundle(join(ROOT, 'fixtures', 'demo', 'aws', ACCOUNT), ACCOUNT)],
    callerArn: `arn:aws:sts::${ACCOUNT}:assumed-role/scanner/session`,
    pageSize: 4,
    reportPolls: 1,
  });
});
afterAll(async () => {
  await emulator.close();
  removeScratch();
});

/** Runs the CLI inside a pseudo-terminal; resolves with everything the terminal received. */
function onTerminal(args: string[], env: Record<string, string | undefined>): Promise<{ code: number; screen: string }> {
  const command = [process.execPath, join(ROOT, 'bin', 'agentscan.js'), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: '1', ...env })) if (v !== undefined) childEnv[k] = v;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { cwd: ROOT, env: childEnv });
    let screen = '';
    child.stdout.on('data', (d: Buffer) => (screen += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, screen }));
  });
}

describe('live collection progress', () => {
  it('draws a progress line on a terminal and clears it before the summary', async () => {
    const out = join(scratchDir(), 'bundle');
    const r = await onTerminal(['collect', '--provider', 'aws', '--out', out], emulator.env());
    expect(r.code, r.screen).toBe(0);
    expect(r.screen).toMatch(/\r\x1b\[Kaws: 0\/1 accounts · \d+ calls · (sts|iam):\w+/);
    expect(r.screen).toMatch(/\r\x1b\[K\r?\n?agentscan: wrote /);
  });

  it('prints no progress when standard error is not a terminal, or with --quiet on one', async () => {
    const plain = await runCliAsync(['collect', '--provider', 'aws', '--out', join(scratchDir(), 'bundle')], emulator.env());
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).not.toContain('\r');
    expect(plain.stderr).not.toContain('accounts ·');
    const quiet = await onTerminal(['collect', '--provider', 'aws', '--quiet', '--out', join(scratchDir(), 'bundle')], emulator.env());
    expect(quiet.code).toBe(0);
    expect(quiet.screen).not.toContain('accounts ·');
  });
});
