import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSafe } from '../../src/bundle/file-names.js';
import { ROOT } from '../helpers/cli.js';

// A bundle is someone else's folder. Whatever it holds — paths with ../, names that become
// paths, symlinks out, FIFOs, folders where files belong, files too big for memory — the scan
// must end with exit 2 and a message naming the file, never read outside the bundle, never
// quote such a file, never hang, never crash.

const ACCOUNT = '314159265358';
const SECRET = 'TOP-SECRET-OUTSIDE-BYTES';
const scratch = mkdtempSync(join(tmpdir(), 'agentscan-hostile-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let n = 0;
/** A copy of the demo bundle, and a file beside it (outside it) that is not valid JSON. */
function hostileBundle(): { dir: string; src: string; outside: string } {
  const root = join(scratch, `case-${n++}`);
  const dir = join(root, 'bundle');
  cpSync(join(ROOT, 'fixtures', 'demo'), dir, { recursive: true });
  const outside = join(root, 'outside.json');
  writeFileSync(outside, `${SECRET} {not json`);
  return { dir, src: join(dir, 'aws', ACCOUNT), outside };
}

function scan(dir: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'agentscan.js'), 'scan', '--from', dir, '--provider', 'aws'], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 15_000,
  });
  const output = `${r.stdout}${r.stderr}`;
  return { code: r.status, output, stderr: r.stderr };
}

const editJson = (file: string, edit: (v: any) => void) => {
  const value = JSON.parse(readFileSync(file, 'utf8'));
  edit(value);
  writeFileSync(file, JSON.stringify(value));
};

describe('paths that leave the bundle', () => {
  it.each(['../outside-folder', '/etc', 'aws/../..'])('bundle.json sources[].path %s is refused (exit 2)', (path) => {
    const { dir } = hostileBundle();
    mkdirSync(join(dir, '..', 'outside-folder', ACCOUNT), { recursive: true });
    editJson(join(dir, 'bundle.json'), (m) => (m.sources[0].path = path));
    const r = scan(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bundle\.json: at sources\[0\]\.path: .* is not a folder inside the bundle/);
  });

  it('a user name with ../ that becomes a file name never reaches outside the source folder', () => {
    const { dir, src } = hostileBundle();
    // iam-list-access-keys/<name>.json with this name is ../outside.json, beside the bundle.
    const name = '../../../../outside';
    editJson(join(src, 'iam-get-account-authorization-details.page-1.json'), (p) => (p.UserDetailList[0].UserName = name));
    const r = scan(dir);
    expect(r.output).not.toContain('TOP-SECRET');
    expect([0, 2]).toContain(r.code);
    expect(fileSafe(name)).toBe('..%2F..%2F..%2F..%2Foutside');
  });

  it('a symlink to a file outside the bundle is refused and never quoted', () => {
    const { dir, src, outside } = hostileBundle();
    unlinkSync(join(src, 'iam-list-account-aliases.json'));
    symlinkSync(outside, join(src, 'iam-list-account-aliases.json'));
    const r = scan(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/iam-list-account-aliases\.json: leads outside the bundle folder/);
    expect(r.output).not.toContain('TOP-SECRET');
  });

  it('a source folder that is a symlink out of the bundle is refused', () => {
    const { dir, src } = hostileBundle();
    const elsewhere = join(dir, '..', 'elsewhere');
    cpSync(src, elsewhere, { recursive: true });
    rmSync(src, { recursive: true });
    symlinkSync(elsewhere, src);
    const r = scan(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/leads outside the bundle folder/);
  });

  it('a folder inside a source that is a symlink out of the bundle is refused, and its files never quoted', () => {
    const { dir, src } = hostileBundle();
    const keys = join(src, 'iam-list-access-keys');
    const elsewhere = join(dir, '..', 'elsewhere-keys');
    cpSync(keys, elsewhere, { recursive: true });
    for (const f of readdirSync(elsewhere)) writeFileSync(join(elsewhere, f), `${SECRET} {not json`);
    rmSync(keys, { recursive: true });
    symlinkSync(elsewhere, keys);
    const r = scan(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/iam-list-access-keys[\\/][^:]+\.json: leads outside the bundle folder/);
    expect(r.output).not.toContain('TOP-SECRET');
  });

  it('a symlink to a file inside the bundle is read as that file', () => {
    const { dir, src } = hostileBundle();
    const before = scan(dir);
    mkdirSync(join(dir, 'elsewhere'));
    renameSync(join(src, 'iam-list-account-aliases.json'), join(dir, 'elsewhere', 'aliases.json'));
    symlinkSync(join('..', '..', 'elsewhere', 'aliases.json'), join(src, 'iam-list-account-aliases.json'));
    const after = scan(dir);
    expect(after.code).toBe(before.code);
    expect(after.output).toBe(before.output);
    expect(after.output).toMatch(/finding/i);
  });

  it('a symlink that leads nowhere is a missing file, named', () => {
    const { dir, src } = hostileBundle();
    unlinkSync(join(src, 'iam-list-account-aliases.json'));
    symlinkSync(join(src, 'no-such-file.json'), join(src, 'iam-list-account-aliases.json'));
    const r = scan(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/iam-list-account-aliases\.json: file is missing/);
  });

  it('bundle.json as a symlink out of the bundle is refused', () => {
    const { dir, outside } = hostileBundle();
    unlinkSync(join(dir, 'bundle.json'));
    symlinkSync(outside, join(dir, 'bundle.json'));
    const r = scan(dir);
    expect(r.code).toBe(2);
    expect(r.output).not.toContain('TOP-SECRET');
  });
});

describe('files that are not files, or too big', () => {
  it('a FIFO where a file belongs is refused at once (not read, so no hang)', () => {
    const { dir, src } = hostileBundle();
    unlinkSync(join(src, 'iam-list-account-aliases.json'));
    expect(spawnSync('mkfifo', [join(src, 'iam-list-account-aliases.json')]).status).toBe(0);
    const r = scan(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/iam-list-account-aliases\.json: is not a regular file \(a FIFO, socket or device\)/);
  });

  it('a folder where a file belongs is exit 2 naming it, not an internal error', () => {
    const { dir, src } = hostileBundle();
    unlinkSync(join(src, 'iam-list-account-aliases.json'));
    mkdirSync(join(src, 'iam-list-account-aliases.json'));
    const r = scan(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/iam-list-account-aliases\.json: is a folder, where a file was expected/);
  });

  it('a file over the size limit is refused before it is read', () => {
    const { dir, src } = hostileBundle();
    // The demo's largest AWS file, and a limit just under it: the message names both sizes.
    const size = statSync(join(src, 'iam-get-account-authorization-details.page-2.json')).size;
    const r = scan(dir, { AGENTSCAN_MAX_FILE_BYTES: String(size - 1) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`page-2.json: file is ${size} bytes, over the limit of ${size - 1} (AGENTSCAN_MAX_FILE_BYTES)`);
  });

  it('a file larger than Node can hold as a string (sparse, 600 MB) is exit 2 naming it, not an abort', () => {
    const { dir, src } = hostileBundle();
    truncateSync(join(src, 'iam-get-credential-report.csv'), 600 * 1024 * 1024);
    const r = scan(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/iam-get-credential-report\.csv: file is 629145600 bytes, over the limit/);
  });
});
