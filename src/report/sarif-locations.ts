import type { ManifestLocation } from '../drift/manifest.js';
import type { Finding } from '../model/finding.js';
import type { ScanResult } from '../model/scan-result.js';
import type { SourceLocation } from './sarif.js';

// Code-scanning alerts point at something a reviewer can open: with an agents manifest, a
// finding on a declared agent points at that agent's entry, a finding on an agent nobody
// declared (a shadow agent) at the manifest's `agents:` key, and everything else at the
// configured artifact (--sarif-artifact).

export function manifestLocator(scan: ScanResult, manifest: ManifestLocation): (f: Finding) => SourceLocation | undefined {
  const agents = new Set(scan.identities.filter((i) => i.agent.verdict === 'agent').map((i) => i.id));
  const at = (line: number) => ({ uri: manifest.file, line });
  return (f) => {
    if (f.target.type === 'declaration') return at(manifest.agentLines[f.target.key] ?? manifest.agentsLine);
    const declared = scan.declaredAgents?.[f.identityId];
    if (declared?.length) return at(manifest.agentLines[declared[0]] ?? manifest.agentsLine);
    if (agents.has(f.identityId) || f.ruleId === 'undeclared-agent') return at(manifest.agentsLine);
    return undefined;
  };
}
