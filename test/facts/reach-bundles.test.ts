import { afterEach, describe, expect, it } from 'vitest';
import type { AccessGraph } from '../../src/facts/reach/build.js';
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
