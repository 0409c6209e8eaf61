import { CALL } from '../files.js';
import { BROADER_PERMISSIONS, COLLECTED_CALLS } from './calls.js';

// What agentscan needs to collect from Entra, printed by `agentscan permissions entra`: the
// Microsoft Graph application permissions, derived from the calls the collector makes, so the
// two cannot drift apart. All are read-only.

export interface PermissionsRequest {
  /** Extra flags of `agentscan permissions`, as commander parsed them. */
  [flag: string]: unknown;
}

/** Microsoft Graph's application id, the same in every tenant and cloud. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** Each needed permission with the calls that need it, sorted by permission. */
export function neededPermissions(): { permission: string; calls: string[]; requires?: string }[] {
  const byPermission = new Map<string, { calls: string[]; requires?: string }>();
  for (const [key, needs] of Object.entries(COLLECTED_CALLS)) {
    const entry = byPermission.get(needs.permission) ?? { calls: [] };
    entry.calls.push(CALL[key as keyof typeof CALL]);
    entry.requires ??= needs.requires;
    byPermission.set(needs.permission, entry);
  }
  return [...byPermission].map(([permission, e]) => ({ permission, ...e })).sort((a, b) => a.permission.localeCompare(b.permission));
}

/** The text `agentscan permissions entra` prints. */
export function permissionsText(_req: PermissionsRequest = {}): string {
  const needed = neededPermissions();
  const lines = [
    'Microsoft Graph application permissions agentscan needs (all read-only), granted with admin consent',
    'to the app or managed identity agentscan signs in as, in every tenant it collects:',
    '',
    ...needed.map((n) => `  ${n.permission.padEnd(40)} ${n.calls.join(', ')}${n.requires ? `  [needs ${n.requires}]` : ''}`),
    '',
    `Broader alternative: ${BROADER_PERMISSIONS.join(', ')} cover the same reads.`,
    'Without a licence a call needs, or a permission, that call is recorded in the coverage and the scan exits 3.',
    '',
    'Grant them with the Azure CLI (APP_ID: the application (client) id agentscan uses):',
    '',
    `  for p in ${needed.map((n) => n.permission).join(' ')}; do`,
    `    role=$(az ad sp show --id ${GRAPH_APP_ID} --query "appRoles[?value=='$p'].id" -o tsv)`,
    `    az ad app permission add --id "$APP_ID" --api ${GRAPH_APP_ID} --api-permissions "$role=Role"`,
    '  done',
    '  az ad app permission admin-consent --id "$APP_ID"',
    '',
    'For a managed identity (no app registration), assign each app role to its service principal:',
    '',
    `  graph=$(az ad sp show --id ${GRAPH_APP_ID} --query id -o tsv)`,
    `  role=$(az ad sp show --id ${GRAPH_APP_ID} --query "appRoles[?value=='Application.Read.All'].id" -o tsv)`,
    '  az rest --method POST --uri "https://graph.microsoft.com/v1.0/servicePrincipals/$MI_OBJECT_ID/appRoleAssignments" \\',
    '    --body "{\\"principalId\\":\\"$MI_OBJECT_ID\\",\\"resourceId\\":\\"$graph\\",\\"appRoleId\\":\\"$role\\"}"',
    '',
  ];
  return `${lines.join('\n')}\n`;
}
