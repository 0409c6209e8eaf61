import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundle } from '../../../src/bundle/load.js';
import { normalizeAws } from '../../../src/providers/aws/normalize.js';
import { ROOT } from '../../helpers/cli.js';

// The demo bundle holds its organisation's folder (aws/o-q7x2m4k9p1): SCPs and RCPs shape the
// member account's effective permissions; the folder itself yields no identities.

const { sources } = loadBundle(join(ROOT, 'fixtures', 'demo'));
const identities = sources.filter((s) => s.source.provider === 'aws').flatMap((s) => normalizeAws(s, sources));
const byName = (name: string) => identities.find((i) => i.name === name)!;

describe('demo organisation o-q7x2m4k9p1', () => {
  it('limits an admin by SCP, says the conditioned Deny and RCP, and leaves the service-linked role alone', () => {
    expect(identities.some((i) => i.container.id.startsWith('o-'))).toBe(false);
    const ci = byName('ci-deployer');
    expect(ci.attributes.limitedBy).toMatch(/^limited by SCP deny-iam-user-keys; /);
    expect(ci.attributes.limitedBy).toMatch(/kept unless ArnNotLike aws:PrincipalArn arn:aws:iam::\*:role\/platform-admin \(SCP protect-guardrail-roles\)/);
    expect(ci.attributes.limitedBy).toMatch(/\(RCP org-only-secrets\)/);
    const summary = ci.attributes.effectivePermissions as { deniedActions: number; allActions?: true };
    expect(summary.deniedActions).toBe(3);
    expect(summary.allActions).toBeUndefined();
    expect(byName('AWSServiceRoleForSupport').attributes.limitedBy).toBeUndefined();
    // A boundary that already removes the denied actions leaves the SCPs nothing to say.
    expect(byName('sandbox-runner').attributes.limitedBy).toMatch(/^permissions boundary acme-sandbox-boundary leaves/);
    expect(byName('sandbox-runner').attributes.limitedBy).not.toMatch(/SCP/);
  });
});
