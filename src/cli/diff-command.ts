import type { Command } from 'commander';
import { forOutput, mapStrings, stringCleaner } from '../report/sanitize.js';
import { Option } from 'commander';
import { computeDrift } from '../drift/diff.js';
import type { Drift } from '../model/drift.js';
import { BY_EXTENSION, type Rendered } from '../report/formats.js';
import { parseOutputSpec } from '../report/output-files.js';
import { writeReports, writeStdout } from '../report/write.js';
import { chunked, jsonLayout } from '../report/json-layout.js';
import { cleanDrift } from '../report/drift-text.js';
import { driftMarkdown } from '../report/markdown.js';
import { driftSection, painter } from '../report/table.js';
import { failingFindings } from '../scan/gate.js';
import { EXIT } from '../util/errors.js';
import { loadScanState, prepareAnalysis } from './analysis-setup.js';
import { collect, effectiveFailOn, parseFailOn, type FailOn } from './options.js';

const DIFF_FORMATS = ['table', 'markdown', 'json'] as const;
type DiffFormat = (typeof DIFF_FORMATS)[number];

interface DiffOptions {
  format: DiffFormat;
  output: string[];
  failOn?: FailOn;
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
    .addOption(new Option('-f, --format <format>', 'format written to standard output').choices(DIFF_FORMATS).default('table'))
    .option('-o, --output <format=file>', `also write the drift to a file (repeatable): ${DIFF_FORMATS.join(', ')}`, collect, [])
    .option('--fail-on <severity>', 'exit 1 when a finding new in <new> is at or above this severity (none: never)', parseFailOn)
    .option('--rules <dir>', 'rule folders, when comparing bundle folders (repeatable)', collect, [])
    .option('-c, --config <file>', 'config file, when comparing bundle folders')
    .option('-m, --manifest <file>', 'agents manifest, when comparing bundle folders')
    .option('--suppressions <file>', 'suppressions file, when comparing bundle folders (repeatable)', collect, [])
    .option('--no-color', 'no ANSI colours')
    .action((oldPath: string, newPath: string, opts: DiffOptions) => {
      const outputs = opts.output.map((o) => parseOutputSpec(o, DIFF_FORMATS, BY_EXTENSION as Record<string, DiffFormat>));
      const { config, options } = prepareAnalysis(opts);
      const computed = computeDrift(loadScanState(oldPath, options), loadScanState(newPath, options));
      const color = opts.color && process.stdout.isTTY === true && !process.env.NO_COLOR;
      const width = process.stdout.columns ?? 120;
      // Each output rendered when its turn comes: a drift from an empty baseline lists every
      // finding of the estate, and a cleaned copy per output would hold it twice.
      const files = outputs.map(({ format, file }) => ({ file, text: () => renderDrift(format, computed, false, width) }));
      writeReports(files);
      writeStdout(renderDrift(opts.format, computed, color, width));
      const failOn = effectiveFailOn(opts.failOn, config.failOn);
      const failing = failOn ? failingFindings(computed.findings.new, failOn, false) : [];
      setExit(failing.length > 0 ? EXIT.findings : EXIT.ok);
    });
}

/** Text for terminals and job summaries is stripped of control characters; JSON escapes them
 * itself. Secrets are masked in all three. */
function renderDrift(format: DiffFormat, drift: Drift, color: boolean, width: number): Rendered {
  // In JSON, written in chunks, each item cleaned as it is written.
  if (format === 'json') return driftJsonChunks(drift);
  const clean = cleanDrift(drift, (v) => forOutput(v, true));
  if (format === 'markdown') return `${driftMarkdown(clean).join('\n')}\n`;
  return `${driftSection(clean, painter(color), width).join('\n')}\n`;
}

function* driftJsonChunks(drift: Drift): Generator<string> {
  const cleaner = stringCleaner(false);
  yield* chunked(jsonLayout(drift, (item) => mapStrings(item, cleaner)));
  yield '\n';
}
