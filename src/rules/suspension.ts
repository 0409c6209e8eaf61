import { SEVERITIES, type Finding } from '../model/finding.js';
import type { Identity } from '../model/inventory.js';
import { withFields } from '../util/with-fields.js';

// A suspended GitHub App installation cannot mint tokens today, but an org owner (or the app's
// owner) can lift the suspension at any time and every grant comes back unchanged. So its
// findings stay — a reviewer should still fix the grants — one step lower, and saying so.

export interface Suspension {
  since: string;
  by?: string;
}

export function suspensionOf(identity: Identity): Suspension | undefined {
  if (identity.kind !== 'github-app-installation') return undefined;
  const since = identity.attributes.suspendedAt;
  if (typeof since !== 'string') return undefined;
  const by = identity.attributes.suspendedBy;
  return { since, ...(typeof by === 'string' ? { by } : {}) };
}

function lower(severity: Finding['severity']): Finding['severity'] {
  return SEVERITIES[Math.min(SEVERITIES.indexOf(severity) + 1, SEVERITIES.length - 1)];
}

export function withSuspension(finding: Finding, s: Suspension): Finding {
  return withFields(finding, {
    severity: lower(finding.severity),
    message: `${finding.message} — installation suspended since ${s.since.slice(0, 10)}${s.by ? ` by ${s.by}` : ''} (can be unsuspended)`,
    evidence: { ...finding.evidence, suspendedAt: s.since, ...(s.by ? { suspendedBy: s.by } : {}) },
    tags: [...new Set([...(finding.tags ?? []), 'suspended'])].sort(),
  });
}
