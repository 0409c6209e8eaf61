import type { Trust } from '../../model/inventory.js';
import type { ProjectView } from './estate.js';

// Workload identity pools and their providers: which outside issuer a federated principal
// stands for, which of its claims become attributes, and the condition every token must meet.
// A trust names the pool (`//iam.googleapis.com/projects/<n>/locations/global/workloadIdentityPools/<pool>`);
// the pool's providers say who can get into it.

export interface FederationSummary {
  pool: string;
  provider: string;
  issuer?: string;
  awsAccountId?: string;
  attributeMapping: Record<string, string>;
  attributeCondition?: string;
  disabled: boolean;
}

/** The trusts unchanged, and the providers behind the federated ones whose pool this project holds. */
export function federationOf(view: ProjectView, trustedBy: Trust[]): FederationSummary[] {
  const out: FederationSummary[] = [];
  for (const { pool, providers } of view.pools) {
    const principal = `//iam.googleapis.com/${pool.name}`;
    // Pool names in bindings use the project number; the API may answer with it or the id.
    const poolId = pool.name.slice(pool.name.lastIndexOf('/') + 1);
    const used = trustedBy.some((t) => t.kind === 'federated' && (t.principal === principal || t.principal.endsWith(`/workloadIdentityPools/${poolId}`)));
    if (!used) continue;
    for (const p of providers) {
      out.push({
        pool: pool.name,
        provider: p.name,
        ...(p.oidc?.issuerUri ? { issuer: p.oidc.issuerUri } : {}),
        ...(p.aws?.accountId ? { awsAccountId: p.aws.accountId } : {}),
        attributeMapping: p.attributeMapping,
        ...(p.attributeCondition ? { attributeCondition: p.attributeCondition } : {}),
        disabled: p.disabled || pool.disabled,
      });
    }
  }
  return out;
}
