import type { AccessLevel, Risk } from '../../model/inventory.js';
import type { PolicyCondition } from './wire.js';
import { ActionSet } from './analysis/action-set.js';
import { actionId, actionSetOf, actionsAtLevel, catalogue, globRegex } from './analysis/catalogue.js';
import { escalationActions, standaloneEscalationActions } from './analysis/escalation-methods.js';
import { ADMIN_EQUIVALENT_ACTIONS, RISKY_ACTIONS } from './risky-actions.js';

// How powerful a set of IAM actions is, and why it is dangerous (Cloudsplaining's impact
// categories). Levels and most risks come from the IAM action catalogue, so they cover every
// action AWS has, including ones added after this file was written:
//   - read: every action is at the catalogue's List or Read access level;
//   - admin: on every resource, it includes one of the actions with which a principal grants
//     itself anything (below);
//   - privilege-escalation: "Permissions management" actions of the identity services (IAM, IAM
//     Identity Center, Organizations), IAM actions that mint another user's credentials or change
//     group membership, iam:PassRole, sts:AssumeRole on every role, and the key action of each
//     escalation method that runs code in compute which already holds a role (escalation-methods.ts);
//   - resource-exposure: "Permissions management" actions of every other service (resource
//     policies, ACLs, grants, snapshot sharing), and new identity providers in IAM;
//   - credential-exposure: actions that return or mint secrets, keys, passwords and tokens;
//   - data-exfiltration: Read actions that return stored data rather than metadata;
//   - infrastructure-modification: Write actions that create, change or destroy resources.
// A short hand list (risky-actions.ts) adds what the catalogue cannot say.
// Combinations spread over several statements (lambda:CreateFunction here, iam:PassRole there)
// are judged per principal by the escalation analysis, not here.

/** The access a statement gives, as the classifiers need it. */
export interface StatementReach {
  /** Action patterns; undefined when the statement is written with NotAction. */
  actions?: readonly string[];
  /** NotAction patterns: the statement covers every action except these. */
  notActions?: readonly string[];
  /** The statement applies to every resource: Resource "*" or a NotResource exclusion. */
  anyResource: boolean;
  /** The statement's Condition block, for the few conditions that make a write action read-only. */
  condition?: PolicyCondition;
}

export const RISK_ORDER: Risk[] = [
  'privilege-escalation',
  'resource-exposure',
  'data-exfiltration',
  'credential-exposure',
  'infrastructure-modification',
];

/** Services whose "Permissions management" actions decide who is whom and who may do what. */
const IDENTITY_SERVICES = new Set(['iam', 'sts', 'sso', 'sso-directory', 'identitystore', 'identity-sync', 'organizations']);
/** IAM writes that open the account to an outside identity provider. */
const IAM_FEDERATION = /^iam:(CreateOpenIDConnectProvider|CreateSAMLProvider|UpdateSAMLProvider|AddClientIDToOpenIDConnectProvider|UpdateOpenIDConnectProviderThumbprint)$/i;
/** Read or Write actions whose name says they return or mint a credential… */
const CREDENTIAL_NAME =
  /^(Get|Create|Reset|Rotate|Export|Request|Retrieve|Generate)\w*(Credentials?|Password|PasswordData|SecretValue|AccessKeys?|AuthorizationToken|AuthToken|AccessToken|SessionToken|FederationToken|BearerToken|ApiKey|APIKey|OpenIdToken\w*|Oauth2Token|OAuth2Token|TokenWithIAM|WorkloadAccessToken\w*|StreamKey)$/;
/** …but not policies, reports, metadata or public halves about them. */
const CREDENTIAL_NOT = /(Policy|Report|LastUsed|Provider|PublicKey|Metadata|ChangeToken|Status|Random)/;
/** Read actions that return stored data, not its description. */
const DATA_NAME =
  /^(Get(Object|ObjectVersion|Item|Records|QueryResults|LogEvents|SnapshotBlock|JobOutput|StatementResult|Media|Blob|File)|BatchGet(Item)?|Scan|Query|PartiQLSelect|Select\w*Content|FilterLogEvents|ReceiveMessage|Retrieve|Download(DBLogFilePortion|CompleteDBLogFile|DocumentVersion|Attachment))$/;
/** Verbs of actions that only read. The catalogue files a few dozen of these under Write or
 * Permissions management (glue:GetQuery, athena:GetSessionEndpoint); by their name and what AWS's
 * own ReadOnlyAccess grants, they read, so they do not make a grant 'write' or a resource-exposure. */
const READ_NAME = /^(Get|List|Describe|BatchGet|Search|Lookup|View|Query|Scan|Select)/;
/** Write verbs that create, change or destroy resources (data-plane writes such as PutObject,
 * SendMessage or Invoke are left out: they change data, not infrastructure). */
const INFRA_VERB =
  /^(Create|Delete|Update|Modify|Run|Start|Stop|Terminate|Reboot|Restore|Replace|Attach|Detach|Associate|Disassociate|Authorize|Revoke|Register|Deregister|Enable|Disable|Import|Deploy|Launch|Purge|Remove)/;

/** Catalogue corrections. s3express:CreateSession is filed as a Write "Create" action, but it
 * only opens a data-plane session on a directory bucket (no infrastructure changes), and with
 * s3express:SessionMode = ReadOnly — as AWS's own ReadOnlyAccess grants it — the session only reads. */
const NOT_INFRASTRUCTURE = new Set(['s3express:CreateSession']);
const READ_ONLY_WHEN: Array<{ action: string; key: string; value: string }> = [
  { action: 's3express:CreateSession', key: 's3express:sessionmode', value: 'ReadOnly' },
];

/** Actions a statement's condition confines to reading. */
export function readOnlyUnder(condition: PolicyCondition | undefined): string[] {
  if (!condition) return [];
  return READ_ONLY_WHEN.filter(({ key, value }) =>
    Object.entries(condition).some(
      ([operator, block]) =>
        /^String(Equals|Like)$/.test(operator) &&
        Object.entries(block).some(([k, v]) => k.toLowerCase() === key && [v].flat().every((x) => String(x) === value)),
    ),
  ).map((r) => r.action);
}

interface Classification {
  byRisk: Record<Risk, ActionSet>;
  /** Actions whose risk counts only on every resource. */
  anyResourceOnly: ActionSet;
  admin: ActionSet;
  /** Write, Tagging and Permissions management actions. */
  writes: ActionSet;
  /** The actions an identity's summary lists by name. */
  named: ActionSet;
}

let classification: Classification | undefined;

function classify(): Classification {
  if (classification) return classification;
  const cat = catalogue();
  const empty = () => ActionSet.empty(cat.size);
  const byRisk = Object.fromEntries(RISK_ORDER.map((r) => [r, empty()])) as Record<Risk, ActionSet>;
  const permissionsManagement = actionsAtLevel('Permissions management');
  const write = actionsAtLevel('Write');
  const readLike = actionsAtLevel('Read').clone().addAll(actionsAtLevel('List'));
  const writes = readLike.clone().invert(cat.size);
  for (let id = 0; id < cat.size; id++) {
    const full = cat.names[id];
    const service = cat.services[cat.serviceOf[id]].key;
    const name = full.slice(service.length + 1);
    const credential = !permissionsManagement.has(id) && CREDENTIAL_NAME.test(name) && !CREDENTIAL_NOT.test(name);
    const readNamed = READ_NAME.test(name) && !credential;
    if (readNamed) writes.delete(id);
    if (permissionsManagement.has(id) && !readNamed) {
      byRisk[IDENTITY_SERVICES.has(service) ? 'privilege-escalation' : 'resource-exposure'].add(id);
    }
    if (IAM_FEDERATION.test(full)) byRisk['resource-exposure'].add(id);
    if (credential) byRisk['credential-exposure'].add(id);
    if (readLike.has(id) && DATA_NAME.test(name)) byRisk['data-exfiltration'].add(id);
    if (write.has(id) && !credential && !IDENTITY_SERVICES.has(service) && INFRA_VERB.test(name) && !NOT_INFRASTRUCTURE.has(full)) {
      byRisk['infrastructure-modification'].add(id);
    }
  }
  const anyResourceOnly = empty();
  for (const entry of RISKY_ACTIONS) {
    const id = actionId(entry.action);
    if (id === undefined) continue;
    entry.risks.forEach((r) => byRisk[r].add(id));
    if (entry.onlyOnAnyResource) anyResourceOnly.add(id);
  }
  for (const action of standaloneEscalationActions()) {
    const id = actionId(action);
    if (id !== undefined) byRisk['privilege-escalation'].add(id);
  }
  const named = ActionSet.of(
    cat.size,
    [...RISKY_ACTIONS.map((e) => e.action), ...escalationActions()].map(actionId).filter((id): id is number => id !== undefined),
  );
  classification = {
    byRisk,
    anyResourceOnly,
    admin: actionSetOf(ADMIN_EQUIVALENT_ACTIONS).set,
    writes,
    named,
  };
  return classification;
}

/** Every catalogued action carrying a risk. */
export function actionsWithRisk(risk: Risk): ActionSet {
  return classify().byRisk[risk];
}

/** The admin-equivalent actions as a set. */
export function adminEquivalentActions(): ActionSet {
  return classify().admin;
}

/** The risky and escalation-relevant actions an identity's summary names one by one. */
export function namedRiskyActions(): ActionSet {
  return classify().named;
}

/** The risks of one action by id. */
export function risksOfAction(id: number, anyResource = true): Risk[] {
  const c = classify();
  if (!anyResource && c.anyResourceOnly.has(id)) return [];
  return RISK_ORDER.filter((r) => c.byRisk[r].has(id));
}

// ── patterns the catalogue does not know ────────────────────────────────────────────────────

/** Verbs of actions that only read (AWS's "List" and "Read" access levels). */
const READ_VERBS = ['get', 'list', 'describe', 'batchget', 'query', 'scan', 'select', 'search', 'lookup', 'view'];

const patterns = new Map<string, RegExp>();

/** IAM action matching: case-insensitive, `*` any run of characters, `?` one character. */
export function actionMatches(pattern: string, action: string): boolean {
  let re = patterns.get(pattern);
  if (!re) {
    re = globRegex(pattern);
    patterns.set(pattern, re);
  }
  return re.test(action);
}

/** Whether the statement covers an action (Action lists it, or NotAction does not exclude it). */
export function coversAction(reach: StatementReach, action: string): boolean {
  if (reach.actions) return reach.actions.some((p) => actionMatches(p, action));
  return !(reach.notActions ?? []).some((p) => actionMatches(p, action));
}

/** A pattern nothing in the catalogue matches is judged by its verb. */
function isReadPattern(pattern: string): boolean {
  const name = pattern.toLowerCase().slice(pattern.indexOf(':') + 1);
  return READ_VERBS.some((verb) => name.startsWith(verb));
}

function unknownPatternRisks(pattern: string, anyResource: boolean): Risk[] {
  return RISKY_ACTIONS.filter((e) => (anyResource || !e.onlyOnAnyResource) && actionMatches(pattern, e.action)).flatMap(
    (e) => e.risks,
  );
}

// ── classifying a set of actions ────────────────────────────────────────────────────────────

export interface ActionsReach {
  actions: ActionSet;
  /** Patterns outside the catalogue, judged by name. */
  unknown?: readonly string[];
  anyResource: boolean;
  /** Write actions that a condition confines to reading (readOnlyUnder). */
  readOnly?: ActionSet;
}

/** admin when, on every resource, it includes an admin-equivalent action; read when every
 * action is at the List or Read level; else write. A set that is empty reads as 'read'. */
export function levelOfActions(reach: ActionsReach): AccessLevel {
  const c = classify();
  if (reach.anyResource && reach.actions.intersects(c.admin)) return 'admin';
  const writes = reach.readOnly ? reach.actions.clone().removeAll(reach.readOnly) : reach.actions;
  if (writes.intersects(c.writes)) return 'write';
  return (reach.unknown ?? []).every(isReadPattern) ? 'read' : 'write';
}

export function risksOfActions(reach: ActionsReach): Risk[] {
  const c = classify();
  let actions = reach.actions;
  if (!reach.anyResource && actions.intersects(c.anyResourceOnly)) actions = actions.clone().removeAll(c.anyResourceOnly);
  const found = new Set<Risk>(RISK_ORDER.filter((r) => actions.intersects(c.byRisk[r])));
  for (const p of reach.unknown ?? []) unknownPatternRisks(p, reach.anyResource).forEach((r) => found.add(r));
  return RISK_ORDER.filter((r) => found.has(r));
}

/** The catalogue actions a statement covers, and its patterns the catalogue does not know. */
export function reachActions(reach: StatementReach): ActionsReach {
  const readOnly = actionSetOf(readOnlyUnder(reach.condition)).set;
  if (reach.actions) {
    const { set, unknown } = actionSetOf(reach.actions);
    return { actions: set, unknown, anyResource: reach.anyResource, readOnly };
  }
  const excluded = actionSetOf(reach.notActions ?? []).set;
  return { actions: excluded.clone().invert(catalogue().size), anyResource: reach.anyResource, readOnly };
}

/** The level of one statement, before Deny statements and boundaries are taken into account. */
export function accessLevel(reach: StatementReach): AccessLevel {
  return levelOfActions(reachActions(reach));
}

/** The risks one statement carries, in a fixed order. */
export function risksOf(reach: StatementReach): Risk[] {
  return risksOfActions(reachActions(reach));
}

/** Risks of several grants together, in the same fixed order. */
export function unionRisks(...lists: Risk[][]): Risk[] {
  const all = new Set(lists.flat());
  return RISK_ORDER.filter((r) => all.has(r));
}

const LEVEL_ORDER: AccessLevel[] = ['read', 'write', 'admin'];

export function higherLevel(a: AccessLevel, b: AccessLevel): AccessLevel {
  return LEVEL_ORDER.indexOf(b) > LEVEL_ORDER.indexOf(a) ? b : a;
}
