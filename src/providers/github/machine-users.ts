import { UNCLASSIFIED, type Entitlement, type Identity } from '../../model/inventory.js';
import { orgRole, type OrgContext } from './context.js';
import type { WireUser } from './wire.js';

// Org members that are machines: accounts a team shares for automation (a bot, a CI user, a
// service account). GitHub has no such account type, so they are recognised by signals: the
// login's shape, a Bot account type, or holding only credentials named for automation. Such a
// member is an identity of its own, and the tokens and keys it holds are not a person's.

/** Logins teams give shared automation accounts: *-bot, *-ci, *-automation, svc-*, … */
const MACHINE_LOGIN = [/[-_](bot|ci|cd|automation|deploy|deployer|svc|service)$/i, /^(svc|bot|ci|automation)[-_]/i, /\[bot\]$/i];

/** Words in a token's name or an SSH key's title that say a machine uses it. */
const AUTOMATION_WORD = /(^|[^a-z])(ci|cd|bot|automation|deploy|deployer|pipeline|build|release|mirror|sync|backup|cron|nightly)([^a-z]|$)/i;

/** A credential a member holds, by the identity that stands for it and the label its owner gave it. */
export interface HeldCredential {
  login: string;
  identityId: string;
  label?: string;
}

export interface MachineUser {
  user: WireUser;
  signals: string[];
  holds: string[];
}

/** The members that are machine users, keyed by lower-cased login. */
export function machineUsers(members: WireUser[], held: HeldCredential[]): Map<string, MachineUser> {
  const byLogin = new Map<string, HeldCredential[]>();
  for (const h of held) byLogin.set(h.login.toLowerCase(), [...(byLogin.get(h.login.toLowerCase()) ?? []), h]);
  const out = new Map<string, MachineUser>();
  for (const user of members) {
    const key = user.login.toLowerCase();
    const holdings = byLogin.get(key) ?? [];
    const signals: string[] = [];
    if (MACHINE_LOGIN.some((p) => p.test(user.login))) signals.push(`login "${user.login}" is named like an automation account`);
    if (user.type === 'Bot') signals.push('GitHub account type is Bot');
    // One automation token is a person's script; only automation credentials, several of them, is a machine.
    const labels = holdings.map((h) => h.label ?? '');
    if (holdings.length >= 2 && labels.every((l) => AUTOMATION_WORD.test(l))) {
      signals.push(`holds only credentials named for automation: ${labels.join(', ')}`);
    }
    if (signals.length > 0) out.set(key, { user, signals, holds: holdings.map((h) => h.identityId).sort() });
  }
  return out;
}

export function isMachineUser(ctx: OrgContext, login: string): boolean {
  return ctx.machineUsers?.has(login.toLowerCase()) ?? false;
}

const ROLE_ENTITLEMENT: Record<'admin' | 'member', Pick<Entitlement, 'permissions' | 'level' | 'risks'>> = {
  // An owner can change every setting, add members and apps, and reach every repository.
  admin: { permissions: ['org:owner'], level: 'admin', risks: ['privilege-escalation', 'resource-exposure'] },
  member: { permissions: ['org:member'], level: 'read', risks: [] },
};

export function machineUserIdentity(ctx: OrgContext, machine: MachineUser): Identity {
  const { user } = machine;
  const role = orgRole(ctx, user.login);
  const known = role === 'admin' || role === 'member' ? role : undefined;
  const entitlements: Entitlement[] = known
    ? [
        {
          ...ROLE_ENTITLEMENT[known],
          resource: ctx.org,
          scope: 'organization',
          via: { type: 'org-role', name: known === 'admin' ? 'owner' : 'member' },
          standing: true,
          effect: 'allow',
        },
      ]
    : [];
  return {
    id: `github:${ctx.org}:machine-user/${user.login}`,
    provider: 'github',
    kind: 'machine-user',
    name: user.login,
    container: ctx.container,
    owners: [],
    tags: {},
    enabled: true,
    human: false,
    agent: UNCLASSIFIED,
    // The credentials it holds are identities of their own (listed in `holds`), so they are not repeated here.
    credentials: [],
    entitlements,
    trustedBy: [],
    attributes: {
      login: user.login,
      userId: user.id,
      accountType: user.type,
      ...(role ? { orgRole: role } : {}),
      machineUserSignals: machine.signals,
      holds: machine.holds,
    },
  };
}
