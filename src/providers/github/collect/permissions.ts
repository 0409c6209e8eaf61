import { DISCOVERY_CALLS, ORG_CALLS, type CallNeed } from './calls.js';

// What agentscan needs to collect from GitHub, printed by `agentscan permissions github`: the
// GitHub App's permissions (all read-only) and, for a token, the classic scopes. Derived from
// the collector's call list, so the two cannot drift apart.

export interface PermissionsRequest {
  /** Extra flags of `agentscan permissions`, as commander parsed them. */
  [flag: string]: unknown;
}

/** `name: read` → [name, (repository)]; one call may need several. */
function appPermissions(needs: CallNeed[]): { organization: string[]; repository: string[] } {
  const organization = new Set<string>();
  const repository = new Set<string>();
  for (const need of needs) {
    for (const part of (need.app ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
      const name = part.replace(/: read.*$/, '');
      const isRepo = /\(repository\)/.test(part) || name === 'metadata';
      (isRepo ? repository : organization).add(name);
    }
  }
  return { organization: [...organization].sort(), repository: [...repository].sort() };
}

/** The App permissions as GitHub's App settings page names them, each `read`. */
export function githubAppPermissions(): Record<string, 'read'> {
  const { organization, repository } = appPermissions(ORG_CALLS);
  return Object.fromEntries([...repository, ...organization].sort().map((p) => [p, 'read' as const]));
}

export function classicScopes(): string[] {
  return [...new Set(ORG_CALLS.concat(DISCOVERY_CALLS).flatMap((c) => (c.classic ? [c.classic] : [])))].sort();
}

export function permissionsText(_req: PermissionsRequest = {}): string {
  const { organization, repository } = appPermissions(ORG_CALLS);
  const appOnly = ORG_CALLS.filter((c) => c.appOnly);
  const width = Math.max(...ORG_CALLS.map((c) => c.call.length));
  const lines = [
    'GitHub App (recommended; the only way GitHub lists fine-grained personal access tokens):',
    '  Repository permissions:',
    ...repository.map((p) => `    ${p}: read`),
    '  Organization permissions:',
    ...organization.map((p) => `    ${p}: read`),
    '  Everything else: no access. Subscribe to no events; no webhook is needed.',
    '  Install it on each organization to scan (all repositories), then run:',
    '    agentscan scan --provider github --github-app-id ID --github-app-key-file app.pem [--github-org ORG]',
    '',
    'Token instead (GITHUB_TOKEN or GH_TOKEN) — classic scopes:',
    `  ${classicScopes().join(', ')}`,
    '  admin:org is the only classic scope GitHub accepts for the Actions settings and secret names;',
    '  agentscan only reads. A fine-grained token takes the App permissions above. With a token,',
    `  ${appOnly.map((c) => c.call).join(' and ')} cannot be read: they are recorded as not collected.`,
    '  Beside an App, GITHUB_TOKEN set to an organization owner\'s token (scope repo) is used for the one call',
    '  GitHub answers only to users: the repositories of installations limited to selected repositories.',
    '',
    'Calls made, per organization:',
    ...ORG_CALLS.map((c) => `  ${c.call.padEnd(width)}  ${[c.app ? `App: ${c.app}` : '', c.classic ? `classic: ${c.classic}` : '', c.appOnly ? 'App only' : ''].filter(Boolean).join('; ')}${c.note ? ` — ${c.note}` : ''}`),
    'To find the organizations and sign in to them:',
    ...DISCOVERY_CALLS.map((c) => `  ${c.call.padEnd(width)}  ${c.classic ? `classic: ${c.classic} — ` : ''}${c.note ?? ''}`),
    '',
  ];
  return lines.join('\n');
}
