import type { AccessEdge, IdentityReach, PathNode, Reach, ReachTarget } from '../../src/model/reach.js';
import type { AccessLevel, Provider } from '../../src/model/inventory.js';
import type { ScanResult } from '../../src/model/scan-result.js';
import { makeScan, XSS_IMG, XSS_NAME, XSS_SCRIPT } from './html-scan.js';
import { makeIdentity } from './identity.js';

// Hand-made access-path graphs for the HTML graph view's tests: the cross-provider chains the
// issue names (a GitHub workflow into AWS, a GCP impersonation chain, an Entra owner chain),
// a node with a hostile name, and a generator for a large estate.

export const IDS = {
  agent: 'github:acme:app/claude-agent',
  workflow: 'github:workflow:acme/api',
  deploy: 'aws:111111111111:role/deploy',
  admin: 'aws:111111111111:role/admin',
  gcpAgent: 'gcp:proj-1:sa/ci-agent@proj-1.iam.gserviceaccount.com',
  gcpDeployer: 'gcp:proj-1:sa/deployer@proj-1.iam.gserviceaccount.com',
  gcpOwner: 'gcp:proj-1:sa/owner@proj-1.iam.gserviceaccount.com',
  entraBot: 'entra:tenant-1:sp/agent-bot',
  entraApp: 'entra:tenant-1:app/graph-admin',
  hostile: 'aws:111111111111:role/hostile',
  loner: 'aws:111111111111:role/loner',
} as const;

const node = (id: string, provider: Provider, name: string, kind: PathNode['kind'] = 'identity'): PathNode => ({ id, provider, kind, name });

const NODES: PathNode[] = [
  node(IDS.agent, 'github', 'claude-agent'),
  node(IDS.workflow, 'github', 'acme/api workflows', 'workflow'),
  node(IDS.deploy, 'aws', 'deploy'),
  node(IDS.admin, 'aws', 'admin'),
  node(IDS.gcpAgent, 'gcp', 'ci-agent'),
  node(IDS.gcpDeployer, 'gcp', 'deployer'),
  node(IDS.gcpOwner, 'gcp', 'owner'),
  node(IDS.entraBot, 'entra', 'agent-bot'),
  node(IDS.entraApp, 'entra', 'graph-admin'),
  node(IDS.hostile, 'aws', XSS_NAME),
  // An identity on no edge: it must not be drawn.
  node(IDS.loner, 'aws', 'loner'),
];

export const EDGES: AccessEdge[] = [
  { from: IDS.agent, to: IDS.workflow, kind: 'workflow-write', evidence: 'installation 42 has workflows: write on acme/api' },
  {
    from: IDS.workflow,
    to: IDS.deploy,
    kind: 'oidc-trust',
    evidence: 'trust policy of deploy: token.actions.githubusercontent.com:sub like repo:acme/api:*',
    condition: 'sub matches repo:acme/api:*',
  },
  { from: IDS.deploy, to: IDS.admin, kind: 'assume-role', evidence: 'deploy: Allow sts:AssumeRole on arn:aws:iam::111111111111:role/admin' },
  { from: IDS.gcpAgent, to: IDS.gcpDeployer, kind: 'token-creator', evidence: 'roles/iam.serviceAccountTokenCreator on deployer' },
  { from: IDS.gcpDeployer, to: IDS.gcpOwner, kind: 'service-account-user', evidence: 'roles/iam.serviceAccountUser on owner' },
  { from: IDS.entraBot, to: IDS.entraApp, kind: 'app-owner', evidence: 'agent-bot owns application graph-admin' },
  { from: IDS.workflow, to: IDS.entraBot, kind: 'federated-credential', evidence: 'federated credential subject repo:acme/api:ref:refs/heads/main' },
  { from: IDS.hostile, to: IDS.deploy, kind: 'assume-role', evidence: `hostile: Allow sts:AssumeRole ${XSS_IMG}`, condition: XSS_SCRIPT },
];

const target = (identityId: string, provider: Provider, chain: number[], level?: AccessLevel): ReachTarget => ({
  identityId,
  provider,
  chain,
  ...(level && { level }),
});

type HandEntries = Record<string, Pick<IdentityReach, 'targets' | 'maxLevel'>>;

/** Hand-written entries list every target, so the counts are theirs. */
function counted(nodes: PathNode[], edges: AccessEdge[], entries: HandEntries): Reach {
  const byIdentity: Reach['byIdentity'] = {};
  for (const [id, e] of Object.entries(entries)) byIdentity[id] = { ...e, count: e.targets.length, scopes: [], escalations: 0, gains: 0 };
  return { nodes, edges, byIdentity };
}

export function handReach(): Reach {
  return counted(NODES, EDGES, {
      [IDS.agent]: {
        targets: [
          target(IDS.workflow, 'github', [0]),
          target(IDS.deploy, 'aws', [0, 1], 'write'),
          target(IDS.admin, 'aws', [0, 1, 2], 'admin'),
          target(IDS.entraBot, 'entra', [0, 6], 'read'),
          target(IDS.entraApp, 'entra', [0, 6, 5], 'admin'),
        ],
        maxLevel: { github: 'write', aws: 'admin', entra: 'admin' },
      },
      [IDS.workflow]: {
        targets: [
          target(IDS.deploy, 'aws', [1], 'write'),
          target(IDS.admin, 'aws', [1, 2], 'admin'),
          target(IDS.entraBot, 'entra', [6], 'read'),
          target(IDS.entraApp, 'entra', [6, 5], 'admin'),
        ],
        maxLevel: { aws: 'admin', entra: 'admin' },
      },
      [IDS.deploy]: { targets: [target(IDS.admin, 'aws', [2], 'admin')], maxLevel: { aws: 'admin' } },
      [IDS.gcpAgent]: {
        targets: [target(IDS.gcpDeployer, 'gcp', [3], 'write'), target(IDS.gcpOwner, 'gcp', [3, 4], 'admin')],
        maxLevel: { gcp: 'admin' },
      },
      [IDS.gcpDeployer]: { targets: [target(IDS.gcpOwner, 'gcp', [4], 'admin')], maxLevel: { gcp: 'admin' } },
      [IDS.entraBot]: { targets: [target(IDS.entraApp, 'entra', [5], 'admin')], maxLevel: { entra: 'admin' } },
      [IDS.hostile]: {
        targets: [target(IDS.deploy, 'aws', [7], 'write'), target(IDS.admin, 'aws', [7, 2], 'admin')],
        maxLevel: { aws: 'admin' },
      },
  });
}

export function reachScan(reach: Reach = handReach()): ScanResult {
  const identities = reach.nodes
    .filter((n) => n.kind === 'identity')
    .map((n) => makeIdentity({ id: n.id, name: n.name, provider: n.provider, verdict: 'agent' }));
  return makeScan({ identities, reach });
}

/**
 * A large estate: `chains` chains of five identities each (the first reaches the other four),
 * plus one GitHub owner who can change `fanOut` repositories' workflows, each of which is the
 * head of a chain — more than one drawing can hold.
 */
export function largeReach(chains: number, fanOut: number): Reach {
  const nodes: PathNode[] = [];
  const edges: AccessEdge[] = [];
  const byIdentity: HandEntries = {};
  const chainIds: string[][] = [];
  for (let c = 0; c < chains; c++) {
    const ids = Array.from({ length: 5 }, (_, k) => `aws:${String(c).padStart(12, '0')}:role/r${c}-${k}`);
    ids.forEach((id, k) => nodes.push(node(id, 'aws', `role-${c}-${k}`)));
    const first = edges.length;
    for (let k = 0; k < 4; k++) edges.push({ from: ids[k], to: ids[k + 1], kind: 'assume-role', evidence: `r${c}-${k} may assume r${c}-${k + 1}` });
    byIdentity[ids[0]] = {
      targets: ids.slice(1).map((id, k) => target(id, 'aws', Array.from({ length: k + 1 }, (_, j) => first + j), k === 3 ? 'admin' : 'read')),
      maxLevel: { aws: 'admin' },
    };
    chainIds.push(ids);
  }
  const owner = 'github:acme:user/org-owner';
  nodes.push(node(owner, 'github', 'org-owner'));
  const targets: ReachTarget[] = [];
  for (let c = 0; c < Math.min(fanOut, chains); c++) {
    const wf = `github:workflow:acme/repo-${c}`;
    nodes.push(node(wf, 'github', `acme/repo-${c}`, 'workflow'));
    const e1 = edges.push({ from: owner, to: wf, kind: 'workflow-write', evidence: `org owner can change acme/repo-${c}` }) - 1;
    const e2 = edges.push({ from: wf, to: chainIds[c][0], kind: 'oidc-trust', evidence: `r${c}-0 trusts repo:acme/repo-${c}:*` }) - 1;
    targets.push(target(wf, 'github', [e1]));
    // Chain c's edges are 4c … 4c+3, laid down before any of the owner's.
    chainIds[c].forEach((id, k) => targets.push(target(id, 'aws', [e1, e2, ...Array.from({ length: k }, (_, j) => 4 * c + j)], k === 4 ? 'admin' : 'read')));
  }
  byIdentity[owner] = { targets, maxLevel: { github: 'admin', aws: 'admin' } };
  return counted(nodes, edges, byIdentity);
}
