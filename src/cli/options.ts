import { InvalidArgumentError } from 'commander';
import { SEVERITIES, type Severity } from '../model/finding.js';
import { PROVIDERS, type Provider } from '../model/inventory.js';

/** A --fail-on value: a severity, or `none` to turn the gate off (overriding a config file's failOn). */
export type FailOn = Severity | 'none';

export function parseFailOn(value: string): FailOn {
  if (value === 'none' || value === 'off') return 'none';
  if (!(SEVERITIES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${SEVERITIES.join(', ')}, or none to turn the gate off`);
  }
  return value as Severity;
}

/** The threshold in force: the command line's, else the config file's; `none` means no gate. */
export function effectiveFailOn(cli: FailOn | undefined, config: FailOn | undefined): Severity | undefined {
  const value = cli ?? config;
  return value === 'none' ? undefined : value;
}

export function parseProviders(value: string, previous: Provider[] = []): Provider[] {
  const out = [...previous];
  for (const p of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!(PROVIDERS as readonly string[]).includes(p)) throw new InvalidArgumentError(`unknown provider "${p}"; expected ${PROVIDERS.join(', ')}`);
    if (!out.includes(p as Provider)) out.push(p as Provider);
  }
  return out;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
