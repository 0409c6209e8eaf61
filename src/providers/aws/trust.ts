import type { Trust } from '../../model/inventory.js';
import { dropUndefined } from './context.js';
import { coversAction } from './permissions.js';
import type { PolicyCondition, PolicyDocument, PolicyPrincipal, PolicyStatement } from './wire.js';

// Who can become a role: the Allow statements of its trust policy (AssumeRolePolicyDocument)
// that grant an sts:AssumeRole* action. Deny statements only narrow these and are left to the
// later effective-permission analysis.

const ASSUME_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML'];

/** The account id inside an IAM/STS ARN (arn:aws:iam::123456789012:role/x), if any. */
function arnAccount(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts[0] === 'arn' && /^\d{12}$/.test(parts[4] ?? '') ? parts[4] : undefined;
}

function awsPrincipal(principal: string, account: string): Pick<Trust, 'principal' | 'kind' | 'external'> {
  if (principal === '*') return { principal, kind: 'any', external: true };
  if (/^\d{12}$/.test(principal)) return { principal, kind: 'account', external: principal !== account };
  const owner = arnAccount(principal);
  const external = owner === undefined ? undefined : owner !== account;
  const resource = principal.split(':').slice(5).join(':');
  if (resource === 'root') return { principal, kind: 'account', external };
  if (resource.startsWith('role/') || resource.startsWith('assumed-role/')) return { principal, kind: 'role', external };
  if (resource.startsWith('user/') || resource.startsWith('federated-user/')) return { principal, kind: 'user', external };
  // A unique id (AROA…, AIDA…) stands where IAM replaced a since-deleted principal's ARN.
  if (principal.startsWith('AROA')) return { principal, kind: 'role' };
  if (principal.startsWith('AIDA')) return { principal, kind: 'user' };
  return { principal, kind: 'account', external };
}

/** The OIDC issuer as condition keys name it: "token.actions.githubusercontent.com" for
 * arn:aws:iam::…:oidc-provider/token.actions.githubusercontent.com; built-in issuers
 * (accounts.google.com, cognito-identity.amazonaws.com) are written bare. */
function issuerOf(federated: string): string {
  const marker = federated.indexOf(':oidc-provider/');
  return marker >= 0 ? federated.slice(marker + ':oidc-provider/'.length) : federated;
}

/** Subject patterns a federated trust is pinned to: values of `<issuer>:sub` in string conditions. */
function subjects(condition: PolicyCondition | undefined, issuer: string): string[] {
  const key = `${issuer}:sub`.toLowerCase();
  const found: string[] = [];
  for (const [operator, block] of Object.entries(condition ?? {})) {
    if (!/^(For(AllValues|AnyValue):)?String(Equals|Like)/.test(operator)) continue;
    for (const [k, v] of Object.entries(block)) {
      if (k.toLowerCase() === key) found.push(...(Array.isArray(v) ? v : [v]).map(String));
    }
  }
  return found;
}

/** Values a condition requires of a key under a string, boolean or numeric operator; IfExists
 * operators pass when the key is absent, so they require nothing. */
function required(condition: PolicyCondition | undefined, key: string, operators: RegExp): string[] {
  const found: string[] = [];
  for (const [operator, block] of Object.entries(condition ?? {})) {
    if (operator.endsWith('IfExists') || !operators.test(operator.replace(/^For(AllValues|AnyValue):/, ''))) continue;
    for (const [k, v] of Object.entries(block)) if (k.toLowerCase() === key) found.push(...[v].flat().map(String));
  }
  return found;
}

/** What a trust statement's condition demands of the caller. */
export function trustGates(condition: PolicyCondition | undefined): NonNullable<Trust['gates']> {
  const gates: NonNullable<Trust['gates']> = [];
  if (required(condition, 'aws:multifactorauthpresent', /^Bool$/).includes('true') || required(condition, 'aws:multifactorauthage', /^Numeric/).length) {
    gates.push('mfa');
  }
  if (required(condition, 'sts:externalid', /^String(Equals|Like)/).length) gates.push('external-id');
  if (['aws:sourceaccount', 'aws:sourcearn', 'aws:sourceowner'].some((k) => required(condition, k, /^(String|Arn)(Equals|Like)/).length)) {
    gates.push('source');
  }
  if (['aws:principalorgid', 'aws:principalorgpaths'].some((k) => required(condition, k, /^String(Equals|Like)/).length)) {
    gates.push('organization');
  }
  return gates;
}

const SAML_PROVIDER = /:saml-provider\//;

function principalTrusts(p: PolicyPrincipal, s: PolicyStatement, account: string, via: string): Trust[] {
  const condition = s.Condition ? JSON.stringify(s.Condition) : undefined;
  const gates = trustGates(s.Condition);
  const withCommon = (t: Omit<Trust, 'via' | 'condition'>): Trust =>
    dropUndefined({ ...t, via, condition, gates: gates.length ? gates : undefined });
  if (p === '*') return [withCommon({ principal: '*', kind: 'any', external: true })];
  const trusts: Trust[] = [];
  for (const [type, values] of Object.entries(p)) {
    for (const value of values) {
      if (type === 'AWS') trusts.push(withCommon(awsPrincipal(value, account)));
      else if (type === 'Service') trusts.push(withCommon({ principal: value, kind: 'service' }));
      else if (type === 'Federated' && SAML_PROVIDER.test(value)) {
        // SAML assertions carry no subject to pin; the trust is judged by the audience it requires.
        const audience = required(s.Condition, 'saml:aud', /^String(Equals|Like)/)[0];
        trusts.push(withCommon({ principal: value, kind: 'federated', protocol: 'saml', audience }));
      } else if (type === 'Federated') {
        const audience = required(s.Condition, `${issuerOf(value)}:aud`.toLowerCase(), /^String(Equals|Like)/)[0];
        const oidc = { protocol: 'oidc' as const, audience };
        const pinned = subjects(s.Condition, issuerOf(value));
        if (pinned.length === 0) trusts.push(withCommon({ principal: value, kind: 'federated', ...oidc }));
        for (const subject of pinned) trusts.push(withCommon({ principal: value, kind: 'federated', subject, ...oidc }));
      } else {
        // CanonicalUser and any future principal type: an account-level principal we cannot place.
        trusts.push(withCommon({ principal: value, kind: 'account' }));
      }
    }
  }
  return trusts;
}

/** One trust list per distinct trust document of an account: most roles hold one of a few
 * documents (every Lambda role trusts lambda.amazonaws.com), and at 100,000 roles a list of
 * their own each held about 30 MiB. The lists and their trusts are frozen, being shared; rules
 * that read only the trust then also answer once for all its holders. */
export function trustsByDocument(account: string): (doc: PolicyDocument) => Trust[] {
  const known = new Map<string, Trust[]>();
  return (doc) => {
    const key = JSON.stringify(doc);
    let trusts = known.get(key);
    if (!trusts) known.set(key, (trusts = Object.freeze(trustFromDocument(doc, account).map((t) => Object.freeze(t))) as Trust[]));
    return trusts;
  };
}

export function trustFromDocument(doc: PolicyDocument, account: string): Trust[] {
  return doc.Statement.flatMap((s, i) => {
    if (s.Effect !== 'Allow') return [];
    const reach = { actions: s.Action, notActions: s.Action ? undefined : s.NotAction, anyResource: true };
    if (!ASSUME_ACTIONS.some((a) => coversAction(reach, a))) return [];
    const via = `AssumeRolePolicyDocument.Statement[${i}]${s.Sid ? ` (${s.Sid})` : ''}`;
    // Allow with NotPrincipal trusts everyone but the listed principals.
    if (s.NotPrincipal) return principalTrusts('*', s, account, via);
    return s.Principal ? principalTrusts(s.Principal, s, account, via) : [];
  });
}
