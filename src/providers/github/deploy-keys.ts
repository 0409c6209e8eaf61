import { UNCLASSIFIED, type Identity } from '../../model/inventory.js';
import { userOwner, utc, type OrgContext } from './context.js';
import { gitKeyEntitlement } from './entitlements.js';
import { sshFingerprint, sshKeyType } from './fingerprint.js';
import { gitKeyRisks } from './permissions.js';
import type { WireDeployKey } from './wire.js';
import { withFields } from '../../util/with-fields.js';

// A deploy key: an SSH key with access to one repository. One identity per repository key;
// the fingerprint of the public key ties together one key pasted into several places.

export interface RepositoryFacts {
  name: string;
  archived?: boolean;
}

export function deployKeyIdentity(ctx: OrgContext, repo: RepositoryFacts, key: WireDeployKey): Identity {
  const lastUsedAt = utc(key.last_used);
  const enabled = key.enabled !== false;
  const resource = `${ctx.org}/${repo.name}`;
  const entitlement = gitKeyEntitlement(
    key.read_only,
    {
      resource,
      scope: 'resource',
      via: { type: 'token-scope', name: key.read_only ? 'read-only deploy key' : 'read-write deploy key', id: String(key.id) },
      allRepositories: false,
    },
    gitKeyRisks(key.read_only, false),
  );

  return {
    id: `github:${ctx.org}:deploy-key/${repo.name}/${key.id}`,
    provider: 'github',
    kind: 'deploy-key',
    name: `${repo.name}/${key.title}`,
    container: ctx.container,
    owners: key.added_by ? [userOwner(ctx, key.added_by)] : [],
    tags: {},
    createdAt: utc(key.created_at),
    ...(lastUsedAt ? { lastUsedAt } : {}),
    enabled,
    human: false,
    agent: UNCLASSIFIED,
    credentials: [
      {
        id: `key/${key.id}`,
        type: 'deploy-key',
        createdAt: utc(key.created_at),
        ...(lastUsedAt ? { lastUsedAt } : {}),
        status: enabled ? 'active' : 'inactive',
        managedBy: 'user',
        fingerprint: sshFingerprint(key.key),
        scopes: [key.read_only ? 'read' : 'write'],
        // Servers that track use send last_used (null when never used); older ones omit it. Field
        // by field: a literal opening with that spread gave each key a hidden class of its own.
        attributes: withFields(key.last_used !== undefined ? { usageTracked: true } : {}, {
          note: key.title,
          keyType: sshKeyType(key.key),
          readOnly: key.read_only,
          verified: key.verified,
        }),
      },
    ],
    entitlements: [entitlement],
    trustedBy: [],
    attributes: {
      repository: resource,
      ...(repo.archived !== undefined ? { repositoryArchived: repo.archived } : {}),
      keyId: key.id,
      readOnly: key.read_only,
      ...(key.added_by ? { addedBy: key.added_by } : {}),
    },
  };
}
