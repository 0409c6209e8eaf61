import { afterEach, describe, expect, it } from 'vitest';
import { loadBundle } from '../../src/bundle/load.js';
import { loadPatterns } from '../../src/classify/patterns.js';
import type { AccessGraph } from '../../src/facts/reach/build.js';
import { loadRules } from '../../src/rules/load.js';
import { analyseBundle } from '../../src/scan/analyse.js';
import { DemoCopy, edgesInto } from '../helpers/bundle-graph.js';

// The access-path edges this stage adds, on copies of the demo bundle changed in one way each:
// normalizers and the graph together, as a scan runs them.

const ORG = 'acme-corp';
const TERRAFORM_PLAN = 'aws:314159265358:role/gha-terraform-plan';
const INFRA_SP = 'entra:7f3c2a9e-4b1d-4c8e-9a6f-2d5e8b1c0a37:sp/b2be3090-fd21-4cd3-917d-1f52f10eab82';
const TEMPLATES = ['github', ORG, 'actions-get-custom-oidc-sub-claim-for-repo'];

/** Hops into `to` from GitHub's workflows (the demo's Entra tenant has other ways in). */
const fromGithub = (g: AccessGraph, to: string) => edgesInto(g, to).filter((e) => e.startsWith('github:'));

let demo: DemoCopy | undefined;
const copy = () => (demo = new DemoCopy());
afterEach(() => demo?.dispose());

describe('a repository\'s own OIDC subject template', () => {
  it('the demo org template (repo, context, job_workflow_ref) never issues repo:acme-corp/infra:ref:…: no edge into the trusting role or app', () => {
    const g = copy().graph();
    expect(fromGithub(g, TERRAFORM_PLAN)).toEqual([]);
    expect(fromGithub(g, INFRA_SP)).toEqual([]);
  });

  it('infra on GitHub\'s default template (use_default) is issued exactly those subjects: its workflows reach both, other repositories do not', () => {
    const d = copy();
    d.write({ use_default: true }, ...TEMPLATES, 'infra.json');
    d.write({ use_default: false }, ...TEMPLATES, 'docs.json');
    const g = d.graph();
    expect(fromGithub(g, TERRAFORM_PLAN)).toEqual([`github:workflow:${ORG}/infra [oidc-trust]`]);
    expect(fromGithub(g, INFRA_SP)).toEqual([`github:workflow:${ORG}/infra [federated-credential]`]);
  });

  it('a repository with its own keys is judged by them, not by the org\'s', () => {
    const d = copy();
    d.write({ use_default: false, include_claim_keys: ['repo', 'context', 'job_workflow_ref', 'environment'] }, ...TEMPLATES, 'infra.json');
    expect(fromGithub(d.graph(), TERRAFORM_PLAN)).toEqual([]);
  });

  it('an org-wide pattern still admits the org through one hop, naming the repository its own template shuts out', () => {
    const d = copy();
    // infra's tokens say only repository_owner:acme-corp:<context>: no repo: prefix for the pattern to match.
    d.write({ use_default: false, include_claim_keys: ['repository_owner', 'context'] }, ...TEMPLATES, 'infra.json');
    d.edit(['aws', '314159265358', 'iam-get-account-authorization-details.page-1.json'], (page) => {
      for (const r of page.RoleDetailList ?? []) {
        if (r.RoleName !== 'gha-terraform-plan') continue;
        const doc = JSON.parse(decodeURIComponent(r.AssumeRolePolicyDocument));
        doc.Statement[0].Condition = { StringLike: { 'token.actions.githubusercontent.com:sub': `repo:${ORG}/*` } };
        r.AssumeRolePolicyDocument = encodeURIComponent(JSON.stringify(doc));
      }
    });
    const g = d.graph();
    const into = g.edges.filter((e) => e.to === TERRAFORM_PLAN);
    expect(into.map((e) => e.from)).toEqual([`github:workflow:${ORG}/*`]);
    expect(into[0].condition).toContain(`not ${ORG}/infra (their own subject template)`);
  });
});

describe('GCP workload identity pools that trust an AWS account', () => {
  const GCP = ['gcp', 'acme-ml-prod'];
  const POOL = 'projects/482910573746/locations/global/workloadIdentityPools/aws-prod';
  const ETL = 'gcp:acme-ml-prod:sa/etl-pipeline@acme-ml-prod.iam.gserviceaccount.com';
  const ACCOUNT = '314159265358';

  /** The demo plus a pool `aws-prod` whose one provider trusts `account`, and etl-pipeline bound to `member` in it. */
  function withAwsPool(member: string, provider: { accountId?: string; attributeMapping?: Record<string, string>; attributeCondition?: string; disabled?: boolean } = {}): DemoCopy {
    const d = copy();
    d.edit([...GCP, 'iam-projects-locations-workloadIdentityPools-list.page-1.json'], (p) => {
      p.workloadIdentityPools.push({ name: POOL, displayName: 'AWS production', state: 'ACTIVE', disabled: false });
    });
    d.write(
      {
        workloadIdentityPoolProviders: [
          {
            name: `${POOL}/providers/aws`,
            displayName: 'AWS',
            state: 'ACTIVE',
            disabled: provider.disabled ?? false,
            ...(provider.attributeMapping ? { attributeMapping: provider.attributeMapping } : {}),
            ...(provider.attributeCondition ? { attributeCondition: provider.attributeCondition } : {}),
            aws: { accountId: provider.accountId ?? ACCOUNT },
          },
        ],
      },
      ...GCP,
      'iam-projects-locations-workloadIdentityPools-providers-list',
      'aws-prod.page-1.json',
    );
    d.write(
      { etag: 'BwYq', bindings: [{ role: 'roles/iam.workloadIdentityUser', members: [member] }] },
      ...GCP,
      'iam-projects-serviceAccounts-getIamPolicy',
      'etl-pipeline@acme-ml-prod.iam.gserviceaccount.com.json',
    );
    return d;
  }
  const awsInto = (d: DemoCopy) => d.graph().edges.filter((e) => e.to === ETL && e.from.startsWith('aws:'));

  it('attribute.aws_role (GCP\'s default mapping) names one role: that role becomes the account, no other role or user', () => {
    const edges = awsInto(withAwsPool(`principalSet://iam.googleapis.com/${POOL}/attribute.aws_role/arn:aws:sts::${ACCOUNT}:assumed-role/kb-sync-agent`));
    expect(edges.map((e) => `${e.from} [${e.kind}]`)).toEqual([`aws:${ACCOUNT}:role/kb-sync-agent [workload-identity]`]);
    expect(edges[0].evidence).toContain(`AWS account ${ACCOUNT}`);
    expect(edges[0].condition).toBeUndefined();
  });

  it('a subject naming one session of a role: the role gets in with a session name it chooses, said as a condition', () => {
    const edges = awsInto(withAwsPool(`principal://iam.googleapis.com/${POOL}/subject/arn:aws:sts::${ACCOUNT}:assumed-role/eval-harness-agent/nightly`));
    expect(edges.map((e) => e.from)).toEqual([`aws:${ACCOUNT}:role/eval-harness-agent`]);
    expect(edges[0].condition).toContain('session name');
  });

  it('the whole pool under an attribute condition lets in what the condition admits; a user\'s ARN is not a role\'s', () => {
    const edges = awsInto(
      withAwsPool(`principalSet://iam.googleapis.com/${POOL}/*`, { attributeCondition: `attribute.aws_role.startsWith('arn:aws:sts::${ACCOUNT}:assumed-role/ops-')` }),
    );
    expect(edges.map((e) => e.from)).toEqual([`aws:${ACCOUNT}:role/ops-automation`]);
    // Without a condition, every role and user of the account.
    const all = awsInto(withAwsPool(`principalSet://iam.googleapis.com/${POOL}/*`)).map((e) => e.from);
    expect(all).toContain(`aws:${ACCOUNT}:user/ci-deployer`);
    expect(all).toContain(`aws:${ACCOUNT}:role/platform-admin`);
  });

  it('a custom mapping is honoured: attribute.account from assertion.account', () => {
    const d = withAwsPool(`principalSet://iam.googleapis.com/${POOL}/attribute.account/${ACCOUNT}`, {
      attributeMapping: { 'google.subject': 'assertion.arn', 'attribute.account': 'assertion.account' },
      attributeCondition: `assertion.arn.endsWith(':user/ci-deployer')`,
    });
    expect(awsInto(d).map((e) => e.from)).toEqual([`aws:${ACCOUNT}:user/ci-deployer`]);
  });

  it('none: a provider of another account, a disabled provider, a role the binding does not name', () => {
    const member = `principalSet://iam.googleapis.com/${POOL}/attribute.aws_role/arn:aws:sts::${ACCOUNT}:assumed-role/kb-sync-agent`;
    expect(awsInto(withAwsPool(member, { accountId: '999999999999' }))).toEqual([]);
    expect(awsInto(withAwsPool(member, { disabled: true }))).toEqual([]);
    expect(awsInto(withAwsPool(`principalSet://iam.googleapis.com/${POOL}/attribute.aws_role/arn:aws:sts::${ACCOUNT}:assumed-role/no-such-role`))).toEqual([]);
  });
});

describe('exact-subject trusts of repositories that no longer exist', () => {
  const rules = loadRules();
  const settings = new Map(rules.map((r) => [r.id, { severity: r.severity, parameters: r.parameters }]));
  const missing = (d: DemoCopy) =>
    analyseBundle(loadBundle(d.dir), { rules, settings, patterns: loadPatterns(), now: '2026-11-20T09:30:00Z' })
      .findings.filter((f) => f.ruleId === 'trust-in-missing-repository')
      .map((f) => `${f.identityId} ${f.severity} ${f.evidence.repository}`)
      .sort();
  const GCP_POLICY = ['gcp', 'acme-ml-prod', 'iam-projects-serviceAccounts-getIamPolicy', 'gh-actions-scoped@acme-ml-prod.iam.gserviceaccount.com.json'];
  const FIC = ['entra', '7f3c2a9e-4b1d-4c8e-9a6f-2d5e8b1c0a37', 'applications-federatedIdentityCredentials', '0f299abd-283f-451f-8100-8bb9eb89325e.json'];
  /** ml-models and infra deleted from the org's listing: the demo's GCP binding and Entra credential name them. */
  const withoutRepos = (d: DemoCopy) => {
    const gone = (r: { name: string }) => r.name === 'ml-models' || r.name === 'infra';
    d.edit(['github', ORG, 'repos-list-for-org.page-1.json'], (p: Array<{ name: string }>) => p.splice(0, p.length, ...p.filter((r) => !gone(r))));
    // An installation given a repository is evidence it exists: a deleted one leaves the list too.
    d.edit(['github', ORG, 'apps-list-installation-repos-for-authenticated-user', '61930217.page-1.json'], (p) => {
      p.repositories = p.repositories.filter((r: { name: string }) => !gone(r));
      p.total_count = p.repositories.length;
    });
  };

  it('the demo names only repositories that exist: no finding', () => {
    expect(missing(copy())).toEqual([]);
  });

  it('a GCP attribute.repository binding, an Entra federated credential and an AWS trust whose repository is gone', () => {
    const d = copy();
    withoutRepos(d);
    // The deploy keys of the deleted repositories go with them.
    for (const r of ['ml-models', 'infra']) d.write([], 'github', ORG, 'repos-list-deploy-keys', `${r}.json`);
    const found = missing(d);
    expect(found).toEqual([
      `aws:314159265358:role/gha-terraform-plan ${found.find((f) => f.startsWith('aws:'))!.split(' ')[1]} acme-corp/infra`,
      `entra:7f3c2a9e-4b1d-4c8e-9a6f-2d5e8b1c0a37:sp/b2be3090-fd21-4cd3-917d-1f52f10eab82 medium acme-corp/infra`,
      `gcp:acme-ml-prod:sa/gh-actions-scoped@acme-ml-prod.iam.gserviceaccount.com medium acme-corp/ml-models`,
    ].sort());
    // gha-terraform-plan is high only if it is an administrator.
    const plan = d.identities().find((i) => i.id === 'aws:314159265358:role/gha-terraform-plan')!;
    const admin = plan.entitlements.some((e) => e.level === 'admin' && e.effect !== 'deny');
    expect(found.find((f) => f.startsWith('aws:'))).toContain(admin ? ' high ' : ' medium ');
    expect(d.read(...GCP_POLICY).bindings[0].members[0]).toContain('attribute.repository/acme-corp/ml-models');
    expect(d.read(...FIC).value[0].subject).toBe('repo:acme-corp/infra:environment:production');
  });

  it('never on a partial repository listing', () => {
    const d = copy();
    withoutRepos(d);
    for (const r of ['ml-models', 'infra']) d.write([], 'github', ORG, 'repos-list-deploy-keys', `${r}.json`);
    d.edit(['bundle.json'], (b) => {
      const entry = b.coverage.find((c: { provider: string; call: string }) => c.provider === 'github' && c.call === 'GET /orgs/{org}/repos');
      Object.assign(entry, { status: 'error', message: 'HTTP 502 on page 2' });
    });
    expect(missing(d)).toEqual([]);
  });
});
