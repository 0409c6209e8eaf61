import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBundle } from '../../src/bundle/load.js';
import { BundleWriter } from '../../src/bundle/write.js';

const root = mkdtempSync(join(tmpdir(), 'agentscan-write-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('BundleWriter', () => {
  it('writes source folders and a bundle.json that the reader accepts', () => {
    const dir = join(root, 'ok');
    const writer = new BundleWriter(dir, '2026-01-02T03:04:05.000Z');
    const aws = writer.source('aws', '123456789012');
    aws.json('a/b.json', { Hello: 'world' });
    aws.text('report.csv', 'x,y\n1,2\n');
    writer.source('github', 'acme-corp').json('orgs-get.json', { login: 'acme-corp' });
    expect(writer.source('aws', '123456789012')).toBe(aws);
    writer.addCoverage({ provider: 'aws', scope: '123456789012', call: 'iam:X', status: 'error', message: 'AccessDenied: iam:X' });
    const manifest = writer.finish();

    expect(manifest.sources.map((s) => s.path)).toEqual(['aws/123456789012', 'github/acme-corp']);
    expect(readFileSync(join(dir, 'aws/123456789012/report.csv'), 'utf8')).toBe('x,y\n1,2\n');
    expect(JSON.parse(readFileSync(join(dir, 'aws/123456789012/a/b.json'), 'utf8'))).toEqual({ Hello: 'world' });
    const loaded = loadBundle(dir);
    expect(loaded.manifest.collectedAt).toBe('2026-01-02T03:04:05.000Z');
    expect(loaded.manifest.tool.name).toBe('agentscan');
    expect(loaded.sources[0].callFailed('iam:X')).toBe(true);
  });

  it('never writes outside the source folder, whatever a name from an API says', () => {
    const writer = new BundleWriter(join(root, 'escape'));
    const src = writer.source('aws', '123456789012');
    for (const bad of ['../x.json', '../../bundle.json', '/etc/passwd', 'a/../../x', '']) {
      expect(() => src.json(bad, {}), bad).toThrow(/outside the source folder/);
    }
    expect(() => writer.source('aws', '../other')).toThrow(/not usable as a folder name/);
  });

  it('refuses a folder that already holds files', () => {
    const dir = join(root, 'full');
    mkdirSync(dir);
    writeFileSync(join(dir, 'something'), '');
    expect(() => new BundleWriter(dir)).toThrow(/not empty/);
    expect(() => new BundleWriter(join(dir, 'something'))).toThrow(/not a folder/);
  });
});
