import type { PrincipalAnalysis } from './analysis/principal.js';
import type { EffectiveSummary } from './analysis/summary.js';

// What the IAM analysis adds to an identity's attributes, for reports and for rules:
//   effectivePermissions — the compact summary (counts, risky actions by name);
//   escalationPaths      — [{id, method, category, permissions, description, scope, …}];
//   limitedBy            — one line saying how a boundary or Deny statements cut what the
//                          policies grant, so no message says "every action" when it is not.
// Absent when the authorization details were not collected.

type Analysed = Pick<PrincipalAnalysis, 'summary' | 'escalationPaths' | 'entitlements' | 'guardrailNote'> & {
  boundaryMissing?: boolean;
  unresolved: string[];
};

const MAX_SERVICES = 4;

/** "permissions boundary acme-sandbox-boundary leaves 542 of 22091 granted actions (cloudwatch, dynamodb, logs, s3)" */
export function limitedBy(summary: EffectiveSummary, boundaryArn: string | undefined, hasDeny: boolean): string | undefined {
  if (!summary.deniedActions) return undefined;
  const boundary = boundaryArn && `permissions boundary ${boundaryArn.slice(boundaryArn.lastIndexOf('/') + 1)}`;
  const who = [boundary, hasDeny ? 'Deny statements' : undefined].filter(Boolean).join(' and ') || 'Deny statements';
  const granted = summary.actions + summary.deniedActions;
  const services = Object.keys(summary.services);
  const where = services.includes('*')
    ? ''
    : ` (${services.slice(0, MAX_SERVICES).join(', ')}${services.length > MAX_SERVICES ? ` +${services.length - MAX_SERVICES} more` : ''})`;
  return `${who} ${who === boundary ? 'leaves' : 'leave'} ${summary.actions} of ${granted} granted actions${where}`;
}

export function analysisAttributes(analysis: Analysed | undefined, boundaryArn: string | undefined): Record<string, unknown> {
  if (!analysis) return {};
  const hasDeny = analysis.entitlements.some((e) => e.effect === 'deny' && !e.ineffective);
  const { summary, guardrailNote } = analysis;
  // With SCPs in play, the actions they remove are theirs to name, not "Deny statements".
  const ownLimits = !guardrailNote || boundaryArn !== undefined || hasDeny;
  const own = (boundaryArn && analysis.boundaryMissing) || !ownLimits ? undefined : limitedBy(summary, boundaryArn, hasDeny);
  const remain = !own && guardrailNote && summary.deniedActions ? ` (${summary.actions} of ${summary.actions + summary.deniedActions} granted actions remain)` : '';
  const limit = [own, guardrailNote && guardrailNote + remain].filter(Boolean).join('; ') || undefined;
  return {
    effectivePermissions: {
      ...analysis.summary,
      // A boundary IAM did not list cannot be applied: the summary then over-states, never under-states.
      ...(boundaryArn && analysis.boundaryMissing ? { boundaryNotApplied: boundaryArn } : {}),
      // Policies on a page whose call failed are missing: the summary under-states.
      ...(analysis.unresolved.length ? { incomplete: true } : {}),
    },
    escalationPaths: analysis.escalationPaths,
    ...(limit ? { limitedBy: limit } : {}),
  };
}
