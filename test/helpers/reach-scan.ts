import type { AccessGraph } from '../../src/facts/reach/build.js';
import { computeReach } from '../../src/facts/reach/reach.js';
import type { AccessEdge, PathNode, Reach } from '../../src/model/reach.js';
import type { AccessLevel, Identity, Provider } from '../../src/model/inventory.js';
import type { ScanResult } from '../../src/model/scan-result.js';
import { makeScan, XSS_IMG, XSS_NAME, XSS_SCRIPT } from './html-scan.js';
import { makeIdentity } from './identity.js';

// Hand-made access-path graphs for the HTML graph view's tests: the cross-provider chains the
// issue names (a GitHub workflow into AWS, a GCP impersonation chain, an Entra owner chain),
// a hop gated on MFA, a node with a hostile name, and generators for large and tangled estates.
// Each identity holds the level the graph view shows through one grant; each Reach is what
// computeReach makes of its graph and identities, so the page is checked against the real thing.

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
  breakGlass: 'aws:111111111111:role/break-glass',
} as const;

/** Each hand-made identity's own level (absent: none). */
export const LEVELS: Record<string, AccessLevel> = {
  [IDS.agent]: 'write',
  [IDS.deploy]: 'write',
  [IDS.admin]: 'admin',
  [IDS.gcpDeployer]: 'write',
  [IDS.gcpOwner]: 'admin',
  [IDS.entraBot]: 'read',
  [IDS.entraApp]: 'admin',
  [IDS.breakGlass]: 'admin',
  [IDS.loner]: 'admin',
};

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
  node(IDS.breakGlass, 'aws', 'break-glass'),
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
  // Drawn, never followed: whoever becomes deploy still needs MFA to go on to break-glass.
  {
    from: IDS.deploy,
    to: IDS.breakGlass,
    kind: 'assume-role',
    evidence: "break-glass's trust policy names deploy",
    condition: 'requires MFA',
    gated: 'MFA',
  },
];
/** The index of the gated hop in EDGES. */
export const GATED_EDGE = 8;

/** An identity holding `level` through one grant (none when absent). */
function identityAt(n: PathNode, level: AccessLevel | undefined): Identity {
  const entitlements: Identity['entitlements'] = level
    ? [{ permissions: [`test:${level}`], resource: '*', scope: 'global', via: { type: 'inline-policy', name: 'test' }, level, standing: true, risks: [] }]
    : [];
  return makeIdentity({ id: n.id, name: n.name, provider: n.provider, verdict: 'agent', entitlements });
}

/** The identities of a graph's identity nodes, each with its level from `levels`. */
export function identitiesOf(nodes: readonly PathNode[], levels: Record<string, AccessLevel>): Identity[] {
  return nodes.filter((n) => n.kind === 'identity').map((n) => identityAt(n, levels[n.id]));
}

/** The reach computeReach finds in a graph (it reads only the nodes and edges). */
export function reachOf(nodes: PathNode[], edges: AccessEdge[], identities: readonly Identity[]): Reach {
  return computeReach({ nodes, edges } as unknown as AccessGraph, identities);
}

export function handReach(): Reach {
  return reachOf(NODES, EDGES, identitiesOf(NODES, LEVELS));
}

export function reachScan(reach: Reach = handReach(), levels: Record<string, AccessLevel> = LEVELS): ScanResult {
  return makeScan({ identities: identitiesOf(reach.nodes, levels), reach });
}

/**
 * A large estate: `chains` chains of five identities each (the first reaches the other four; the
 * last holds admin, the rest read), plus one GitHub owner who can change `fanOut` repositories'
 * workflows, each of which is the head of a chain — more than one drawing can hold.
 */
export function largeScan(chains: number, fanOut: number): ScanResult {
  const nodes: PathNode[] = [];
  const edges: AccessEdge[] = [];
  const levels: Record<string, AccessLevel> = {};
  const chainIds: string[][] = [];
  for (let c = 0; c < chains; c++) {
    const ids = Array.from({ length: 5 }, (_, k) => `aws:${String(c).padStart(12, '0')}:role/r${c}-${k}`);
    ids.forEach((id, k) => {
      nodes.push(node(id, 'aws', `role-${c}-${k}`));
      levels[id] = k === 4 ? 'admin' : 'read';
    });
    for (let k = 0; k < 4; k++) edges.push({ from: ids[k], to: ids[k + 1], kind: 'assume-role', evidence: `r${c}-${k} may assume r${c}-${k + 1}` });
    chainIds.push(ids);
  }
  const owner = 'github:acme:user/org-owner';
  nodes.push(node(owner, 'github', 'org-owner'));
  levels[owner] = 'admin';
  for (let c = 0; c < Math.min(fanOut, chains); c++) {
    const wf = `github:workflow:acme/repo-${c}`;
    nodes.push(node(wf, 'github', `acme/repo-${c}`, 'workflow'));
    edges.push({ from: owner, to: wf, kind: 'workflow-write', evidence: `org owner can change acme/repo-${c}` });
    edges.push({ from: wf, to: chainIds[c][0], kind: 'oidc-trust', evidence: `r${c}-0 trusts repo:acme/repo-${c}:*` });
  }
  const identities = identitiesOf(nodes, levels);
  return makeScan({ identities, reach: reachOf(nodes, edges, identities) });
}

/**
 * A tangled estate for checking the page's search against computeReach: `n` identities over
 * three providers plus a few workflows, with about `hopsPerIdentity` random hops each (cycles,
 * parallel routes of different lengths, fan-in and fan-out) of which about one in six is gated.
 * Deterministic in `seed`.
 */
export function tangledScan(n: number, seed = 7, hopsPerIdentity = 2): ScanResult {
  let state = seed;
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const providers: Provider[] = ['aws', 'gcp', 'entra'];
  const nodes: PathNode[] = [];
  const levels: Record<string, AccessLevel> = {};
  for (let i = 0; i < n; i++) {
    const provider = providers[i % 3];
    // Of one width, so no name or id is the start of another and a search finds just it.
    const name = `t${String(i).padStart(4, '0')}`;
    const id = `${provider}:tangle:id/${name}`;
    nodes.push(node(id, provider, name));
    const roll = random();
    if (roll < 0.15) levels[id] = 'admin';
    else if (roll < 0.45) levels[id] = 'write';
    else if (roll < 0.75) levels[id] = 'read';
  }
  for (let w = 0; w < Math.max(2, Math.floor(n / 10)); w++) nodes.push(node(`github:workflow:acme/w${String(w).padStart(4, '0')}`, 'github', `acme/w${String(w).padStart(4, '0')}`, 'workflow'));
  const edges: AccessEdge[] = [];
  const seen = new Set<string>();
  for (let k = 0; k < n * hopsPerIdentity; k++) {
    const from = pick(nodes).id;
    const to = pick(nodes).id;
    if (from === to || seen.has(`${from} ${to}`)) continue;
    seen.add(`${from} ${to}`);
    const gated = random() < 1 / 6;
    edges.push({ from, to, kind: 'assume-role', evidence: `${from} may act as ${to}`, ...(gated && { gated: 'MFA', condition: 'requires MFA' }) });
  }
  const identities = identitiesOf(nodes, levels);
  return makeScan({ identities, reach: reachOf(nodes, edges, identities) });
}
