import type { PrincipalAnalysis } from './analysis/principal.js';

// What the IAM analysis adds to an identity's attributes, for reports and for rules:
//   effectivePermissions — the compact summary (counts, risky actions by name);
//   escalationPaths      — [{id, method, category, permissions, description, scope, …}].
// Absent when the authorization details were not collected.

type Analysed = Pick<PrincipalAnalysis, 'summary' | 'escalationPaths'> & { boundaryMissing?: boolean; unresolved: string[] };

export function analysisAttributes(analysis: Analysed | undefined, boundaryArn: string | undefined): Record<string, unknown> {
  if (!analysis) return {};
  return {
    effectivePermissions: {
      ...analysis.summary,
      // A boundary IAM did not list cannot be applied: the summary then over-states, never under-states.
      ...(boundaryArn && analysis.boundaryMissing ? { boundaryNotApplied: boundaryArn } : {}),
      // Policies on a page whose call failed are missing: the summary under-states.
      ...(analysis.unresolved.length ? { incomplete: true } : {}),
    },
    escalationPaths: analysis.escalationPaths,
  };
}
