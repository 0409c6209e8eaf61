import { describe, expect, it } from 'vitest';
import { trustFromDocument, trustsByDocument } from '../../../src/providers/aws/trust.js';
import type { PolicyStatement } from '../../../src/providers/aws/wire.js';

const ACCOUNT = '314159265358';
const trust = (...Statement: PolicyStatement[]) => trustFromDocument({ Statement }, ACCOUNT);

describe('trust policies', () => {
  it('reads what a condition demands: MFA, an external id, a source, the organisation; IfExists demands nothing', () => {
    const gated = (Condition: PolicyStatement['Condition']) =>
      trust({ Effect: 'Allow', Action: ['sts:AssumeRole'], Principal: { AWS: ['arn:aws:iam::210987654321:root'] }, Condition })[0].gates;
    expect(gated({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } })).toEqual(['mfa']);
    expect(gated({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } })).toEqual(['mfa']);
    expect(gated({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } })).toBeUndefined();
    expect(gated({ Bool: { 'aws:MultiFactorAuthPresent': 'false' } })).toBeUndefined();
    expect(gated({ StringEquals: { 'sts:ExternalId': 'x-1' } })).toEqual(['external-id']);
    expect(gated({ StringEquals: { 'aws:PrincipalOrgID': 'o-abc', 'aws:SourceAccount': '210987654321' } })).toEqual(['source', 'organization']);
    expect(gated(undefined)).toBeUndefined();
  });

  it('judges a SAML trust by its audience, never by a subject', () => {
    const provider = `arn:aws:iam::${ACCOUNT}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE`;
    const [sso] = trust({
      Effect: 'Allow',
      Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
      Principal: { Federated: [provider] },
      Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
    });
    expect(sso).toMatchObject({ kind: 'federated', protocol: 'saml', audience: 'https://signin.aws.amazon.com/saml' });
    expect(sso.subject).toBeUndefined();
    const [open] = trust({ Effect: 'Allow', Action: ['sts:AssumeRoleWithSAML'], Principal: { Federated: [provider] } });
    expect(open).toMatchObject({ protocol: 'saml' });
    expect(open.audience).toBeUndefined();
  });

  it('places AWS principals as account, role or user, inside or outside the account', () => {
    const trusts = trust({
      Effect: 'Allow',
      Action: ['sts:AssumeRole'],
      Principal: {
        AWS: [
          '123456789012',
          `arn:aws:iam::${ACCOUNT}:root`,
          `arn:aws:iam::${ACCOUNT}:role/platform-admin`,
          'arn:aws:iam::210987654321:user/contractor',
          'AROAQXZ5EXAMPLEDELETED',
        ],
      },
    });
    expect(trusts.map((t) => [t.kind, t.external])).toEqual([
      ['account', true],
      ['account', false],
      ['role', false],
      ['user', true],
      ['role', undefined],
    ]);
  });

  it('pins a federated principal to each sub pattern, and leaves it unpinned without one', () => {
    const issuer = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const pinned = trust({
      Effect: 'Allow',
      Action: ['sts:AssumeRoleWithWebIdentity'],
      Principal: { Federated: [issuer] },
      Condition: {
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:acme-corp/app:*', 'repo:acme-corp/infra:environment:prod'] },
      },
    });
    expect(pinned.map((t) => t.subject)).toEqual(['repo:acme-corp/app:*', 'repo:acme-corp/infra:environment:prod']);
    const eks = trust({
      Effect: 'Allow',
      Action: ['sts:AssumeRoleWithWebIdentity'],
      Principal: { Federated: [`arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`] },
      Condition: { StringEquals: { 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub': 'system:serviceaccount:agents:triage' } },
    });
    expect(eks[0].subject).toBe('system:serviceaccount:agents:triage');
    const google = trust({ Effect: 'Allow', Action: ['sts:AssumeRoleWithWebIdentity'], Principal: { Federated: ['accounts.google.com'] } });
    expect(google).toEqual([{ principal: 'accounts.google.com', kind: 'federated', protocol: 'oidc', via: 'AssumeRolePolicyDocument.Statement[0]' }]);
    expect(pinned[0]).toMatchObject({ protocol: 'oidc', audience: 'sts.amazonaws.com' });
  });

  it('keeps wildcard subjects as written, so a repo:org/* or "*" pin is still seen as unpinned', () => {
    const issuer = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const orgWide = trust({
      Effect: 'Allow',
      Action: ['sts:AssumeRoleWithWebIdentity'],
      Principal: { Federated: [issuer] },
      Condition: {
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme-corp/*' },
      },
    });
    expect(orgWide.map((t) => t.subject)).toEqual(['repo:acme-corp/*']);
    const anything = trust({
      Effect: 'Allow',
      Action: ['sts:AssumeRoleWithWebIdentity'],
      Principal: { Federated: [issuer] },
      Condition: { 'ForAnyValue:StringLike': { 'token.actions.githubusercontent.com:sub': ['*'] } },
    });
    expect(anything.map((t) => t.subject)).toEqual(['*']);
    // A negated condition pins nothing.
    const negated = trust({
      Effect: 'Allow',
      Action: ['sts:AssumeRoleWithWebIdentity'],
      Principal: { Federated: [issuer] },
      Condition: { StringNotLike: { 'token.actions.githubusercontent.com:sub': 'repo:evil/*' } },
    });
    expect(negated[0].subject).toBeUndefined();
  });

  it('treats "*" and Allow with NotPrincipal as anyone', () => {
    expect(trust({ Effect: 'Allow', Action: ['sts:AssumeRole'], Principal: '*' })[0]).toMatchObject({ kind: 'any', external: true });
    expect(trust({ Effect: 'Allow', Action: ['sts:AssumeRole'], NotPrincipal: { AWS: ['arn:aws:iam::111122223333:root'] } })[0]).toMatchObject({ kind: 'any' });
  });

  it('ignores Deny statements and statements that grant no sts:AssumeRole* action', () => {
    expect(
      trust(
        { Effect: 'Deny', Action: ['sts:AssumeRole'], Principal: '*' },
        { Effect: 'Allow', Action: ['sts:TagSession'], Principal: { Service: ['bedrock.amazonaws.com'] } },
      ),
    ).toEqual([]);
  });

  it('shares one frozen trust list among roles holding the same document, and only among them', () => {
    const lambda = () => ({ Statement: [{ Effect: 'Allow' as const, Action: ['sts:AssumeRole'], Principal: { Service: ['lambda.amazonaws.com'] } }] });
    const partner = (account: string) => ({ Statement: [{ Effect: 'Allow' as const, Action: ['sts:AssumeRole'], Principal: { AWS: [`arn:aws:iam::${account}:root`] } }] });
    const trustOf = trustsByDocument(ACCOUNT);
    const first = trustOf(lambda());
    // Equal documents parsed separately, as two roles' are: the same list, not a copy.
    expect(trustOf(lambda())).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first[0])).toBe(true);
    expect(() => (first as unknown as object[]).push({})).toThrow(TypeError);
    expect(trustOf(partner('210987654321'))).not.toBe(first);
    expect(trustOf(partner('210987654321'))[0]).toMatchObject({ kind: 'account', external: true });
    // Whether a principal is external depends on the account reading the document.
    expect(trustsByDocument('210987654321')(partner('210987654321'))[0]).toMatchObject({ kind: 'account', external: false });
    expect(first).toEqual(trustFromDocument(lambda(), ACCOUNT));
  });
});
