import { createHash } from 'node:crypto';
import type { Entitlement, Identity, Trust } from '../../model/inventory.js';
import { grantRootKey } from '../../model/root-cause.js';
import { actionMatches } from '../../providers/aws/permissions.js';
import { globToRegExp } from '../../util/glob.js';
import { effective, type GraphBuilder } from './graph.js';
import { isGithubIssuer, oidcTrustEdges, subjectVerdict, type GithubEstate } from './github.js';

// AWS's part of the graph: who can become a role. A trust policy that names a role or user of the
// same account lets it in by itself; one that names an account (its root, its id, or `*`) lets in
// the principals of that account whose own policies allow sts:AssumeRole on the role. A role that
// trusts a service can be handed to that service by whoever holds iam:PassRole on it and can start
// the service's compute. GitHub OIDC trusts are matched against the scanned repositories.

interface Principal {
  identity: Identity;
  account: string;
}

/** Services whose compute runs as a passed role, and the actions that start it. */
const LAUNCHERS: Record<string, string[]> = {
  'lambda.amazonaws.com': ['lambda:CreateFunction', 'lambda:UpdateFunctionConfiguration'],
  'ec2.amazonaws.com': ['ec2:RunInstances', 'ec2:AssociateIamInstanceProfile'],
  'ecs-tasks.amazonaws.com': ['ecs:RunTask', 'ecs:RegisterTaskDefinition'],
  'glue.amazonaws.com': ['glue:CreateJob', 'glue:CreateDevEndpoint', 'glue:UpdateJob'],
  'codebuild.amazonaws.com': ['codebuild:CreateProject', 'codebuild:UpdateProject'],
  'sagemaker.amazonaws.com': ['sagemaker:CreateNotebookInstance', 'sagemaker:CreateTrainingJob', 'sagemaker:CreateProcessingJob'],
  'cloudformation.amazonaws.com': ['cloudformation:CreateStack', 'cloudformation:UpdateStack'],
  'bedrock.amazonaws.com': ['bedrock:CreateAgent', 'bedrock:UpdateAgent'],
  'bedrock-agentcore.amazonaws.com': ['bedrock-agentcore:CreateAgentRuntime', 'bedrock-agentcore:UpdateAgentRuntime'],
  'states.amazonaws.com': ['states:CreateStateMachine', 'states:UpdateStateMachine'],
  'batch.amazonaws.com': ['batch:RegisterJobDefinition'],
  'apprunner.amazonaws.com': ['apprunner:CreateService', 'apprunner:UpdateService'],
};

// What the graph build works out about principals and their grants, kept for one build only:
// keyed by identities and their permission lists, which live as long as the scan, the answers
// would otherwise stay with them through the rules and the reports (60 MiB at 100,000 AWS
// identities), and the patterns of every scan a process runs would pile up.
function newAnswers() {
  return {
    resourceRegex: new Map<string, RegExp>(),
    byService: new WeakMap<string[], Map<string, string[]>>(),
    coverage: new WeakMap<string[], Map<string, boolean>>(),
    covering: new WeakMap<Identity, Map<string, Entitlement[]>>(),
    wildcardPasses: new WeakMap<Identity, Map<string, Entitlement | null>>(),
  };
}
let answers = newAnswers();

function resourceMatches(pattern: string, arn: string): boolean {
  let re = answers.resourceRegex.get(pattern);
  if (!re) answers.resourceRegex.set(pattern, (re = globToRegExp(pattern)));
  return re.test(arn);
}

// Identities that share a policy share its action list: answer each (list, action) once, and
// look only at the list's patterns for the action's service (a managed policy lists thousands).
function patternsFor(list: string[], action: string): string[] {
  let index = answers.byService.get(list);
  if (!index) {
    answers.byService.set(list, (index = new Map()));
    for (const p of list) {
      const colon = p.indexOf(':');
      // A pattern whose service part has a wildcard (`*`, `s3*:Get*`) is tried for every service.
      const service = colon < 0 || /[*?]/.test(p.slice(0, colon)) ? '*' : p.slice(0, colon).toLowerCase();
      const bucket = index.get(service);
      if (bucket) bucket.push(p);
      else index.set(service, [p]);
    }
  }
  const service = action.slice(0, action.indexOf(':')).toLowerCase();
  const own = index.get(service) ?? [];
  const any = index.get('*');
  return any ? [...own, ...any] : own;
}

function grantCovers(e: Entitlement, action: string): boolean {
  let known = answers.coverage.get(e.permissions);
  if (!known) answers.coverage.set(e.permissions, (known = new Map()));
  const key = e.notPermissions ? `${action}\u0000${e.notPermissions.join(',')}` : action;
  const cached = known.get(key);
  if (cached !== undefined) return cached;
  const excluded = (e.notPermissions ?? []).some((p) => actionMatches(p, action));
  const covers = patternsFor(e.permissions, action).some((p) => actionMatches(p, action) && (!excluded || p.toLowerCase() === action.toLowerCase()));
  known.set(key, covers);
  return covers;
}

const resources = (e: Entitlement) => e.resource.split(', ');

// Which of a principal's grants name an action, worked out once per (principal, action): managed
// policies list thousands of actions, and each principal is asked about the same few actions for
// every role it might become.
function grantsCovering(identity: Identity, action: string): Entitlement[] {
  let byAction = answers.covering.get(identity);
  if (!byAction) answers.covering.set(identity, (byAction = new Map()));
  let list = byAction.get(action);
  if (!list) byAction.set(action, (list = identity.entitlements.filter((e) => e.ineffective === undefined && grantCovers(e, action))));
  return list;
}

/** The analysed summary is after boundary and Deny statements: a service it leaves out is gone. */
function serviceLeft(identity: Identity, action: string): boolean {
  const services = (identity.attributes.effectivePermissions as { services?: Record<string, string> } | undefined)?.services;
  return !services || '*' in services || action.slice(0, action.indexOf(':')) in services;
}

/** Some grant of the principal could allow the action: worth checking against each role. */
const mayCall = (identity: Identity, action: string) => serviceLeft(identity, action) && grantsCovering(identity, action).some(effective);

/** The grant that allows `action` on `arn` for this principal, unless a Deny or its boundary takes it away. */
export function allowingGrant(identity: Identity, action: string, arn: string, usable?: (e: Entitlement) => boolean): Entitlement | undefined {
  if (!serviceLeft(identity, action)) return undefined;
  let allow: Entitlement | undefined;
  for (const e of grantsCovering(identity, action)) {
    if (!resources(e).some((r) => resourceMatches(r, arn))) continue;
    if (e.effect === 'deny' && !e.condition) return undefined;
    if (e.effect !== 'deny' && (!usable || usable(e))) allow ??= e;
  }
  return allow;
}

/**
 * Which principals of a list hold an allowing grant for `action` whose resource could name a
 * given ARN: exact ARNs looked up, each distinct pattern tested once per ARN. It only narrows
 * the list — `allowingGrant` still decides — so a role is checked against the few principals
 * that name it, not against every principal of its account.
 */
class GrantIndex {
  private readonly position = new Map<Identity, number>();
  private readonly exact = new Map<string, Identity[]>();
  private readonly patterns = new Map<string, Identity[]>();

  /** `usable`: grants that could allow the call here at all (PassRole's iam:PassedToService naming this service). */
  constructor(principals: readonly Identity[], action: string, usable: (e: Entitlement, principal: Identity) => boolean = () => true) {
    principals.forEach((p, i) => {
      this.position.set(p, i);
      for (const e of grantsCovering(p, action)) {
        if (e.effect === 'deny' || !usable(e, p)) continue;
        for (const r of resources(e)) {
          const into = /[*?$]/.test(r) ? this.patterns : this.exact;
          const list = into.get(r);
          if (!list) into.set(r, [p]);
          else if (list[list.length - 1] !== p) list.push(p);
        }
      }
    });
  }

  /** The candidates for `arn`, in the order of the list the index was built from. */
  candidates(arn: string): Identity[] {
    const found = new Set<Identity>(this.exact.get(arn));
    for (const [pattern, holders] of this.patterns) if (resourceMatches(pattern, arn)) for (const h of holders) found.add(h);
    return [...found].sort((a, b) => this.position.get(a)! - this.position.get(b)!);
  }
}

/** The grant's IAM condition, when it has one (not the NotAction note an entitlement may carry). */
function grantCondition(e: Entitlement): string | undefined {
  return e.condition?.includes('"Condition"') ? `grant condition ${e.condition}` : undefined;
}

const arnAccount = (arn: string) => arn.split(':')[4];

/** `arn:aws:sts::A:assumed-role/R/session` names role R of account A. */
function roleArnOf(principal: string): string {
  const m = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(principal);
  return m ? `arn:aws:iam::${m[1]}:role/${m[2]}` : principal;
}

function gateOf(t: Trust): string | undefined {
  if (t.gates?.includes('mfa')) return 'MFA';
  if (t.gates?.includes('external-id')) return 'an external id';
  return undefined;
}

/** sts:AssumeRole on every resource, unconditioned: such a principal becomes every role that
 * trusts its account, which one hub node says once instead of an edge per (principal, role). */
function wildcardGrant(identity: Identity): Entitlement | undefined {
  return allowingGrant(identity, 'sts:AssumeRole', '*', (e) => !grantCondition(e) && resources(e).includes('*'));
}

/** Grants of sts:AssumeRole on every resource under a condition (MFA, a source IP), for a
 * principal no Deny limits: each condition goes through a hub of its own, said there. Its other
 * grants (a named role, a pattern) still make their own, unconditioned hops. */
function conditionedWildcards(identity: Identity): Entitlement[] {
  const covering = grantsCovering(identity, 'sts:AssumeRole');
  if (covering.some((e) => e.effect === 'deny')) return [];
  return covering.filter((e) => grantCondition(e) && resources(e).includes('*') && allowingGrant(identity, 'sts:AssumeRole', '*', (x) => x === e));
}

/** The hubs for an account's wildcard assumers — one unconditioned, one per grant condition —
 * made with their edges; empty when it has none. */
function anyRoleHubs(g: GraphBuilder, account: string, assumers: Identity[], hubbed: HubbedGrants): string[] {
  const hubs: string[] = [];
  const hop = (source: Identity, grant: Entitlement, condition: string | undefined) => {
    const id = condition ? `aws:${account}:any-role:${createHash('sha256').update(condition).digest('hex').slice(0, 12)}` : `aws:${account}:any-role`;
    if (!g.nodes.has(id)) hubs.push(id);
    g.node(id, 'aws', 'principal', `any role that trusts account ${account}${condition ? `, under the ${condition}` : ''}`);
    g.edge({
      from: source.id,
      to: id,
      kind: 'assume-role',
      evidence: `${source.name} may call sts:AssumeRole on every role (${grant.via.type} ${grant.via.name})`,
      rootKey: grantRootKey(source, grant),
      ...(condition && { condition }),
    });
  };
  for (const source of assumers) {
    const open = wildcardGrant(source);
    if (open) {
      hubbed.add(source, open, true);
      hop(source, open, undefined);
      continue;
    }
    // One hop per condition, through the first grant that states it.
    const conditions = new Set<string>();
    for (const grant of conditionedWildcards(source)) {
      hubbed.add(source, grant);
      const condition = grantCondition(grant)!;
      if (conditions.has(condition)) continue;
      conditions.add(condition);
      hop(source, grant, condition);
    }
  }
  return hubs;
}

/** The AssumeRole grants a hub stands for, per principal; a principal whose unconditioned
 * wildcard grant put it behind the account's any-role hub needs no hop of its own at all. */
class HubbedGrants {
  private readonly grants = new Map<Identity, Set<Entitlement>>();
  private readonly everything = new Set<Identity>();

  add(principal: Identity, grant: Entitlement, everyRole = false): void {
    if (everyRole) this.everything.add(principal);
    const set = this.grants.get(principal);
    if (set) set.add(grant);
    else this.grants.set(principal, new Set([grant]));
  }

  behindEveryRole(principal: Identity): boolean {
    return this.everything.has(principal);
  }

  has(principal: Identity, grant: Entitlement): boolean {
    return this.grants.get(principal)?.has(grant) ?? false;
  }
}

/**
 * Unconditioned grants of sts:AssumeRole on one ARN pattern (`arn:aws:iam::A:role/team-*`) held
 * by principals no Deny limits: every holder of a pattern becomes every role it matches that
 * trusts the account, which one hub per pattern says with holders + roles edges, not holders ×
 * roles. Patterns held by one principal stay per-pair edges.
 */
function patternAssumeHubs(g: GraphBuilder, account: string, assumers: Identity[], hubbed: HubbedGrants): Array<{ id: string; pattern: string }> {
  const byPattern = new Map<string, Array<{ source: Identity; grant: Entitlement }>>();
  for (const source of assumers) {
    const covering = grantsCovering(source, 'sts:AssumeRole');
    if (covering.some((e) => e.effect === 'deny')) continue;
    for (const grant of covering) {
      const list = resources(grant);
      if (grantCondition(grant) || list.length !== 1 || list[0] === '*' || !/[*?]/.test(list[0]) || /\$/.test(list[0])) continue;
      if (!allowingGrant(source, 'sts:AssumeRole', list[0], (e) => e === grant)) continue;
      const holders = byPattern.get(list[0]) ?? [];
      if (holders[holders.length - 1]?.source !== source) holders.push({ source, grant });
      byPattern.set(list[0], holders);
    }
  }
  const hubs: Array<{ id: string; pattern: string }> = [];
  for (const [pattern, holders] of byPattern) {
    if (holders.length < 2) continue;
    const id = g.node(`aws:${account}:assumable:${pattern}`, 'aws', 'principal', `any role matching ${pattern} that trusts account ${account}`);
    hubs.push({ id, pattern });
    for (const { source, grant } of holders) {
      hubbed.add(source, grant);
      g.edge({
        from: source.id,
        to: id,
        kind: 'assume-role',
        evidence: `${source.name} may call sts:AssumeRole on ${pattern} (${grant.via.type} ${grant.via.name})`,
        rootKey: grantRootKey(source, grant),
      });
    }
  }
  return hubs;
}

/** A PassRole grant whose iam:PassedToService condition, if any, names this service. */
const passableTo = (e: Entitlement, service: string) => !e.condition?.includes('iam:PassedToService') || e.condition.includes(service);

/** iam:PassRole on `arn`, unless its iam:PassedToService condition names another service. */
function passGrant(identity: Identity, arn: string, service: string): Entitlement | undefined {
  // The first grant may be one for another service (AmazonDynamoDBFullAccess passes roles to
  // DAX only) while a later one passes any role anywhere: each grant is judged for this service.
  return allowingGrant(identity, 'iam:PassRole', arn, (e) => passableTo(e, service));
}

const launcher = (identity: Identity, service: string) => LAUNCHERS[service]?.find((a) => grantsCovering(identity, a).some(effective));

/** PassRole on every role of the account (and a way to start the service): one hub per service.
 * Asked for every role that trusts the service, so answered once per (principal, service). */
function wildcardPass(identity: Identity, account: string, service: string): Entitlement | undefined {
  let known = answers.wildcardPasses.get(identity);
  if (!known) answers.wildcardPasses.set(identity, (known = new Map()));
  const key = `${account}|${service}`;
  let answer = known.get(key);
  if (answer === undefined) {
    const pass = passGrant(identity, `arn:aws:iam::${account}:role/\u0002any`, service);
    known.set(key, (answer = pass && launcher(identity, service) ? pass : null));
  }
  return answer ?? undefined;
}

const passHubs = new WeakMap<GraphBuilder, Map<string, string | undefined>>();
function passHub(g: GraphBuilder, account: string, service: string, passers: Identity[]): string | undefined {
  let hubs = passHubs.get(g);
  if (!hubs) passHubs.set(g, (hubs = new Map()));
  const key = `${account}|${service}`;
  if (hubs.has(key)) return hubs.get(key);
  const id = `aws:${account}:passable-to:${service}`;
  let made: string | undefined;
  for (const source of passers) {
    if (source.container.id !== account) continue;
    const pass = wildcardPass(source, account, service);
    if (!pass) continue;
    made ??= g.node(id, 'aws', 'principal', `any role of ${account} that trusts ${service}`);
    g.edge({
      from: source.id,
      to: id,
      kind: 'pass-role',
      evidence: `${source.name} may pass any role to ${service} (iam:PassRole, ${pass.via.type} ${pass.via.name}) and start it (${launcher(source, service)})`,
      rootKey: grantRootKey(source, pass),
    });
  }
  hubs.set(key, made);
  return made;
}

export function awsEdges(g: GraphBuilder, github: GithubEstate): void {
  try {
    buildAwsEdges(g, github);
  } finally {
    answers = newAnswers();
  }
}

function buildAwsEdges(g: GraphBuilder, github: GithubEstate): void {
  const byArn = new Map<string, Identity>();
  const byUniqueId = new Map<string, Identity>();
  const byAccount = new Map<string, Principal[]>();
  for (const i of g.identities.values()) {
    if (i.provider !== 'aws' || typeof i.attributes.arn !== 'string') continue;
    byArn.set(i.attributes.arn, i);
    for (const key of ['roleId', 'userId']) if (typeof i.attributes[key] === 'string') byUniqueId.set(i.attributes[key] as string, i);
    if (i.enabled === false || i.kind === 'root') continue;
    const list = byAccount.get(i.container.id) ?? [];
    list.push({ identity: i, account: i.container.id });
    byAccount.set(i.container.id, list);
  }
  // Only principals with some sts:AssumeRole / iam:PassRole grant are worth checking per role.
  const assumers = new Map<string, Identity[]>();
  const passers: Identity[] = [];
  for (const [account, list] of byAccount) {
    assumers.set(account, list.map((p) => p.identity).filter((i) => mayCall(i, 'sts:AssumeRole')));
    passers.push(...list.map((p) => p.identity).filter((i) => mayCall(i, 'iam:PassRole')));
  }
  const hubbed = new HubbedGrants();
  const hubsOf = new Map([...assumers].map(([account, list]) => [account, anyRoleHubs(g, account, list, hubbed)]));
  const patternHubs = new Map([...assumers].map(([account, list]) => [account, patternAssumeHubs(g, account, list.filter((i) => !hubbed.behindEveryRole(i)), hubbed)]));
  // The grants no hub stands for make the per-role hops.
  const own = (e: Entitlement, p: Identity) => !hubbed.has(p, e);
  const assumeIndex = new Map([...assumers].map(([account, list]) => [account, new GrantIndex(list.filter((i) => !hubbed.behindEveryRole(i)), 'sts:AssumeRole', own)]));
  const passIndex = new Map<string, GrantIndex>();
  // Per account and service: the passers that can start the service and are not already behind
  // its hub (PassRole on every role), so a role is checked only against those that name it.
  const passersOf = (account: string, service: string) => {
    const key = `${account}|${service}`;
    let index = passIndex.get(key);
    if (!index) {
      const eligible = passers.filter((p) => p.container.id === account && launcher(p, service) && !wildcardPass(p, account, service));
      passIndex.set(key, (index = new GrantIndex(eligible, 'iam:PassRole', (e) => passableTo(e, service))));
    }
    return index;
  };

  for (const role of g.identities.values()) {
    if (role.provider !== 'aws' || role.kind !== 'iam-role' || typeof role.attributes.arn !== 'string') continue;
    const arn = role.attributes.arn;
    const account = role.container.id;
    for (const t of role.trustedBy) {
      const gated = gateOf(t);
      const evidence = `${role.name}'s trust policy ${t.via} names ${t.principal}`;
      const common = { to: role.id, gated, condition: gated ? `requires ${gated}` : undefined };
      if (t.kind === 'role' || t.kind === 'user') {
        const source = byArn.get(roleArnOf(t.principal)) ?? byUniqueId.get(t.principal);
        if (!source || source.enabled === false) continue;
        // Across accounts the caller's own policies must allow the call too.
        const grant = arnAccount(source.attributes.arn as string) === account ? undefined : allowingGrant(source, 'sts:AssumeRole', arn);
        if (arnAccount(source.attributes.arn as string) !== account && !grant) continue;
        g.edge({ ...common, from: source.id, kind: 'assume-role', evidence, ...(grant && { rootKey: grantRootKey(source, grant) }) });
      } else if (t.kind === 'account' || t.kind === 'any') {
        const accounts = t.kind === 'any' ? [...assumers.keys()] : [/^\d{12}$/.test(t.principal) ? t.principal : arnAccount(t.principal)];
        for (const a of accounts) {
          if (!a) continue;
          for (const hub of hubsOf.get(a) ?? []) g.edge({ ...common, from: hub, kind: 'assume-role', evidence });
          for (const p of patternHubs.get(a) ?? []) if (resourceMatches(p.pattern, arn)) g.edge({ ...common, from: p.id, kind: 'assume-role', evidence });
          for (const source of assumeIndex.get(a)?.candidates(arn) ?? []) {
            // An unconditioned grant, when the principal has one, says the hop is open.
            const mine = (e: Entitlement) => own(e, source);
            const grant =
              allowingGrant(source, 'sts:AssumeRole', arn, (e) => mine(e) && !grantCondition(e)) ?? allowingGrant(source, 'sts:AssumeRole', arn, mine);
            if (!grant) continue;
            g.edge({
              ...common,
              from: source.id,
              kind: 'assume-role',
              evidence: `${evidence}; ${source.name} may call sts:AssumeRole on it (${grant.via.type} ${grant.via.name})`,
              rootKey: grantRootKey(source, grant),
              condition: [common.condition, grantCondition(grant)].filter(Boolean).join('; ') || undefined,
            });
          }
        }
      } else if (t.kind === 'service') {
        const service = g.node(`aws:service:${t.principal}`, 'aws', 'principal', t.principal);
        g.edge({ ...common, from: service, kind: 'service-trust', evidence });
        const launch = LAUNCHERS[t.principal];
        if (!launch) continue;
        const hub = passHub(g, account, t.principal, passers);
        if (hub) g.edge({ ...common, from: hub, kind: 'pass-role', evidence });
        for (const source of passersOf(account, t.principal).candidates(arn)) {
          const pass = passGrant(source, arn, t.principal);
          const start = pass && launcher(source, t.principal);
          if (!pass || !start) continue;
          g.edge({
            ...common,
            from: source.id,
            kind: 'pass-role',
            evidence: `${source.name} may pass ${role.name} to ${t.principal} (iam:PassRole, ${pass.via.type} ${pass.via.name}) and start it (${start}); ${evidence}`,
            rootKey: grantRootKey(source, pass),
          });
        }
      } else if (t.kind === 'federated' && t.protocol !== 'saml' && isGithubIssuer(t.principal)) {
        const pattern = t.subject;
        const kind = 'oidc-trust';
        const text = pattern ? `${evidence} for subject ${pattern}` : `${evidence} for every subject`;
        oidcTrustEdges(g, github, role.id, kind, text, (org, repo) => subjectVerdict(pattern ?? '*', org, repo), !pattern || pattern === '*', { subject: pattern });
      }
    }
  }
}
