import type { Finding, Severity } from '../model/finding.js';
import { atLeast } from '../model/finding.js';

/** The findings that fail CI: not suppressed, at or above the threshold, and — with newOnly —
 * new since the baseline. */
export function failingFindings(findings: Finding[], failOn: Severity, newOnly: boolean): Finding[] {
  return findings.filter(
    (f) => !f.suppression && atLeast(f.severity, failOn) && (!newOnly || f.baselineState === 'new'),
  );
}
