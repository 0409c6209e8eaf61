import type { Identity } from '../../src/model/inventory.js';

/** A clean, owned, non-agent identity; tests override only the fields their case is about. */
export function makeIdentity(partial: Partial<Identity> & { verdict?: Identity['agent']['verdict'] } = {}): Identity {
  const { verdict, ...rest } = partial;
  return {
    id: 'aws:111111111111:role/test-identity',
    provider: 'aws',
    kind: 'iam-role',
    name: 'test-identity',
    container: { type: 'account', id: '111111111111' },
    owners: [{ id: 'owner@example.com', kind: 'user', source: 'tag' }],
    tags: {},
    enabled: true,
    human: false,
    agent: { verdict: verdict ?? 'automation', confidence: verdict ? 0.9 : 0.6, signals: [] },
    credentials: [],
    entitlements: [],
    trustedBy: [],
    attributes: {},
    ...rest,
  };
}
