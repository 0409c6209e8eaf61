import type { Credential, Trust } from '../../model/inventory.js';
import { compact, idKey, iso } from './values.js';
import type { FederatedIdentityCredential, KeyCredential, PasswordCredential } from './wire.js';

// Entra credentials → inventory credentials. Secrets and certificates live on the application
// object (usually) or on the service principal itself; federated identity credentials hold no
// secret at all and instead make an external issuer able to act as the app, so they also
// yield a trust entry.

/** Where a credential sits: the application object or the service principal. */
export type CredentialOrigin = 'application' | 'servicePrincipal';

export interface CredentialContext {
  collectedAt: string;
  /** keyId → last sign-in with that credential, from the appCredentialSignInActivities report;
   * undefined when the bundle has no such report (usage then unknown, not "never"). */
  lastUseByKeyId?: Map<string, string>;
}

function status(expiresAt: string | undefined, collectedAt: string): Credential['status'] {
  // An expired secret still sits on the app but can no longer authenticate.
  return expiresAt !== undefined && expiresAt <= collectedAt ? 'inactive' : 'active';
}

function usage(keyId: string, ctx: CredentialContext): { lastUsedAt?: string; usageTracked?: true } {
  if (!ctx.lastUseByKeyId) return {};
  return { lastUsedAt: ctx.lastUseByKeyId.get(idKey(keyId)), usageTracked: true };
}

/** What app passwords and certificates share: a keyId, a validity window, recorded use.
 * Whether one has expired is left to the facts stage, which judges it against collectedAt. */
function keyCredential(
  keyId: string,
  window: { startDateTime?: string | null; endDateTime?: string | null },
  ctx: CredentialContext,
) {
  const expiresAt = iso(window.endDateTime);
  const used = usage(keyId, ctx);
  return {
    common: {
      id: keyId,
      createdAt: iso(window.startDateTime),
      expiresAt,
      lastUsedAt: used.lastUsedAt,
      status: status(expiresAt, ctx.collectedAt),
      managedBy: 'user' as const,
    },
    usageTracked: used.usageTracked,
  };
}

export function clientSecret(pc: PasswordCredential, origin: CredentialOrigin, ctx: CredentialContext): Credential {
  const { common, usageTracked } = keyCredential(pc.keyId, pc, ctx);
  return stripUndefined({
    ...common,
    type: 'client-secret',
    attributes: compact({ origin, displayName: pc.displayName, hint: pc.hint, usageTracked }),
  });
}

export function certificate(kc: KeyCredential, origin: CredentialOrigin, ctx: CredentialContext): Credential {
  const { common, usageTracked } = keyCredential(kc.keyId, kc, ctx);
  return stripUndefined({
    ...common,
    type: 'certificate',
    fingerprint: thumbprint(kc.customKeyIdentifier),
    attributes: compact({ origin, displayName: kc.displayName, keyType: kc.type, keyUsage: kc.usage, usageTracked }),
  });
}

/** The SHA-1 thumbprint as the portal shows it (upper-case hex), from customKeyIdentifier. */
function thumbprint(customKeyIdentifier: string | null | undefined): string | undefined {
  if (!customKeyIdentifier) return undefined;
  const bytes = Buffer.from(customKeyIdentifier, 'base64');
  // A 20-byte value is a SHA-1 thumbprint; anything else is an app-chosen label, kept as is.
  return bytes.length === 20 ? bytes.toString('hex').toUpperCase() : customKeyIdentifier;
}

/** `claims['sub'] matches 'repo:acme/*'` → `repo:acme/*`; undefined for any other expression. */
function subjectPattern(expression: string): string | undefined {
  const m = /^\s*claims\['sub'\]\s+matches\s+'([^']*)'\s*$/.exec(expression);
  return m?.[1];
}

export function federated(fic: FederatedIdentityCredential): { credential: Credential; trust: Trust } {
  const expression = fic.claimsMatchingExpression?.value;
  const subject = fic.subject ?? (expression ? subjectPattern(expression) : undefined);
  const credential: Credential = {
    id: fic.id,
    type: 'federated',
    status: 'active',
    attributes: compact({
      name: fic.name,
      issuer: fic.issuer,
      subject: fic.subject,
      audiences: fic.audiences,
      claimsMatchingExpression: expression,
      description: fic.description,
    }),
  };
  const trust: Trust = stripUndefined({
    principal: fic.issuer,
    kind: 'federated',
    via: `federated credential ${fic.name}`,
    subject,
    condition: expression,
  });
  return { credential, trust };
}

function stripUndefined<T extends object>(value: T): T {
  return compact(value as Record<string, unknown>) as T;
}
