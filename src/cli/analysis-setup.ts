import { existsSync } from 'node:fs';
import { loadBundle } from '../bundle/load.js';
import { loadPatterns } from '../classify/patterns.js';
import { applyOverrides, loadConfig, type Config } from '../config/config.js';
import { loadSuppressionsFile } from '../config/suppressions.js';
import type { DriftSide, ScanState } from '../drift/diff.js';
import { loadManifest } from '../drift/manifest.js';
import { isSnapshotFile, openSnapshot } from '../drift/snapshot.js';
import type { Provider } from '../model/inventory.js';
import { loadRules } from '../rules/load.js';
import { analyseBundle, type AnalyseOptions } from '../scan/analyse.js';
import { InputError } from '../util/errors.js';
import { boundHeapGrowth } from '../util/heap-growth.js';
import { displayPath } from '../util/yaml-file.js';

export interface SetupOptions {
  config?: string;
  rules: string[];
  manifest?: string;
  suppressions: string[];
  provider?: Provider[];
}

/** Config, rules, patterns, manifest and suppressions: everything an analysis needs but the data. */
export function prepareAnalysis(opts: SetupOptions): { config: Config; options: AnalyseOptions } {
  const config = loadConfig(opts.config);
  const { rules, settings } = applyOverrides(loadRules([...config.rules, ...opts.rules]), config);
  const manifestFile = opts.manifest ?? config.manifest;
  return {
    config,
    options: {
      rules,
      settings,
      patterns: loadPatterns(config.agentPatterns),
      providers: opts.provider,
      ...(manifestFile && { manifest: loadManifest(manifestFile) }),
      suppressions: [...config.suppressions, ...opts.suppressions.flatMap(loadSuppressionsFile)],
    },
  };
}

/** A snapshot file (indexed; drift reads back what it reports), or a bundle folder analysed
 * with the same rules and inputs as the scan. */
export function loadScanState(path: string, options: AnalyseOptions): ScanState | DriftSide {
  if (isSnapshotFile(path)) {
    const snapshot = openSnapshot(path);
    boundHeapGrowth();
    return snapshot;
  }
  if (!existsSync(path)) throw new InputError('does not exist (give a snapshot file or a bundle folder)', path);
  return { source: displayPath(path), ...analyseBundle(loadBundle(path), options) };
}
