import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { computeDrift, markBaselineState } from '../drift/diff.js';
import { loadScanState, prepareAnalysis } from './analysis-setup.js';
import { failingFindings } from '../scan/gate.js';
import type { Provider } from '../model/inventory.js';
import { FORMATS, parseFormat, parseOutput, render, type Format } from '../report/formats.js';
import { analyseBundle, isIncomplete } from '../scan/analyse.js';
import type { ScanResult } from '../model/scan-result.js';
import { manifestLocator } from '../report/sarif-locations.js';
import { writeReports, writeStdout, type ReportFile } from '../report/write.js';
import { EXIT, InputError } from '../util/errors.js';
import { collect, effectiveFailOn, parseFailOn, parseProviders, type FailOn } from './options.js';
import { resolveScanInput } from './scan-input.js';
import { addLiveCollectOptions, type LiveCollectOptions } from './collect-command.js';

interface ScanOptions extends LiveCollectOptions {
  demo?: boolean;
  from?: string[];
  provider?: Provider[];
  format: string;
  output: string[];
  failOn?: FailOn;
  allowPartial?: boolean;
  rules: string[];
  config?: string;
  color: boolean;
  includeProviderManaged?: boolean;
  sarifArtifact?: string;
  baseline?: string;
  saveSnapshot?: string;
  newOnly?: boolean;
  manifest?: string;
  suppressions: string[];
}

export function registerScanCommand(program: Command, setExit: (code: number) => void): void {
  const scan = program
    .command('scan')
    .description('Analyse identities and report findings: live (--provider …), from collected bundles (--from), or the demo estate.')
    .option('--demo', 'scan the bundled demo estate (all four providers)')
    .option('--from <dir>', 'scan a bundle folder written by `agentscan collect` (repeatable, or a folder of bundles: analysed as one)', collect)
    .option('-p, --provider <list>', 'providers to scan: collected live without --from/--demo, else a filter on the bundle', parseProviders)
    .addOption(new Option('-f, --format <format>', 'format written to standard output').choices(FORMATS).default('table'))
    .option('-o, --output <format=file>', 'also write a report to a file (repeatable), e.g. sarif=results.sarif', collect, [])
    .option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity (none: never; overrides the config file)', parseFailOn)
    .option('--allow-partial', 'exit 0/1 even when the collection is incomplete (default: exit 3)')
    .option('--rules <dir>', 'add a folder of rule files (repeatable)', collect, [])
    .option('-c, --config <file>', 'config file (default: ./agentscan.yaml when present)')
    .option('--baseline <file|dir>', 'compare with a snapshot (a JSON report) or an earlier bundle folder, and report drift')
    .option('--new-only', 'with --fail-on: fail only on findings that are new since the baseline')
    .option('--save-snapshot <file>', 'write this scan as a snapshot (the JSON report) to use as a later baseline')
    .option('-m, --manifest <file>', 'agents manifest (agents.yaml): report drift from declared intent')
    .option('--suppressions <file>', 'a YAML file of suppressions (repeatable), in addition to agentscan.yaml\'s', collect, [])
    .option('--sarif-artifact <path>', 'repository file SARIF results point at (default: the bundle.json scanned)')
    .option('--no-color', 'no ANSI colours in the table')
    .option('--include-provider-managed', "list provider-managed identities (service-linked roles, Google service agents, Microsoft first-party apps) in the table; JSON always has them");
  addLiveCollectOptions(scan).action(async (opts: ScanOptions) => setExit(await runScan(opts)));
}

async function runScan(opts: ScanOptions): Promise<number> {
  const outputs = opts.output.map(parseOutput);
  const stdoutFormat: Format = parseFormat(opts.format);
  if (opts.newOnly && !opts.baseline) throw new InputError('--new-only needs --baseline FILE to tell what is new');
  const { config, options: analyseOptions } = prepareAnalysis(opts);
  // Read the baseline before collecting, so a bad baseline path fails fast.
  const baseline = opts.baseline ? loadScanState(opts.baseline, analyseOptions) : undefined;
  const bundle = await resolveScanInput(opts);
  let scan = analyseBundle(bundle, analyseOptions);
  if (baseline) {
    const drift = computeDrift(baseline, { source: bundle.dir, ...scan });
    scan = { ...scan, drift, findings: markBaselineState(scan.findings, drift) };
  }

  const warned = new Set<string>();
  const ctx = {
    warn: (message: string) => {
      if (!warned.has(message)) process.stderr.write(`agentscan: warning: ${message}\n`);
      warned.add(message);
    },
    generatedAt: new Date().toISOString(),
    color: opts.color && process.stdout.isTTY === true && !process.env.NO_COLOR,
    width: process.stdout.columns ?? 120,
    includeProviderManaged: opts.includeProviderManaged === true,
    sarifArtifact: opts.sarifArtifact ?? defaultSarifArtifact(opts, bundle.dir, config.file),
    ...(analyseOptions.manifest?.location && { sarifLocate: manifestLocator(scan, analyseOptions.manifest.location) }),
  };
  // Files are written all or nothing (report/write.ts), then standard output. The snapshot is the
  // JSON report: when that is written too, it is copied.
  const inFile = (format: Format) => () => render(format, scan, { ...ctx, color: false });
  const files: ReportFile[] = outputs.map(({ format, file }) => ({ file, text: inFile(format) }));
  if (opts.saveSnapshot) {
    const json = outputs.find((o) => o.format === 'json');
    files.push({ file: opts.saveSnapshot, text: inFile('json'), ...(json && { sameAs: json.file }) });
  }
  writeReports(files, opts.from?.length ? opts.from : opts.demo ? [bundle.dir] : []);
  writeStdout(render(stdoutFormat, scan, ctx));

  if (isIncomplete(scan)) {
    const why = incompleteBecause(scan);
    process.stderr.write(
      opts.allowPartial
        ? `agentscan: warning: the scan is incomplete (${why}); --allow-partial given\n`
        : `agentscan: the scan is incomplete (${why}); exiting 3. Pass --allow-partial to accept partial results.\n`,
    );
    if (!opts.allowPartial) return EXIT.incomplete;
  }
  const failOn = effectiveFailOn(opts.failOn, config.failOn);
  if (failOn && failingFindings(scan.findings, failOn, opts.newOnly === true).length > 0) return EXIT.findings;
  return EXIT.ok;
}


/** GitHub needs a repository file to hang results on: the bundle scanned, or for a live scan
 * (whose bundle is temporary) the config file. */
function defaultSarifArtifact(opts: ScanOptions, bundleDir: string, configFile: string | undefined): string {
  if (opts.from?.length || opts.demo) return relative(process.cwd(), join(bundleDir, 'bundle.json')) || 'bundle.json';
  return configFile ? relative(process.cwd(), configFile) : 'agentscan.yaml';
}

/** What made a scan partial: failed calls (their coverage entries), rules that failed to evaluate (named), or both. */
export function incompleteBecause(scan: Pick<ScanResult, 'coverage' | 'ruleErrors'>): string {
  const parts: string[] = [];
  const failed = scan.coverage.filter((c) => c.status === 'error').length;
  if (failed > 0) parts.push(`${failed} failed ${failed === 1 ? 'call' : 'calls'}: see the coverage entries`);
  const rules = [...new Set(scan.ruleErrors.map((e) => e.ruleId))];
  if (rules.length > 0) {
    const first = scan.ruleErrors[0];
    const named = rules.slice(0, 3).join(', ') + (rules.length > 3 ? ` and ${rules.length - 3} more` : '');
    parts.push(`${rules.length === 1 ? 'rule' : 'rules'} ${named} failed to evaluate (${rules.length === 1 ? '' : `${first.ruleId}: `}${first.message})`);
  }
  return parts.join('; ');
}
