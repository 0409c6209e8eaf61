import { InvalidArgumentError } from 'commander';
import { SEVERITIES, type Severity } from '../model/finding.js';
import { PROVIDERS, type Provider } from '../model/inventory.js';

export function parseSeverity(value: string): Severity {
  if (!(SEVERITIES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${SEVERITIES.join(', ')}`);
  }
  return value as Severity;
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
