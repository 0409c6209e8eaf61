import { Option, type Command } from 'commander';
import { loadBundle } from '../bundle/load.js';
import { loadPatterns } from '../classify/patterns.js';
import { ReachReader, type ReachTargetView } from '../facts/reach/view.js';
import type { AccessLevel, Identity } from '../model/inventory.js';
import type { Reach, ReachTarget } from '../model/reach.js';
import { ReachSearch } from '../facts/reach/reach.js';
import { forOutput } from '../report/sanitize.js';
import { analyseBundle } from '../scan/analyse.js';
import { InputError } from '../util/errors.js';
import { levelRank, ownLevel } from '../facts/reach/graph.js';
import { parseProviders } from './options.js';
import type { Provider } from '../model/inventory.js';

// `agentscan paths`: the chains behind reach, one hop a line, for people; the same as JSON for
// tools. Reads a bundle offline; no rules run, so it answers "how" without judging.

const LEVELS = ['admin', 'write', 'read'] as const;
const FORMATS = ['text', 'json'] as const;

interface PathsOptions {
  from: string;
  identity?: string;
  to?: string;
  toLevel?: AccessLevel;
  format: (typeof FORMATS)[number];
  provider?: Provider[];
}

interface PathsAnswer {
  identity: { id: string; name: string; provider: Provider; kind: string; verdict: string };
  /** Identities it can become in all; more than `targets` lists when no filter asked for every chain. */
  count: number;
  targets: Array<ReachTargetView & { steps: Array<{ from: string; to: string; kind: string; evidence: string; condition?: string }> }>;
}

export function registerPathsCommand(program: Command): void {
  program
    .command('paths')
    .description('Show what identities can become through chains of trust, impersonation and ownership, hop by hop.')
    .requiredOption('--from <bundle>', 'bundle folder to read')
    .option('--identity <id>', 'only chains from this identity (its id, or a name only one identity has)')
    .option('--to <id>', 'only chains to this identity (its id, or a unique name)')
    .addOption(new Option('--to-level <level>', 'only chains to identities holding at least this level').choices(LEVELS))
    .option('-p, --provider <list>', 'only these providers of the bundle (aws, gcp, github, entra)', parseProviders)
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('text'))
    .action((opts: PathsOptions) => {
      const result = analyseBundle(loadBundle(opts.from), { rules: [], settings: new Map(), patterns: loadPatterns(), providers: opts.provider });
      const answers = pathsOf(result.identities, result.reach!, { ...opts, now: result.collectedAt });
      process.stdout.write(opts.format === 'json' ? `${JSON.stringify(forOutput(answers, false), null, 2)}\n` : forOutput(renderPaths(answers, opts), true));
    });
}

/** An identity by id, else by a name only one identity carries; a clear error otherwise. */
function findIdentity(identities: Identity[], wanted: string, flag: string): Identity {
  const byId = identities.find((i) => i.id === wanted);
  if (byId) return byId;
  const named = identities.filter((i) => i.name === wanted);
  if (named.length === 1) return named[0];
  if (named.length > 1) throw new InputError(`${flag} ${wanted}: several identities are called that; give one of their ids: ${named.map((i) => i.id).join(', ')}`);
  throw new InputError(`${flag} ${wanted}: no identity with that id or name in the bundle`);
}

export function pathsOf(identities: Identity[], reach: Reach, opts: Pick<PathsOptions, 'identity' | 'to' | 'toLevel'> & { now?: string }): PathsAnswer[] {
  // Levels at the bundle's clock, as the scan judged them: a grant whose end has passed is none.
  const reader = new ReachReader(reach, identities, opts.now);
  const sources = opts.identity ? [findIdentity(identities, opts.identity, '--identity')] : identities.filter((i) => reach.byIdentity[i.id]);
  const to = opts.to ? findIdentity(identities, opts.to, '--to').id : undefined;
  // The scan keeps the most telling targets of each identity; a question about one identity or
  // one target searches again, so every chain it asks for is there.
  const full = opts.identity || to || opts.toLevel ? new ReachSearch(reach.nodes, reach.edges) : undefined;
  const byId = new Map(identities.map((i) => [i.id, i]));
  const levels = new Map<string, AccessLevel | undefined>();
  const levelOf = (id: string) => {
    if (!levels.has(id)) levels.set(id, byId.has(id) ? ownLevel(byId.get(id)!, opts.now) : undefined);
    return levels.get(id);
  };
  const answers: PathsAnswer[] = [];
  for (const source of sources) {
    const entry = reach.byIdentity[source.id];
    let candidates: ReachTarget[] = entry?.targets ?? [];
    if (full && entry) {
      const s = full.index.get(source.id)!;
      candidates = full.search(s).map((v) => {
        const id = reach.nodes[v].id;
        const level = levelOf(id);
        return { identityId: id, provider: reach.nodes[v].provider, ...(level ? { level } : {}), chain: full.chain(v) };
      });
    }
    const targets = candidates
      .filter((t) => (!to || t.identityId === to) && (!opts.toLevel || levelRank(t.level) >= levelRank(opts.toLevel)))
      .map((t) => ({
        ...reader.target(t),
        steps: t.chain.map((i) => {
          const e = reach.edges[i];
          return { from: e.from, to: e.to, kind: e.kind, evidence: e.evidence, ...(e.condition ? { condition: e.condition } : {}) };
        }),
      }));
    if (targets.length === 0 && !opts.identity) continue;
    answers.push({
      identity: { id: source.id, name: source.name, provider: source.provider, kind: source.kind, verdict: source.agent.verdict },
      count: full ? targets.length : (entry?.count ?? 0),
      targets,
    });
  }
  return answers;
}

export function renderPaths(answers: PathsAnswer[], opts: Pick<PathsOptions, 'identity' | 'to' | 'toLevel'>): string {
  const filter = [opts.to && `to ${opts.to}`, opts.toLevel && `holding ${opts.toLevel} or more`].filter(Boolean).join(', ');
  if (answers.length === 0) return `No identity can become another${filter ? ` (${filter})` : ''}.\n`;
  const out: string[] = [];
  for (const a of answers) {
    const who = `${a.identity.name} (${a.identity.id}, ${a.identity.verdict})`;
    if (a.targets.length === 0) {
      out.push(`${who} can become no other identity${filter ? ` ${filter}` : ''}.`, '');
      continue;
    }
    const more = a.count > a.targets.length ? ` (the ${a.targets.length} most telling here; --identity ${a.identity.id} lists every one)` : '';
    out.push(`${who} can become ${a.count} ${a.count === 1 ? 'identity' : 'identities'}${filter ? ` ${filter}` : ''}${more}:`);
    for (const t of a.targets) {
      out.push(`  → ${t.name} (${t.provider}${t.level ? `, ${t.level}` : ', no access of its own'}) in ${t.hops} ${t.hops === 1 ? 'hop' : 'hops'}`);
      t.chain.forEach((step, n) => out.push(`      ${n + 1}. ${step}`));
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
