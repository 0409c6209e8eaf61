import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { AgentSignal, Entitlement, Identity } from '../model/inventory.js';
import { PROVIDERS } from '../model/inventory.js';
import { InputError } from '../util/errors.js';
import { globToRegExp } from '../util/glob.js';
import { displayPath, readYamlFile, yamlLineFinder } from '../util/yaml-file.js';
import { dateOrTime, DAY_MS, expiryInstant } from '../util/dates.js';

// agents.yaml: the agents a team says it runs, how to recognise the identities each one uses,
// and what each is allowed. Declared intent is authoritative for recognition, and every
// difference between it and reality becomes a finding (rules/drift/).

const matcherSchema = z
  .strictObject({
    provider: z.enum(PROVIDERS).optional().describe('Only identities of this provider.'),
    id: z.string().min(1).optional().describe('Identity id, e.g. aws:123456789012:role/triage-agent; * and ? are wildcards.'),
    name: z.string().min(1).optional().describe('Identity name; * and ? are wildcards.'),
    tag: z
      .string()
      .min(1)
      .optional()
      .describe('A tag or label, as key=value (value may use wildcards) or just key.'),
  })
  .refine((m) => m.id || m.name || m.tag, { message: 'a match needs at least one of id, name or tag' });

const agentSchema = z.strictObject({
  name: z.string().min(1).describe('The agent, as the team calls it.'),
  owner: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional().describe('Who answers for it: an e-mail, login or object id (or several).'),
  purpose: z.string().optional().describe('What the agent is for.'),
  match: z.array(matcherSchema).min(1).describe('How to recognise the identities it acts through; any match counts.'),
  allow: z
    .array(z.string().min(1))
    .optional()
    .describe('Permissions, roles or policies it may hold (wildcards allowed), e.g. bedrock:InvokeModel, s3:Get*, roles/aiplatform.user, ReadOnlyAccess.'),
  maxCredentialAgeDays: z.number().int().positive().optional().describe('The oldest credential it may hold, in days.'),
  expires: dateOrTime.optional().describe('When this declaration, a temporary exception, ends.'),
});

export const manifestSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1).describe('Manifest format version.'),
    agents: z.array(agentSchema).describe('The declared agents.'),
  })
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    m.agents.forEach((a, i) => {
      if (seen.has(a.name)) ctx.addIssue({ code: 'custom', path: ['agents', i, 'name'], message: `agent "${a.name}" is declared twice` });
      seen.add(a.name);
    });
  });

export type Manifest = z.infer<typeof manifestSchema>;
export type DeclaredAgent = Manifest['agents'][number];

/** Where a manifest and its entries are written, so code-scanning alerts can point at them. */
export interface ManifestLocation {
  /** The file as given (relative to the working folder when inside it). */
  file: string;
  /** Line of the `agents:` key. */
  agentsLine: number;
  /** Line of each declared agent's entry, by name. */
  agentLines: Record<string, number>;
}

export type LoadedManifest = Manifest & { location?: ManifestLocation };

export function loadManifest(file: string): LoadedManifest {
  if (!existsSync(file)) throw new InputError('manifest file does not exist', file);
  const manifest = readYamlFile(file, manifestSchema);
  const lineOf = yamlLineFinder(readFileSync(file, 'utf8'));
  const location: ManifestLocation = {
    file: displayPath(file),
    agentsLine: lineOf(['agents']) ?? 1,
    agentLines: Object.fromEntries(manifest.agents.map((a, i) => [a.name, lineOf(['agents', i]) ?? 1])),
  };
  return { ...manifest, location };
}

/** What the manifest says about one identity, merged over every agent that claims it. */
export interface Declared {
  agents: string[];
  owners: string[];
  allow?: string[];
  maxCredentialAgeDays?: number;
}

/** One declared agent, as the `declaration` rules see it. */
export interface DeclarationView {
  name: string;
  owners: string[];
  purpose?: string;
  matches: string[];
  expires?: string;
  expired: boolean;
  expiredDays?: number;
}

export interface ManifestFacts {
  declared: Map<string, Declared>;
  declarations: DeclarationView[];
  /** Per identity, per entitlement key: permissions beyond what was declared. */
  undeclared: Map<string, Map<Entitlement, string[]>>;
}

const owners = (a: DeclaredAgent) => (a.owner === undefined ? [] : Array.isArray(a.owner) ? a.owner : [a.owner]);

function matches(identity: Identity, m: DeclaredAgent['match'][number]): boolean {
  if (m.provider && identity.provider !== m.provider) return false;
  if (m.id && !globToRegExp(m.id).test(identity.id)) return false;
  if (m.name && !globToRegExp(m.name).test(identity.name)) return false;
  if (m.tag) {
    const [key, value] = m.tag.includes('=') ? m.tag.split(/=(.*)/s) : [m.tag, undefined];
    const actual = identity.tags[key];
    if (actual === undefined || (value !== undefined && !globToRegExp(value).test(actual))) return false;
  }
  return true;
}

/** Permissions of a grant that no allow pattern covers; a pattern naming the grant itself (a
 * role or policy name) covers all of it. */
function beyondAllowance(e: Entitlement, allow: RegExp[]): string[] {
  if (e.effect === 'deny') return [];
  if (allow.some((p) => p.test(e.via.name) || (e.via.id !== undefined && p.test(e.via.id)))) return [];
  return e.permissions.filter((perm) => !allow.some((p) => p.test(perm)));
}

export function matchManifest(identities: Identity[], manifest: Manifest, now: string): ManifestFacts {
  const declared = new Map<string, Declared>();
  const declarations: DeclarationView[] = [];
  for (const agent of manifest.agents) {
    const hits = identities.filter((i) => agent.match.some((m) => matches(i, m)));
    const expiresAt = agent.expires ? expiryInstant(agent.expires) : undefined;
    const expired = expiresAt !== undefined && expiresAt < Date.parse(now);
    declarations.push({
      name: agent.name,
      owners: owners(agent),
      ...(agent.purpose && { purpose: agent.purpose }),
      matches: hits.map((i) => i.id),
      ...(agent.expires && { expires: agent.expires }),
      expired,
      ...(expired && { expiredDays: Math.floor((Date.parse(now) - expiresAt!) / DAY_MS) }),
    });
    for (const identity of hits) {
      const d = declared.get(identity.id) ?? { agents: [], owners: [] };
      d.agents.push(agent.name);
      d.owners.push(...owners(agent).filter((o) => !d.owners.includes(o)));
      if (agent.allow) d.allow = [...(d.allow ?? []), ...agent.allow];
      if (agent.maxCredentialAgeDays !== undefined) {
        d.maxCredentialAgeDays = Math.min(d.maxCredentialAgeDays ?? Infinity, agent.maxCredentialAgeDays);
      }
      declared.set(identity.id, d);
    }
  }
  const undeclared = new Map<string, Map<Entitlement, string[]>>();
  for (const identity of identities) {
    const d = declared.get(identity.id);
    if (!d?.allow) continue;
    const allow = d.allow.map((p) => globToRegExp(p, { caseInsensitive: true }));
    undeclared.set(identity.id, new Map(identity.entitlements.map((e) => [e, beyondAllowance(e, allow)])));
  }
  return { declared, declarations, undeclared };
}

/** Declared agents are agents: the manifest is the authoritative signal. */
export function manifestSignals(facts: ManifestFacts, identityId: string): AgentSignal[] {
  const d = facts.declared.get(identityId);
  if (!d) return [];
  return [{ kind: 'manifest', points: 'agent', weight: 1, evidence: `declared in the agents manifest as ${d.agents.join(', ')}` }];
}
