import type { Command } from 'commander';
import { forOutput } from '../report/sanitize.js';
import { Option } from 'commander';
import { computeDrift } from '../drift/diff.js';
import type { Severity } from '../model/finding.js';
import { driftMarkdown } from '../report/markdown.js';
import { driftSection, painter } from '../report/table.js';
import { failingFindings } from '../scan/gate.js';
import { EXIT } from '../util/errors.js';
import { loadScanState, prepareAnalysis } from './analysis-setup.js';
import { collect, parseSeverity } from './options.js';

interface DiffOptions {
  format: 'table' | 'markdown' | 'json';
  failOn?: Severity;
  rules: string[];
  config?: string;
  manifest?: string;
  suppressions: string[];
  color: boolean;
}

export function registerDiffCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('diff')
    .description('Compare two snapshots (JSON reports) or bundle folders, without scanning anything live.')
    .argument('<old>', 'the earlier snapshot file or bundle folder')
    .argument('<new>', 'the later snapshot file or bundle folder')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'markdown', 'json']).default('table'))
    .option('--fail-on <severity>', 'exit 1 when a finding new in <new> is at or above this severity', parseSeverity)
    .option('--rules <dir>', 'rule folders, when comparing bundle folders (repeatable)', collect, [])
    .option('-c, --config <file>', 'config file, when comparing bundle folders')
    .option('-m, --manifest <file>', 'agents manifest, when comparing bundle folders')
    .option('--suppressions <file>', 'suppressions file, when comparing bundle folders (repeatable)', collect, [])
    .option('--no-color', 'no ANSI colours')
    .action((oldPath: string, newPath: string, opts: DiffOptions) => {
      const { options } = prepareAnalysis(opts);
      const computed = computeDrift(loadScanState(oldPath, options), loadScanState(newPath, options));
      const drift = forOutput(computed, opts.format !== 'json');
      if (opts.format === 'json') process.stdout.write(`${JSON.stringify(drift, null, 2)}\n`);
      else if (opts.format === 'markdown') process.stdout.write(`${driftMarkdown(drift).join('\n')}\n`);
      else {
        const color = opts.color && process.stdout.isTTY === true && !process.env.NO_COLOR;
        process.stdout.write(`${driftSection(drift, painter(color), process.stdout.columns ?? 120).join('\n')}\n`);
      }
      const failing = opts.failOn ? failingFindings(computed.findings.new, opts.failOn, false) : [];
      setExit(failing.length > 0 ? EXIT.findings : EXIT.ok);
    });
}
