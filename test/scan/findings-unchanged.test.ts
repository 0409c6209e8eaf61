import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error the benchmark generator is plain JavaScript without type declarations
import { generateBundle } from '../../scripts/bench/generate.mjs';
import { loadBundle } from '../../src/bundle/load.js';
import { prepareAnalysis } from '../../src/cli/analysis-setup.js';
import { analyseBundle } from '../../src/scan/analyse.js';

// Speed-ups (shared AWS analyses, CEL values converted once, indexes in the normalizers) must
// not change a single finding. The benchmark generator is deterministic, so a generated estate
// of 2,000 identities over the four providers pins the findings by the hash of their JSON, as
// the analysis before those speed-ups (commit 40da314) gave them. A deliberate change of
// results (a new rule, a precision fix) changes the hash: check the new findings are the
// intended ones, then put the new hash here (the test prints it).
const EXPECTED = {
  // Re-pinned after the access-path rules landed: against 40da314 on the same generated estate
  // (3,042), +85 reach-admin-through-chain, +3 reach-beyond-direct-access, +9
  // federated-trust-without-subject (broad GitHub subjects), -2 privilege-escalation-permission
  // folded into a chain on the same grant; every other rule's count unchanged.
  // Re-pinned when the ECS task method split by pathfinding.cloud (ecs-004/005 register a task
  // definition; RunTask alone is the task-role override): no rule's count changed, only the
  // evidence of 15 escalation findings names "iam:PassRole + ecs:RegisterTaskDefinition + ecs:RunTask".
  // Then +1 keys-in-concurrent-use (svc-search-bot: two keys 140 and 733 days old, used 5 and 3
  // days ago); the other new shared-account rules find no consumers, labels or consents in the
  // generated estate; every other finding byte-identical.
  // Re-pinned when reach kept only the 25 most telling targets per identity: same 3,138 findings,
  // same fingerprints, messages and chains; 77 reach-admin-through-chain findings whose identity
  // reaches more than 25 administrators list the 25 nearest in `administrators`/`providers`
  // (the message still counts them all: "and 31 more administrators").
  // With principals sharing one AssumeRole pattern grouped behind a hub: same findings and
  // fingerprints; 140 findings' evidence chains name the hub, 5 messages count 2 hops for 3
  // (a step into a grouping principal is no hop of its own).
  // Then +43 trust-in-missing-repository (3,138 → 3,181): Entra federated credentials the
  // generator pins to repositories its GitHub org does not list; every other rule's count unchanged.
  // With hubs for AssumeRole on * under a condition and for GCP bindings above the account: same
  // findings, fingerprints and messages; the evidence chains of 78 reach-admin-through-chain
  // findings name the hub.
  findings: 3181,
  sha256: 'a79438cb6b4959ba267aa84ab8eee6fa4089bbfa0b8641237aeb54c8e736c87f',
};

const dir = mkdtempSync(join(tmpdir(), 'agentscan-unchanged-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('findings of a generated four-provider estate', () => {
  it('are byte-identical to those before the speed-ups', () => {
    const out = join(dir, 'bundle');
    generateBundle({ out, counts: { aws: 500, gcp: 500, github: 500, entra: 500 }, seed: 'agentscan-bench' });
    const { options } = prepareAnalysis({ rules: [], suppressions: [] });
    const result = analyseBundle(loadBundle(out), { ...options, now: '2026-12-01T00:00:00Z' });
    const sha256 = createHash('sha256').update(JSON.stringify(result.findings)).digest('hex');
    expect(result.identities.length).toBeGreaterThanOrEqual(2000);
    expect({ findings: result.findings.length, sha256 }).toEqual(EXPECTED);
  }, 180_000);
});
