import type { AccessLevel, Entitlement, Risk } from '../../model/inventory.js';

// How dangerous an Entra grant is. Two small tables, one for Microsoft Graph permissions
// (application app roles and delegated scopes share their names) and one for built-in
// directory roles keyed by role template id (the same GUID in every tenant). Anything not
// listed falls back to a level read from the permission's name and carries no risk: the
// tables list only what an Entra expert would flag.

interface Rating {
  level: AccessLevel;
  risks: Risk[];
}

const ESCALATE: Risk = 'privilege-escalation';
const EXFIL: Risk = 'data-exfiltration';
const CREDS: Risk = 'credential-exposure';
const INFRA: Risk = 'infrastructure-modification';
const EXPOSE: Risk = 'resource-exposure';

export const GRAPH_PERMISSIONS: Record<string, Rating> = {
  // Tier 0: each one is a documented path to Global Administrator.
  'RoleManagement.ReadWrite.Directory': { level: 'admin', risks: [ESCALATE] }, // assign itself any directory role
  'AppRoleAssignment.ReadWrite.All': { level: 'admin', risks: [ESCALATE] }, // grant itself RoleManagement.ReadWrite.Directory
  'Application.ReadWrite.All': { level: 'admin', risks: [ESCALATE, CREDS] }, // add a secret to any privileged app
  'Directory.ReadWrite.All': { level: 'admin', risks: [ESCALATE] }, // rewrite users, groups and their memberships
  'ServicePrincipalEndpoint.ReadWrite.All': { level: 'admin', risks: [ESCALATE, EXPOSE] }, // redirect SP endpoints
  'UserAuthenticationMethod.ReadWrite.All': { level: 'admin', risks: [ESCALATE, CREDS] }, // issue a TAP to an admin
  'Domain.ReadWrite.All': { level: 'admin', risks: [ESCALATE] }, // federate a domain and forge sign-ins
  'Policy.ReadWrite.ConditionalAccess': { level: 'admin', risks: [INFRA] }, // switch off Conditional Access
  'Policy.ReadWrite.PermissionGrant': { level: 'admin', risks: [ESCALATE] }, // let anyone consent to anything

  // Owned-object and group writes: escalation into whatever those objects hold.
  'Application.ReadWrite.OwnedBy': { level: 'write', risks: [ESCALATE, CREDS] }, // mint secrets for apps it owns
  'Group.ReadWrite.All': { level: 'write', risks: [ESCALATE] }, // join groups that carry access
  'GroupMember.ReadWrite.All': { level: 'write', risks: [ESCALATE] },
  'User.ReadWrite.All': { level: 'write', risks: [ESCALATE] },

  // Reading people's content: mail, files, sites, chats, meetings.
  'Mail.Read': { level: 'read', risks: [EXFIL] },
  'Mail.ReadBasic.All': { level: 'read', risks: [EXFIL] },
  'Mail.ReadWrite': { level: 'write', risks: [EXFIL] },
  'Mail.Send': { level: 'write', risks: [EXFIL] }, // send data (or phishing) as any mailbox
  'MailboxSettings.ReadWrite': { level: 'write', risks: [EXFIL] }, // forwarding rules
  'Files.Read.All': { level: 'read', risks: [EXFIL] },
  'Files.ReadWrite.All': { level: 'write', risks: [EXFIL] },
  'Sites.Read.All': { level: 'read', risks: [EXFIL] },
  'Sites.ReadWrite.All': { level: 'write', risks: [EXFIL] },
  'Sites.Manage.All': { level: 'write', risks: [EXFIL] },
  'Sites.FullControl.All': { level: 'admin', risks: [EXFIL, EXPOSE] }, // can share any site outward
  'Notes.Read.All': { level: 'read', risks: [EXFIL] },
  'Chat.Read.All': { level: 'read', risks: [EXFIL] },
  'ChannelMessage.Read.All': { level: 'read', risks: [EXFIL] },
  'Calendars.Read': { level: 'read', risks: [EXFIL] },
  'OnlineMeetings.Read': { level: 'read', risks: [EXFIL] },
  'OnlineMeetings.Read.All': { level: 'read', risks: [EXFIL] },
  'OnlineMeetingTranscript.Read.All': { level: 'read', risks: [EXFIL] },
  'Contacts.Read': { level: 'read', risks: [EXFIL] },
  'BitlockerKey.Read.All': { level: 'read', risks: [CREDS] }, // recovery keys are secrets
};

/** Application permissions that reach only selected or owned objects rather than the tenant. */
const RESOURCE_SCOPED = /\.(Selected|OwnedBy)$/;

export const BUILT_IN_ROLES: Record<string, { name: string } & Rating> = {
  '62e90394-69f5-4237-9190-012177145e10': { name: 'Global Administrator', level: 'admin', risks: [ESCALATE, CREDS, INFRA, EXFIL] },
  'e8611ab8-c189-46e8-94e1-60213ab1f814': { name: 'Privileged Role Administrator', level: 'admin', risks: [ESCALATE] },
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13': { name: 'Privileged Authentication Administrator', level: 'admin', risks: [ESCALATE, CREDS] },
  // Can add credentials to any application, including ones holding tier-0 permissions.
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3': { name: 'Application Administrator', level: 'admin', risks: [ESCALATE, CREDS] },
  '158c047a-c907-4556-b7ef-446551a6b5f7': { name: 'Cloud Application Administrator', level: 'admin', risks: [ESCALATE, CREDS] },
  '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2': { name: 'Hybrid Identity Administrator', level: 'admin', risks: [ESCALATE] },
  'e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8': { name: 'Partner Tier2 Support', level: 'admin', risks: [ESCALATE, CREDS] },
  '8329153b-31d0-4727-b945-745eb3bc5f31': { name: 'Domain Name Administrator', level: 'admin', risks: [ESCALATE] },
  '194ae4cb-b126-40b2-bd5b-6091b380977d': { name: 'Security Administrator', level: 'admin', risks: [INFRA] },
  'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9': { name: 'Conditional Access Administrator', level: 'admin', risks: [INFRA] },
  '3a2c62db-5318-420d-8d74-23affee5d9d5': { name: 'Intune Administrator', level: 'admin', risks: [INFRA] }, // runs scripts on devices
  '29232cdf-9323-42fd-ade2-1d097af3e4de': { name: 'Exchange Administrator', level: 'admin', risks: [EXFIL] },
  'f28a1f50-f6e7-4571-818b-6a12f2af6b6c': { name: 'SharePoint Administrator', level: 'admin', risks: [EXFIL, EXPOSE] },
  'fe930be7-5e62-47db-91af-98c3a49a38b1': { name: 'User Administrator', level: 'admin', risks: [CREDS] }, // resets passwords
  'c4e39bd9-1100-46d3-8c65-fb160da0071f': { name: 'Authentication Administrator', level: 'write', risks: [CREDS] },
  '966707d0-3269-4727-9be2-8c3a10f19b9d': { name: 'Password Administrator', level: 'write', risks: [CREDS] },
  '729827e3-9c14-49f7-bb1b-9608f156bbb8': { name: 'Helpdesk Administrator', level: 'write', risks: [CREDS] },
  'fdd7a751-b60b-444a-984c-02652fe8fa1c': { name: 'Groups Administrator', level: 'write', risks: [ESCALATE] },
  '9360feb5-f418-4baa-8175-e2a00bac4301': { name: 'Directory Writers', level: 'write', risks: [ESCALATE] },
  'cf1c38e5-3621-4004-a7cb-879624dced7c': { name: 'Application Developer', level: 'write', risks: [] },
  'f2ef992c-3afb-46b9-b7cf-a126ee74c451': { name: 'Global Reader', level: 'read', risks: [] },
  '88d8e3e3-8f55-4a1e-953a-9b9898b8876b': { name: 'Directory Readers', level: 'read', risks: [] },
  '5d6b6bb7-de71-4623-b4af-96380a352509': { name: 'Security Reader', level: 'read', risks: [] },
  '4a5d8f65-41da-4de4-8968-e035b65339cf': { name: 'Reports Reader', level: 'read', risks: [] },
};

const WRITE_VERB = /ReadWrite|Write|Manage|FullControl|Send|Create|Delete|Update|Invite|Import|Export/i;

function levelFromName(name: string): AccessLevel {
  return WRITE_VERB.test(name) ? 'write' : 'read';
}

/** Level and risks of a Microsoft Graph (or other API) permission name. */
export function ratePermission(permission: string): Rating {
  const known = GRAPH_PERMISSIONS[permission];
  return known ? { level: known.level, risks: [...known.risks] } : { level: levelFromName(permission), risks: [] };
}

/** The highest level and the union of risks over several permissions (a delegated grant's scopes). */
export function ratePermissions(permissions: string[]): Rating {
  const order: AccessLevel[] = ['read', 'write', 'admin'];
  let level: AccessLevel = 'read';
  const risks = new Set<Risk>();
  for (const p of permissions) {
    const r = ratePermission(p);
    if (order.indexOf(r.level) > order.indexOf(level)) level = r.level;
    r.risks.forEach((x) => risks.add(x));
  }
  return { level, risks: [...risks] };
}

/** Tenant-wide unless the permission names a selected/owned subset. */
export function applicationPermissionScope(permission: string): Entitlement['scope'] {
  return RESOURCE_SCOPED.test(permission) ? 'resource' : 'organization';
}

/** Level and risks of a directory role, by template id; custom roles are judged by name. */
export function rateDirectoryRole(templateId: string | undefined, displayName: string): Rating {
  const known = templateId ? BUILT_IN_ROLES[templateId.toLowerCase()] : undefined;
  if (known) return { level: known.level, risks: [...known.risks] };
  if (/Reader/i.test(displayName)) return { level: 'read', risks: [] };
  return { level: 'write', risks: [] };
}

/** Name of a built-in role when the bundle did not expand roleDefinition. */
export function builtInRoleName(templateId: string): string | undefined {
  return BUILT_IN_ROLES[templateId.toLowerCase()]?.name;
}
