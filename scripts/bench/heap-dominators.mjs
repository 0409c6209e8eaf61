#!/usr/bin/env node
// What holds a heap snapshot's memory (one written by `retained.mjs --snapshot`, or by
// v8.writeHeapSnapshot anywhere in a scan): the dominator tree above a size, the self size per
// object type, and the hidden classes only one object uses (spread copies at busy call sites
// made one per object; see src/util/with-fields.ts). Reads snapshots past V8's longest string
// (a 100,000-identity scan's is about 1 GB) by parsing the node and edge arrays itself. Not a test.
//
//   node --max-old-space-size=16000 scripts/bench/heap-dominators.mjs SNAPSHOT [--min-mib 1] [--depth 5]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'min-mib': { type: 'string', default: '1' }, depth: { type: 'string', default: '5' } },
});
if (positionals.length !== 1) {
  console.error('usage: node scripts/bench/heap-dominators.mjs SNAPSHOT [--min-mib 1] [--depth 5]');
  process.exit(2);
}
const MiB = (bytes) => (bytes / 2 ** 20).toFixed(1);
const minBytes = Number(opts['min-mib']) * 2 ** 20;

const buf = readFileSync(positionals[0]);
const at = (marker) => buf.indexOf(Buffer.from(marker));
/** The unsigned integers of the JSON array that opens after `marker`, without a string of it. */
function integersAfter(marker) {
  let out = new Uint32Array(1 << 20);
  let length = 0;
  let n = 0;
  let inNumber = false;
  for (let i = at(marker) + marker.length; ; i++) {
    const c = buf[i];
    if (c >= 48 && c <= 57) {
      n = n * 10 + (c - 48);
      inNumber = true;
      continue;
    }
    if (inNumber) {
      if (length === out.length) {
        const grown = new Uint32Array(out.length * 2);
        grown.set(out);
        out = grown;
      }
      out[length++] = n;
      n = 0;
      inNumber = false;
    }
    if (c === 93) return out.subarray(0, length);
  }
}
const meta = JSON.parse(`${buf.subarray(0, at('"nodes":[')).toString('utf8').replace(/,\s*$/, '')}}`).snapshot.meta;
const nodes = integersAfter('"nodes":[');
const edges = integersAfter('"edges":[');
const strings = JSON.parse(buf.subarray(at('"strings":[') + '"strings":'.length, buf.lastIndexOf(Buffer.from(']')) + 1).toString('utf8'));

const NF = meta.node_fields.length;
const EF = meta.edge_fields.length;
const nodeTypes = meta.node_types[0];
const edgeTypes = meta.edge_types[0];
const N = nodes.length / NF;
const type = (v) => nodeTypes[nodes[v * NF]];
const label = (v) => `${type(v)}:${String(strings[nodes[v * NF + 1]]).slice(0, 50)}`;
const selfSize = (v) => nodes[v * NF + 3];
const firstEdge = new Uint32Array(N + 1);
for (let v = 0, e = 0; v < N; v++) {
  firstEdge[v] = e;
  e += nodes[v * NF + 4] * EF;
  firstEdge[v + 1] = e;
}
// Weak and shortcut edges keep nothing alive.
const ignored = new Set([edgeTypes.indexOf('weak'), edgeTypes.indexOf('shortcut')]);
function eachEdge(v, fn) {
  for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += EF) if (!ignored.has(edges[e])) fn(edges[e + 2] / NF, e);
}
function edgeName(from, to) {
  let name = '?';
  eachEdge(from, (w, e) => {
    if (w !== to || name !== '?') return;
    const t = edgeTypes[edges[e]];
    name = t === 'element' || t === 'hidden' ? `[${edges[e + 1]}]` : String(strings[edges[e + 1]]);
  });
  return name;
}

// Depth-first postorder from the root, then dominators by Cooper, Harvey and Kennedy's iteration.
const order = new Int32Array(N).fill(-1);
const post = new Int32Array(N);
let reached = 0;
const next = new Uint32Array(N);
const seen = new Uint8Array(N);
const stack = [0];
seen[0] = 1;
next[0] = firstEdge[0];
while (stack.length) {
  const v = stack[stack.length - 1];
  let child = -1;
  while (child < 0 && next[v] < firstEdge[v + 1]) {
    const e = next[v];
    next[v] += EF;
    const w = edges[e + 2] / NF;
    if (!ignored.has(edges[e]) && !seen[w]) child = w;
  }
  if (child >= 0) {
    seen[child] = 1;
    next[child] = firstEdge[child];
    stack.push(child);
  } else {
    stack.pop();
    order[v] = reached;
    post[reached++] = v;
  }
}
const predStart = new Uint32Array(N + 1);
for (let v = 0; v < N; v++) if (seen[v]) eachEdge(v, (w) => predStart[w + 1]++);
for (let v = 0; v < N; v++) predStart[v + 1] += predStart[v];
const preds = new Uint32Array(predStart[N]);
const fill = predStart.slice(0, N);
for (let v = 0; v < N; v++) if (seen[v]) eachEdge(v, (w) => (preds[fill[w]++] = v));
const idom = new Int32Array(N).fill(-1);
idom[0] = 0;
const intersect = (a, b) => {
  while (a !== b) {
    while (order[a] < order[b]) a = idom[a];
    while (order[b] < order[a]) b = idom[b];
  }
  return a;
};
for (let changed = true; changed; ) {
  changed = false;
  for (let k = reached - 2; k >= 0; k--) {
    const v = post[k];
    let d = -1;
    for (let p = predStart[v]; p < predStart[v + 1]; p++) if (idom[preds[p]] !== -1) d = d === -1 ? preds[p] : intersect(preds[p], d);
    if (d !== idom[v]) {
      idom[v] = d;
      changed = true;
    }
  }
}
const retained = new Float64Array(N);
for (let k = 0; k < reached; k++) retained[post[k]] += selfSize(post[k]);
for (let k = 0; k < reached - 1; k++) retained[idom[post[k]]] += retained[post[k]];

console.log(`## ${positionals[0]}: ${MiB(retained[0])} MiB reachable\n\n### Dominator tree (parts of ${opts['min-mib']} MiB and more)`);
const children = new Map();
for (let k = 0; k < reached - 1; k++) {
  const v = post[k];
  if (retained[v] < minBytes) continue;
  if (!children.has(idom[v])) children.set(idom[v], []);
  children.get(idom[v]).push(v);
}
(function show(v, depth) {
  if (depth > Number(opts.depth)) return;
  for (const c of (children.get(v) ?? []).sort((a, b) => retained[b] - retained[a])) {
    console.log(`${'  '.repeat(depth)}${MiB(retained[c])} ${label(c)} via ${edgeName(v, c)}`);
    show(c, depth + 1);
  }
})(0, 0);

console.log('\n### Self size by type\n\n| MiB | objects | type:name |\n|---:|---:|---|');
const byType = new Map();
for (let v = 0; v < N; v++) {
  if (!seen[v]) continue;
  const key = label(v).slice(0, 40);
  const row = byType.get(key) ?? [0, 0];
  row[0] += selfSize(v);
  row[1]++;
  byType.set(key, row);
}
for (const [key, [bytes, count]] of [...byType].sort((a, b) => b[1][0] - a[1][0]).slice(0, 25)) console.log(`| ${MiB(bytes)} | ${count} | ${key.replace(/\|/g, '\\|')} |`);

console.log('\n### Hidden classes used by one object only, by the object\'s keys\n\n| classes | keys |\n|---:|---|');
const single = new Map();
for (let m = 0; m < N; m++) {
  if (!seen[m] || type(m) !== 'object shape' || strings[nodes[m * NF + 1]] !== 'system / Map') continue;
  const users = [];
  for (let p = predStart[m]; p < predStart[m + 1]; p++) {
    const o = preds[p];
    if (type(o) === 'object' && edgeName(o, m) === 'map') users.push(o);
  }
  if (users.length !== 1) continue;
  const keys = [];
  eachEdge(users[0], (_, e) => edgeTypes[edges[e]] === 'property' && keys.push(strings[edges[e + 1]]));
  const key = keys.filter((k) => k !== '__proto__').join(',').slice(0, 120);
  single.set(key, (single.get(key) ?? 0) + 1);
}
for (const [key, count] of [...single].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`| ${count} | ${key || '(none)'} |`);
