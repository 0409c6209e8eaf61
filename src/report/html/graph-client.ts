// The graph view's browser code, shipped inline after dagre's browser build (which defines
// `dagre` in the same function scope, see graph.ts). Plain DOM and SVG: every estate string
// reaches the page through textContent or setAttribute, never innerHTML, so a hostile name is
// only ever text. Written as ES2020 without template literals, so it can live in this string.
//
// The page carries the graph, not each identity's reach (at 100,000 identities that would be
// millions of targets): what a selection reaches is a breadth-first search from it over the
// hops that are not gated, edges taken in the order they came, which is exactly how
// computeReach finds its shortest chains, so the page and the JSON report agree hop for hop.
//
// A layout of thousands of nodes is slow and unreadable, so at most LIMIT nodes are drawn: the
// whole graph when it is that small, otherwise the neighbourhood of the selected identity (its
// reach, the chains to it, who can act as it, and the gated hops it cannot take), with the
// count of what is hidden.

export const GRAPH_CLIENT = String.raw`
(function () {
  'use strict';
  var source = document.getElementById('agentscan-graph');
  var svg = document.getElementById('graph-svg');
  if (!source || !svg) return;
  var data = JSON.parse(source.textContent);
  var LIMIT = 300;
  var LEVELS = ['', 'read', 'write', 'admin'];
  var PROVIDERS = { aws: 'AWS', gcp: 'Google Cloud', github: 'GitHub', entra: 'Entra ID' };
  var SVGNS = 'http://www.w3.org/2000/svg';
  var nodes = data.nodes, edges = data.edges;
  var CANDIDATES = 12;
  var viewport = document.getElementById('graph-viewport');
  var panel = document.getElementById('graph-panel');
  var count = document.getElementById('graph-count');
  var search = document.getElementById('graph-search');
  var matches = document.getElementById('graph-matches');
  var full = nodes.length <= LIMIT;

  var out = nodes.map(function () { return []; });
  var inc = nodes.map(function () { return []; });
  edges.forEach(function (e, i) { out[e.from].push(i); inc[e.to].push(i); });

  var state = { sel: -1, target: -1, reach: null };
  var drawn = null;
  var view = { x: 0, y: 0, k: 1 };

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = String(text);
    return n;
  }
  function sv(tag, cls) {
    var n = document.createElementNS(SVGNS, tag);
    if (cls) n.setAttribute('class', cls);
    return n;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) if (arguments[i]) parent.appendChild(arguments[i]);
    return parent;
  }
  function provName(p) { return PROVIDERS[p] || p; }
  function label(n) { var s = nodes[n].name; return s.length > 30 ? s.slice(0, 29) + '\u2026' : s; }
  function levelBadge(rank) { return rank ? el('span', 'lvl lvl-' + LEVELS[rank], LEVELS[rank]) : null; }
  function rankOf(n) { return nodes[n].level ? LEVELS.indexOf(nodes[n].level) : 0; }
  function gateText(e) { return 'requires ' + e.gated + ' \u2014 not followed'; }
  // The gate is said once: an AWS hop's condition already reads "requires MFA".
  function edgeText(e) {
    var cond = e.condition && (!e.gated || e.condition !== 'requires ' + e.gated) ? ' (if ' + e.condition + ')' : '';
    return e.kind + ': ' + e.evidence + cond + (e.gated ? ' \u2014 ' + gateText(e) : '');
  }
  // One formatter: toLocaleString makes a new one on every call, which a list of hundreds feels.
  var numberFormat = new Intl.NumberFormat('en');
  function num(n) { return numberFormat.format(n); }
  function plural(n, word, many) { return num(n) + ' ' + (n === 1 ? word : many || word + 's'); }

  // What n can become, searched as computeReach searches: breadth first over the hops that
  // are not gated, each node's edges in their order, so the first way found to a node is its
  // shortest chain. parent[v] is the edge it was reached by (-1 the source, -2 not reached);
  // targets are the identities among what it reaches (workflows and other principals on the
  // way are passed through, not become).
  function reachFrom(n) {
    var parent = new Int32Array(nodes.length).fill(-2), depth = new Int32Array(nodes.length);
    var queue = [n], targets = [], max = {};
    parent[n] = -1;
    for (var q = 0; q < queue.length; q++) {
      var u = queue[q], os = out[u];
      for (var k = 0; k < os.length; k++) {
        var e = edges[os[k]], v = e.to;
        if (e.gated || parent[v] !== -2) continue;
        parent[v] = os[k];
        depth[v] = depth[u] + 1;
        queue.push(v);
        if (nodes[v].kind === 'identity') targets.push(v);
      }
    }
    if (targets.length) {
      // The highest level per provider counts the identity's own grants as well as its targets'.
      if (nodes[n].level) max[nodes[n].provider] = rankOf(n);
      targets.forEach(function (t) { var p = nodes[t].provider; if (rankOf(t) > (max[p] || 0)) max[p] = rankOf(t); });
    }
    return { source: n, parent: parent, depth: depth, targets: targets, max: max, sorted: false };
  }
  function reaches(r, n) { return !!r && n >= 0 && n !== r.source && r.parent[n] !== -2; }
  function chainTo(r, n) {
    var chain = [];
    for (var v = n; r.parent[v] >= 0; v = edges[r.parent[v]].from) chain.push(r.parent[v]);
    return chain.reverse();
  }
  // Strongest first, then the shortest chain: what a reviewer should look at first.
  var collator = new Intl.Collator(undefined, { numeric: true });
  function targetsOf(r) {
    if (!r) return [];
    if (!r.sorted) {
      r.targets.sort(function (a, b) { return rankOf(b) - rankOf(a) || r.depth[a] - r.depth[b] || collator.compare(nodes[a].name, nodes[b].name); });
      r.sorted = true;
    }
    return r.targets;
  }
  // Gated hops out of the selection and out of everything it reaches: where its reach stops.
  function blockedOf(r) {
    var list = [];
    if (!r) return list;
    for (var e = 0; e < edges.length; e++) {
      if (edges[e].gated && (edges[e].from === r.source || reaches(r, edges[e].from))) list.push(e);
    }
    return list;
  }

  // ---- layout and drawing ----
  function metaText(n) { var node = nodes[n]; return provName(node.provider) + ' \u00b7 ' + node.kind + (node.level ? ' \u00b7 ' + node.level : ''); }
  // About 7.4 px a character of the 12 px bold name, 5.8 px of the 10.5 px line under it.
  function size(n) { return { width: Math.max(90, label(n).length * 7.4, metaText(n).length * 5.8) + 26, height: 40 }; }

  // dagre's edge points are spline control points: a uniform B-spline through them (as d3's
  // curveBasis draws it) keeps routed edges clear of the nodes they pass.
  function basis(pts) {
    function f(v) { return v.toFixed(1); }
    function pt(x, y) { return f(x) + ',' + f(y); }
    var d = 'M' + pt(pts[0].x, pts[0].y);
    if (pts.length < 3) return d + ' L' + pt(pts[pts.length - 1].x, pts[pts.length - 1].y);
    var x0 = pts[0].x, y0 = pts[0].y, x1 = pts[1].x, y1 = pts[1].y;
    d += ' L' + pt((5 * x0 + x1) / 6, (5 * y0 + y1) / 6);
    function curve(x, y) {
      d += ' C' + pt((2 * x0 + x1) / 3, (2 * y0 + y1) / 3) + ' ' + pt((x0 + 2 * x1) / 3, (y0 + 2 * y1) / 3) + ' ' + pt((x0 + 4 * x1 + x) / 6, (y0 + 4 * y1 + y) / 6);
      x0 = x1; y0 = y1; x1 = x; y1 = y;
    }
    for (var i = 2; i < pts.length; i++) curve(pts[i].x, pts[i].y);
    curve(x1, y1);
    return d + ' L' + pt(x1, y1);
  }

  function draw(list) {
    var keep = {};
    list.forEach(function (n) { keep[n] = true; });
    var edgeList = [];
    list.forEach(function (n) { out[n].forEach(function (e) { if (keep[edges[e].to]) edgeList.push(e); }); });
    var g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 64, edgesep: 8, marginx: 20, marginy: 20 });
    g.setDefaultEdgeLabel(function () { return {}; });
    list.forEach(function (n) { g.setNode(String(n), size(n)); });
    edgeList.forEach(function (e) { g.setEdge(String(edges[e].from), String(edges[e].to), {}, String(e)); });
    dagre.layout(g);

    var nodeEls = {}, edgeEls = {};
    var edgeLayer = sv('g', 'graph-edges'), nodeLayer = sv('g', 'graph-nodes');
    edgeList.forEach(function (e) {
      var pts = g.edge(String(edges[e].from), String(edges[e].to), String(e)).points;
      var grp = sv('g', 'gedge' + (nodes[edges[e].from].provider !== nodes[edges[e].to].provider ? ' cross' : '') + (edges[e].gated ? ' gated' : ''));
      grp.setAttribute('data-edge', String(e));
      var line = sv('path', 'line');
      line.setAttribute('d', basis(pts));
      var a = pts[pts.length - 2], b = pts[pts.length - 1];
      var ang = Math.atan2(b.y - a.y, b.x - a.x);
      var head = sv('path', 'head');
      var l = 8, w = 4;
      head.setAttribute('d', 'M' + b.x.toFixed(1) + ',' + b.y.toFixed(1) +
        ' L' + (b.x - l * Math.cos(ang) + w * Math.sin(ang)).toFixed(1) + ',' + (b.y - l * Math.sin(ang) - w * Math.cos(ang)).toFixed(1) +
        ' L' + (b.x - l * Math.cos(ang) - w * Math.sin(ang)).toFixed(1) + ',' + (b.y - l * Math.sin(ang) + w * Math.cos(ang)).toFixed(1) + ' Z');
      var title = sv('title');
      title.textContent = edgeText(edges[e]);
      add(grp, title, line, head);
      edgeLayer.appendChild(grp);
      edgeEls[e] = grp;
    });
    list.forEach(function (n) {
      var node = nodes[n], p = g.node(String(n));
      var grp = sv('g', 'gnode gp-' + node.provider + ' kind-' + node.kind + (node.level === 'admin' ? ' lvl-admin' : ''));
      grp.setAttribute('transform', 'translate(' + (p.x - p.width / 2).toFixed(1) + ',' + (p.y - p.height / 2).toFixed(1) + ')');
      grp.setAttribute('data-node', String(n));
      grp.setAttribute('tabindex', '0');
      grp.setAttribute('role', 'button');
      grp.setAttribute('aria-label', node.name + ', ' + provName(node.provider) + ' ' + node.kind);
      var box = sv('rect', 'box');
      box.setAttribute('width', String(p.width));
      box.setAttribute('height', String(p.height));
      box.setAttribute('rx', '6');
      var stripe = sv('rect', 'stripe');
      stripe.setAttribute('width', '6');
      stripe.setAttribute('height', String(p.height));
      stripe.setAttribute('rx', '3');
      var name = sv('text', 'name');
      name.setAttribute('x', '14');
      name.setAttribute('y', '17');
      name.textContent = label(n);
      var meta = sv('text', 'meta');
      meta.setAttribute('x', '14');
      meta.setAttribute('y', '32');
      meta.textContent = metaText(n);
      var title = sv('title');
      title.textContent = node.id;
      add(grp, title, box, stripe, name, meta);
      grp.addEventListener('click', function () { pick(n); });
      grp.addEventListener('keydown', function (ev) {
        if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); pick(n); }
      });
      nodeLayer.appendChild(grp);
      nodeEls[n] = grp;
    });
    viewport.replaceChildren(edgeLayer, nodeLayer);
    var box = g.graph();
    drawn = { nodes: nodeEls, edges: edgeEls, list: list, width: box.width, height: box.height, at: function (n) { return g.node(String(n)); } };
    // A few chains need less room than a tall frame: fit the frame to them, within limits.
    svg.style.height = Math.round(Math.max(380, Math.min(560, box.height * 1.25 + 24))) + 'px';
    frame = null;
    if (!fit() && state.sel >= 0 && nodeEls[state.sel]) focus(state.sel);
  }

  // The selected identity, everything it reaches with the chains there, who can act as it and
  // the gated hops it cannot take; targets that no longer fit are left out whole (never half a
  // chain) and counted.
  function neighbourhood(r) {
    var keep = {}, list = [], left = 0, n = r.source;
    function put(m) { if (!keep[m]) { keep[m] = true; list.push(m); } }
    put(n);
    targetsOf(r).forEach(function (t) {
      var chain = chainTo(r, t), need = [t];
      for (var i = 0; i < chain.length; i++) need.push(edges[chain[i]].from);
      var fresh = need.filter(function (m, i) { return !keep[m] && need.indexOf(m) === i; });
      if (list.length + fresh.length > LIMIT) { left++; return; }
      need.forEach(put);
    });
    inc[n].forEach(function (e) { if (list.length < LIMIT) put(edges[e].from); });
    out[n].forEach(function (e) { if (edges[e].gated && list.length < LIMIT) put(edges[e].to); });
    return { list: list, left: left };
  }

  // ---- highlighting and the side panel ----
  function highlight() {
    if (!drawn) return;
    var r = state.reach, chainE = {}, chainN = {}, pred = {}, near = {}, blocked = {};
    if (r) {
      // Who can act as the selection stays in full view too: it is half of its neighbourhood.
      inc[r.source].forEach(function (e) { pred[edges[e].from] = true; near[e] = true; });
      blockedOf(r).forEach(function (e) { blocked[e] = true; });
    }
    if (r && reaches(r, state.target)) {
      chainTo(r, state.target).forEach(function (e) { chainE[e] = true; chainN[edges[e].from] = true; chainN[edges[e].to] = true; });
    }
    Object.keys(drawn.nodes).forEach(function (k) {
      var n = Number(k), c = drawn.nodes[k].classList, hit = reaches(r, n);
      c.toggle('sel', !!r && n === r.source);
      c.toggle('reach', hit && nodes[n].kind === 'identity');
      c.toggle('via', hit && nodes[n].kind !== 'identity');
      c.toggle('chain', !!chainN[n]);
      c.toggle('dim', !!r && n !== r.source && !hit && !pred[n]);
    });
    Object.keys(drawn.edges).forEach(function (k) {
      var e = Number(k), c = drawn.edges[k].classList;
      // The search tree: the edge each reached node was first reached by.
      var on = !!r && r.parent[edges[e].to] === e;
      c.toggle('on', on);
      c.toggle('chain', !!chainE[e]);
      c.toggle('blocked', !!blocked[e]);
      c.toggle('dim', !!r && !on && !near[e] && !blocked[e]);
    });
  }

  function nodeButton(n, extra) {
    var b = el('button', 'link', nodes[n].name);
    b.type = 'button';
    b.title = nodes[n].id;
    b.addEventListener('click', extra || function () { select(n); });
    return b;
  }

  function chainList(chain) {
    var ol = el('ol', 'graph-chain');
    for (var i = 0; i < chain.length; i++) {
      var e = edges[chain[i]];
      var li = el('li');
      var hop = add(el('div', 'hop'), el('span', 'who', nodes[e.from].name), el('span', 'arrow', ' \u2192 '), el('span', 'who', nodes[e.to].name));
      add(li, hop, add(el('div', 'how'), el('code', 'kind', e.kind), document.createTextNode(' ' + provName(nodes[e.from].provider) +
        (nodes[e.from].provider !== nodes[e.to].provider ? ' \u2192 ' + provName(nodes[e.to].provider) : ''))),
        el('div', 'evidence', e.evidence), e.condition ? el('div', 'condition', 'only if ' + e.condition) : null);
      ol.appendChild(li);
    }
    return ol;
  }

  function showPanel() {
    var r = state.reach;
    if (!r) {
      panel.replaceChildren(el('p', 'none', 'No identity selected. Click a node, or find one with the search box.'));
      return;
    }
    var n = r.source, node = nodes[n];
    var parts = [el('h3', '', node.name), el('p', 'sub', node.id),
      add(el('p', 'sub', provName(node.provider) + ' \u00b7 ' + node.kind + (node.level ? ' \u00b7 holds ' : '')), levelBadge(rankOf(n)))];
    if (reaches(r, state.target)) {
      var t = state.target;
      var back = el('button', 'link', 'Show what ' + nodes[t].name + ' reaches');
      back.type = 'button';
      back.addEventListener('click', function () { select(t); });
      parts.push(add(el('div', 'dsec graph-chain-box'), add(el('h4', '', 'Chain to ' + nodes[t].name + ' '), levelBadge(rankOf(t))),
        chainList(chainTo(r, t)), add(el('p'), back)));
    }
    var ts = targetsOf(r);
    if (!ts.length) {
      parts.push(el('p', 'none', 'It can act as no other identity.'));
    } else {
      var max = el('ul', 'plain');
      Object.keys(r.max).forEach(function (p) { max.appendChild(add(el('li', '', provName(p) + ': '), levelBadge(r.max[p]))); });
      parts.push(add(el('div', 'dsec'), el('h4', '', 'Highest level reached'), max));
      var ol = el('ol', 'graph-targets');
      ts.slice(0, 200).forEach(function (t) {
        var li = el('li');
        var b = nodeButton(t, function () { chooseTarget(t); });
        b.setAttribute('aria-pressed', t === state.target ? 'true' : 'false');
        add(li, b, document.createTextNode(' '), levelBadge(rankOf(t)), el('span', 'sub', ' ' + plural(r.depth[t], 'hop') + ', ' + provName(nodes[t].provider)));
        if (drawn && !drawn.nodes[t]) li.appendChild(el('span', 'sub', ' (not drawn)'));
        ol.appendChild(li);
      });
      parts.push(add(el('div', 'dsec'), el('h4', '', 'Can become ' + plural(ts.length, 'identity', 'identities')), ol,
        ts.length > 200 ? el('p', 'sub', 'and ' + num(ts.length - 200) + ' more') : null));
    }
    var blocked = blockedOf(r);
    if (blocked.length) {
      var gl = el('ul', 'plain graph-gated');
      blocked.slice(0, 50).forEach(function (e) {
        gl.appendChild(add(el('li'), el('span', 'who', nodes[edges[e].from].name), el('span', 'arrow', ' \u2192 '), nodeButton(edges[e].to),
          el('span', 'sub', ' ' + edges[e].kind + ': ' + gateText(edges[e]))));
      });
      parts.push(add(el('div', 'dsec'), el('h4', '', 'Gated hops, not followed (' + blocked.length + ')'), gl,
        blocked.length > 50 ? el('p', 'sub', 'and ' + (blocked.length - 50) + ' more') : null));
    }
    if (inc[n].length) {
      var ul = el('ul', 'plain');
      inc[n].slice(0, 50).forEach(function (e) {
        ul.appendChild(add(el('li'), nodeButton(edges[e].from), el('span', 'sub', ' ' + edges[e].kind + (edges[e].gated ? ' (' + gateText(edges[e]) + ')' : ''))));
      });
      parts.push(add(el('div', 'dsec'), el('h4', '', 'Who can act as it directly (' + inc[n].length + ')'), ul,
        inc[n].length > 50 ? el('p', 'sub', 'and ' + (inc[n].length - 50) + ' more') : null));
    }
    panel.replaceChildren.apply(panel, parts);
  }

  function showCount(left) {
    if (full) {
      count.textContent = plural(nodes.length, 'node') + ', ' + plural(edges.length, 'edge');
      return;
    }
    var hidden = nodes.length - drawn.list.length;
    count.textContent = 'Drawing ' + num(drawn.list.length) + ' of ' + plural(nodes.length, 'node') + ': the neighbourhood of ' +
      nodes[state.sel].name + '. ' + num(hidden) + ' hidden' +
      (left ? ', ' + num(left) + ' of its ' + plural(state.reach.targets.length, 'target') + ' among them (all listed beside the graph)' : '') +
      '. Find another identity to see its neighbourhood.';
  }

  // ---- selection ----
  function select(n) {
    state.sel = n;
    state.target = -1;
    state.reach = reachFrom(n);
    if (!full) {
      var nb = neighbourhood(state.reach);
      draw(nb.list);
      showCount(nb.left);
    }
    highlight();
    if (full) fitSelection();
    showPanel();
  }
  function chooseTarget(t) {
    state.target = t;
    highlight();
    showPanel();
  }
  // A click on something the selection reaches shows the chain there; any other node becomes the selection.
  function pick(n) {
    if (reaches(state.reach, n)) chooseTarget(n);
    else if (n !== state.sel) select(n);
  }

  // ---- pan and zoom ----
  // The frame's size, read once per drawing and resize: reading it right after a selection has
  // restyled hundreds of nodes would force the browser to lay the page out there and then.
  var frame = null;
  function frameSize() {
    if (!frame) frame = { W: svg.clientWidth || 800, H: svg.clientHeight || 560 };
    return frame;
  }
  window.addEventListener('resize', function () { frame = null; });
  function apply() {
    viewport.setAttribute('transform', 'translate(' + view.x.toFixed(1) + ',' + view.y.toFixed(1) + ') scale(' + view.k.toFixed(4) + ')');
  }
  // Fits a box of the drawing (all of it by default) to the frame; says whether names are
  // still legible at that scale.
  function fit(box) {
    if (!drawn) return true;
    var b = box || { x: 0, y: 0, width: drawn.width, height: drawn.height };
    var W = frameSize().W, H = frameSize().H;
    var k = Math.max(0.05, Math.min(1.25, (W - 16) / b.width, (H - 16) / b.height));
    view = { k: k, x: (W - b.width * k) / 2 - b.x * k, y: (H - b.height * k) / 2 - b.y * k };
    apply();
    return k >= 0.45;
  }
  // The selection and everything highlighted with it, framed: in a large drawing it is a corner.
  function fitSelection() {
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    Object.keys(drawn.nodes).forEach(function (k) {
      var c = drawn.nodes[k].classList;
      if (c.contains('dim')) return;
      var p = drawn.at(Number(k));
      x0 = Math.min(x0, p.x - p.width / 2); x1 = Math.max(x1, p.x + p.width / 2);
      y0 = Math.min(y0, p.y - p.height / 2); y1 = Math.max(y1, p.y + p.height / 2);
    });
    if (x0 < Infinity) fit({ x: x0 - 20, y: y0 - 20, width: x1 - x0 + 40, height: y1 - y0 + 40 });
  }
  // A legible scale with the node near the frame's left edge, where its chains start.
  function focus(n) {
    var p = drawn.at(n), W = frameSize().W, H = frameSize().H;
    view = { k: 0.8, x: Math.min(W / 2, 40 + p.width * 0.4) - p.x * 0.8, y: H / 2 - p.y * 0.8 };
    apply();
  }
  function zoomAt(factor, cx, cy) {
    var k = Math.max(0.05, Math.min(4, view.k * factor));
    view.x = cx - (cx - view.x) * (k / view.k);
    view.y = cy - (cy - view.y) * (k / view.k);
    view.k = k;
    apply();
  }
  function zoomCentre(factor) { zoomAt(factor, frameSize().W / 2, frameSize().H / 2); }
  svg.addEventListener('wheel', function (e) {
    e.preventDefault();
    var r = svg.getBoundingClientRect();
    zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });
  var drag = null;
  svg.addEventListener('pointerdown', function (e) {
    if (e.button !== 0 || (e.target.closest && e.target.closest('.gnode'))) return;
    drag = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y };
    svg.setPointerCapture(e.pointerId);
    svg.classList.add('panning');
  });
  svg.addEventListener('pointermove', function (e) {
    if (!drag) return;
    view.x = drag.vx + e.clientX - drag.x;
    view.y = drag.vy + e.clientY - drag.y;
    apply();
  });
  function endDrag() { drag = null; svg.classList.remove('panning'); }
  svg.addEventListener('pointerup', endDrag);
  svg.addEventListener('pointercancel', endDrag);
  svg.setAttribute('tabindex', '0');
  svg.addEventListener('keydown', function (e) {
    var step = 40, moves = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[e.key]) { view.x += moves[e.key][0]; view.y += moves[e.key][1]; apply(); e.preventDefault(); }
    else if (e.key === '+' || e.key === '=') { zoomCentre(1.25); e.preventDefault(); }
    else if (e.key === '-') { zoomCentre(0.8); e.preventDefault(); }
  });
  document.getElementById('graph-zoom-in').addEventListener('click', function () { zoomCentre(1.25); });
  document.getElementById('graph-zoom-out').addEventListener('click', function () { zoomCentre(0.8); });
  document.getElementById('graph-fit').addEventListener('click', function () { fit(); });

  // ---- search ----
  var hay = nodes.map(function (n) { return (n.name + ' ' + n.id + ' ' + provName(n.provider) + ' ' + n.kind).toLowerCase(); });
  var found = [];
  function showMatches() {
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    found = [];
    var total = 0;
    if (words.length) {
      for (var i = 0; i < nodes.length; i++) {
        if (words.every(function (w) { return hay[i].indexOf(w) >= 0; })) { total++; if (found.length < 12) found.push(i); }
      }
    }
    var items = found.map(function (n) {
      var b = nodeButton(n, function () { matches.replaceChildren(); select(n); });
      add(b, el('span', 'sub', ' ' + provName(nodes[n].provider) + ' ' + nodes[n].kind));
      return add(el('li'), b);
    });
    if (words.length && !total) items.push(el('li', 'none', 'No identity in the graph matches.'));
    if (total > found.length) items.push(el('li', 'sub', 'and ' + num(total - found.length) + ' more: type more of the name'));
    matches.replaceChildren.apply(matches, items);
  }
  search.addEventListener('input', showMatches);
  search.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && found.length) { e.preventDefault(); matches.replaceChildren(); select(found[0]); }
  });

  // ---- start ----
  // Too many to draw at once: start with the identity that reaches the most, strongest first.
  // Searching from every identity would be quadratic, so only a few are searched: those with
  // the most hops within two steps (a wildcard assumer's one hop to a hub counts the hub's).
  function start() {
    var open = out.map(function (os) { var c = 0; for (var k = 0; k < os.length; k++) if (!edges[os[k]].gated) c++; return c; });
    var score = [];
    nodes.forEach(function (node, n) {
      if (node.kind !== 'identity' || !open[n]) return;
      var s2 = open[n];
      out[n].forEach(function (e) { if (!edges[e].gated) s2 += open[edges[e].to]; });
      score.push([s2, n]);
    });
    if (!score.length) return 0;
    score.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    var best = -1, bestKey = -1;
    score.slice(0, CANDIDATES).forEach(function (c) {
      var r = reachFrom(c[1]), top = 0;
      r.targets.forEach(function (t) { if (rankOf(t) > top) top = rankOf(t); });
      var key = top * 1e9 + r.targets.length;
      if (key > bestKey) { bestKey = key; best = c[1]; }
    });
    return best;
  }

  if (full) {
    draw(nodes.map(function (n, i) { return i; }));
    showCount(0);
    showPanel();
  } else {
    select(start());
  }
})();
`;
