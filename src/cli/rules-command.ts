import type { Command } from 'commander';
import { Option } from 'commander';
import Table from 'cli-table3';
import { OWASP_NHI, SEVERITY_RANK } from '../model/finding.js';
import { applyOverrides, loadConfig } from '../config/config.js';
import { loadRules, type CompiledRule } from '../rules/load.js';
import { InputError } from '../util/errors.js';
import { displayPath } from '../util/yaml-file.js';
import { COMPACT } from '../report/text.js';
import { collect } from './options.js';

interface RulesOptions {
  rules: string[];
  config?: string;
  format: 'table' | 'json';
}

function load(opts: RulesOptions): CompiledRule[] {
  const config = loadConfig(opts.config);
  const { rules, settings } = applyOverrides(loadRules([...config.rules, ...opts.rules]), config);
  return rules
    .map((r) => ({ ...r, severity: settings.get(r.id)!.severity, parameters: settings.get(r.id)!.parameters }))
    .sort((a, b) => a.family.localeCompare(b.family) || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.id.localeCompare(b.id));
}

function plain(rule: CompiledRule) {
  const { test, evidenceExprs, messageParts, commandParts, ...spec } = rule;
  void test, evidenceExprs, messageParts, commandParts;
  return { ...spec, file: displayPath(spec.file) };
}

export function registerRulesCommand(program: Command): void {
  const rules = program.command('rules').description('List and explain the rules.');
  const common = (c: Command) =>
    c
      .option('--rules <dir>', 'add a folder of rule files (repeatable)', collect, [])
      .option('-c, --config <file>', 'config file (default: ./agentscan.yaml when present)')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'));

  common(rules.command('list').description('List rules: id, family, severity, OWASP NHI ids, title.')).action(
    (opts: RulesOptions) => {
      const list = load(opts);
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify(list.map(plain), null, 2)}\n`);
        return;
      }
      const t = new Table({ head: ['ID', 'Family', 'Severity', 'OWASP', 'Title'], chars: COMPACT, style: { head: [], border: [] } });
      for (const r of list) t.push([r.id, r.family, r.severity, r.owasp.join(' '), r.title]);
      process.stdout.write(`${t.toString()}\n${list.length} rules\n`);
    },
  );

  common(rules.command('show').argument('<id>', 'rule id').description('Show one rule in full.')).action(
    (id: string, opts: RulesOptions) => {
      const list = load(opts);
      const rule = list.find((r) => r.id === id);
      if (!rule) {
        const near = list.filter((r) => r.id.includes(id) || id.includes(r.id)).map((r) => r.id);
        throw new InputError(`no rule "${id}"${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; see \`agentscan rules list\``);
      }
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify(plain(rule), null, 2)}\n`);
        return;
      }
      const params = Object.entries(rule.parameters);
      const lines = [
        `${rule.id} — ${rule.title}`,
        '',
        `family:     ${rule.family}`,
        `severity:   ${rule.severity}`,
        `OWASP:      ${rule.owasp.map((o) => `${o} (${OWASP_NHI[o]})`).join(', ')}`,
        `providers:  ${(rule.providers ?? ['all']).join(', ')}`,
        `looks at:   each ${rule.target}`,
        `file:       ${displayPath(rule.file)}`,
        '',
        rule.description.trim(),
        '',
        'Condition (CEL):',
        `  ${rule.condition.trim()}`,
        ...(params.length ? ['', 'Parameters:', ...params.map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`)] : []),
        '',
        'Remediation:',
        `  ${rule.remediation.text.trim()}`,
        ...Object.entries(rule.remediation.commands ?? {}).map(([p, c]) => `  ${p}: ${c}`),
        ...(rule.references.length ? ['', 'References:', ...rule.references.map((r) => `  ${r}`)] : []),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    },
  );
}
