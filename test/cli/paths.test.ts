import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

// `agentscan paths` and the JSON report's reach, as a user runs them on the demo bundle.

const DEMO = ['--from', 'fixtures/demo'];

describe('agentscan paths', () => {
  it('prints an agent\'s chains into another cloud, one numbered hop a line with its evidence', () => {
    const r = runCli(['paths', ...DEMO, '--identity', 'github:acme-corp:app/copilot-swe-agent', '--to-level', 'admin']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('copilot-swe-agent (github:acme-corp:app/copilot-swe-agent, agent) can become 2 identities holding admin or more:');
    expect(r.stdout).toContain('→ gh-actions-wif@acme-ml-prod.iam.gserviceaccount.com (gcp, admin) in 2 hops');
    expect(r.stdout).toMatch(/1\. copilot-swe-agent → workflows of every acme-corp repository: workflow-write \(contents:write, workflows:write/);
    expect(r.stdout).toMatch(/2\. workflows of every acme-corp repository → gh-actions-wif@\S+: workload-identity \(roles\/iam\.workloadIdentityUser/);
    expect(r.stdout).toContain('→ legacy-sync (entra, admin) in 3 hops');
    expect(r.stdout).toContain('3. gh-deploy → legacy-sync: app-owner');
    expect(r.stdout).not.toContain('github-actions-deploy'); // write, not admin
  });

  it('--to narrows to one target, found by a unique name', () => {
    const r = runCli(['paths', ...DEMO, '--identity', 'eval-harness-agent', '--to', 'legacy-break-glass']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('can become 1 identity to legacy-break-glass:');
    expect(r.stdout).toContain('1. eval-harness-agent → release-orchestrator: assume-role');
    expect(r.stdout).toContain('2. release-orchestrator → legacy-break-glass: assume-role');
  });

  it('--format json carries the chain as steps', () => {
    const r = runCli(['paths', ...DEMO, '--identity', 'research-agent@acme-ml-prod.iam.gserviceaccount.com', '--format', 'json']);
    expect(r.code).toBe(0);
    const [answer] = JSON.parse(r.stdout) as Array<{ identity: { id: string }; targets: Array<{ name: string; level?: string; hops: number; steps: Array<{ kind: string; to: string }> }> }>;
    expect(answer.identity.id).toBe('gcp:acme-ml-prod:sa/research-agent@acme-ml-prod.iam.gserviceaccount.com');
    const owner = answer.targets.find((t) => t.name.startsWith('support-bot@'))!;
    expect(owner.level).toBe('admin');
    // Token creator on the project: through the hub for every account of the project, one hop.
    expect(owner.steps.map((s) => s.kind)).toEqual(['token-creator', 'token-creator']);
    expect(owner.steps[0].to).toBe('gcp:projects/acme-ml-prod:roles/iam.serviceAccountTokenCreator');
    expect(owner.hops).toBe(1);
  });

  it('an unknown identity is bad input: exit 2, naming it', () => {
    const r = runCli(['paths', ...DEMO, '--identity', 'aws:314159265358:role/no-such-role']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--identity aws:314159265358:role/no-such-role: no identity with that id or name in the bundle');
    const bad = runCli(['paths', ...DEMO, '--to-level', 'owner']);
    expect(bad.code).toBe(2);
  });

  it('the JSON scan report carries reach: nodes, edges and each identity\'s targets', () => {
    const r = runCli(['scan', '--demo', '--format', 'json']);
    const report = JSON.parse(r.stdout) as { reach: { nodes: unknown[]; edges: Array<{ from: string; to: string }>; byIdentity: Record<string, { targets: Array<{ identityId: string; chain: number[] }> }> } };
    expect(report.reach.nodes.length).toBeGreaterThan(50);
    const copilot = report.reach.byIdentity['github:acme-corp:app/copilot-swe-agent'];
    const wif = copilot.targets.find((t) => t.identityId.includes('gh-actions-wif'))!;
    expect(report.reach.edges[wif.chain[0]].from).toBe('github:acme-corp:app/copilot-swe-agent');
    expect(report.reach.edges[wif.chain.at(-1)!].to).toBe(wif.identityId);
  });
});
