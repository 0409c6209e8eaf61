import type { Identity, Trust } from '../../model/inventory.js';
import { evaluate, UNKNOWN, type FederationSummary } from './gcp.js';
import type { GraphBuilder } from './graph.js';

// Workload identity pools whose provider trusts an AWS account: a role of that account (or a user)
// signs a GetCallerIdentity request, Google reads the caller's ARN as `assertion.arn`
// (`arn:aws:sts::<account>:assumed-role/<role>/<session>` for a role), maps it to attributes, and
// lets in whoever the binding names: the whole pool, `attribute.aws_role/<role ARN>`, or
// `subject/<ARN>`. The session name is the caller's to choose, so a value that depends on it is
// matched by any session, said as a condition.

/** Stands for the session name a role's caller picks when it assumes the role. */
const SESSION = '\u0002session';

/** GCP's mapping for AWS providers when none is given. */
const DEFAULT_MAPPING: Record<string, string> = {
  'google.subject': 'assertion.arn',
  'attribute.aws_role':
    "assertion.arn.contains('assumed-role') ? assertion.arn.extract('{account_arn}assumed-role/') + 'assumed-role/' + assertion.arn.extract('assumed-role/{role_name}/') : assertion.arn",
};

/** The ARN an AWS identity's GetCallerIdentity answers with. */
function callerArn(identity: Identity): string | undefined {
  const arn = identity.attributes.arn;
  if (typeof arn !== 'string') return undefined;
  if (identity.kind === 'iam-role') return `arn:aws:sts::${identity.container.id}:assumed-role/${arn.slice(arn.lastIndexOf('/') + 1)}/${SESSION}`;
  return identity.kind === 'iam-user' ? arn : undefined;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a mapped value (with the session left open) can equal `want`, and whether it took a chosen session to. */
function valueMatches(value: unknown, want: string): 'yes' | 'session' | 'no' {
  const text = String(value);
  if (!text.includes(SESSION)) return text === want ? 'yes' : 'no';
  const re = new RegExp(`^${text.split(SESSION).map(escape).join('[^/]+')}$`);
  return re.test(want) ? 'session' : 'no';
}

/** true, false, or the condition under which this AWS caller gets in through the provider. */
export function awsProviderAdmits(p: FederationSummary, subject: string | undefined, source: Identity): boolean | string {
  const arn = callerArn(source);
  if (!arn || source.container.id !== p.awsAccountId) return false;
  const assertion: Record<string, string> = { arn, account: source.container.id };
  if (typeof source.attributes.roleId === 'string') assertion.userid = `${source.attributes.roleId}:${SESSION}`;
  else if (typeof source.attributes.userId === 'string') assertion.userid = source.attributes.userId;
  const mapping = Object.keys(p.attributeMapping).length > 0 ? p.attributeMapping : DEFAULT_MAPPING;
  const attribute: Record<string, unknown> = {};
  let google: unknown;
  for (const [key, expr] of Object.entries(mapping)) {
    const value = evaluate(expr, { assertion });
    if (value === UNKNOWN) continue;
    if (key === 'google.subject') google = value;
    else if (key.startsWith('attribute.')) attribute[key.slice('attribute.'.length)] = value;
  }
  const open: string[] = [];
  const pinned = (value: unknown, want: string, what: string): boolean => {
    const m = value === undefined ? 'unknown' : valueMatches(value, want);
    if (m === 'no') return false;
    if (m === 'session') open.push(`with a session name of its choosing that makes ${what} ${want}`);
    if (m === 'unknown') open.push(`${what} must be ${want}`);
    return true;
  };
  if (subject?.startsWith('attribute.')) {
    const eq = subject.indexOf('=');
    const name = subject.slice('attribute.'.length, eq);
    if (!pinned(attribute[name], subject.slice(eq + 1), `attribute ${name}`)) return false;
  } else if (subject !== undefined && !subject.includes('=')) {
    if (!pinned(google, subject, 'google.subject')) return false;
  } else if (subject !== undefined) {
    return false; // group= and other attributes an AWS caller does not carry.
  }
  if (p.attributeCondition) {
    // The session stays open: a condition on it depends on what the caller picks.
    const verdict = evaluate(p.attributeCondition, { assertion, attribute });
    if (verdict === false) return false;
    if (verdict !== true) open.push(`attribute condition ${p.attributeCondition}`);
  }
  return open.length ? open.join('; ') : true;
}

/** Edges from the scanned AWS roles and users a pool's AWS providers let in to the service account. */
export function awsPoolEdges(g: GraphBuilder, target: Identity, t: Trust, evidence: string, condition: string | undefined): void {
  const poolId = t.principal.slice(t.principal.lastIndexOf('/') + 1);
  const providers = ((target.attributes.workloadIdentityProviders ?? []) as FederationSummary[]).filter(
    (p) => !p.disabled && p.awsAccountId && p.pool.endsWith(`/workloadIdentityPools/${poolId}`),
  );
  if (providers.length === 0) return;
  for (const source of g.identities.values()) {
    if (source.provider !== 'aws' || source.enabled === false) continue;
    for (const p of providers) {
      const verdict = awsProviderAdmits(p, t.subject, source);
      if (verdict === false) continue;
      const text = `${evidence}${t.subject ? ` for ${t.subject}` : ' for the whole pool'}, through provider ${p.provider.slice(p.provider.lastIndexOf('/') + 1)} (AWS account ${p.awsAccountId})`;
      g.edge({
        from: source.id,
        to: target.id,
        kind: 'workload-identity',
        evidence: text,
        condition: [condition, typeof verdict === 'string' ? verdict : undefined].filter(Boolean).join('; ') || undefined,
      });
      break;
    }
  }
}
