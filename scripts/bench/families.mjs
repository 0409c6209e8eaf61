#!/usr/bin/env node
// Prints the finding families and rules of a JSON report (`scan -f json`), to check that a
// generated bundle exercises every rule family.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2] ?? 0, 'utf8'));
const count = (key) => report.findings.reduce((m, f) => m.set(f[key], (m.get(f[key]) ?? 0) + 1), new Map());
console.log(JSON.stringify({ identities: report.identities.length, findings: report.findings.length, families: Object.fromEntries(count('family')), rules: Object.fromEntries(count('ruleId')), byProvider: Object.fromEntries(count('provider')) }, null, 1));
