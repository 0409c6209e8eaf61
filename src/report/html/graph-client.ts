// The graph view's browser code, shipped inline after dagre's browser build (which defines
// `dagre` in the same function scope, see graph.ts). Plain DOM and SVG: every estate string
// reaches the page through textContent or setAttribute, never innerHTML, so a hostile name is
// only ever text. Written as ES2020 without template literals, so it can live in this string.
//
// A layout of thousands of nodes is slow and unreadable, so at most LIMIT nodes are drawn: the
// whole graph when it is that small, otherwise the neighbourhood of the selected identity (its
// reach, the chains to it, and who can act as it), with the count of what is hidden.

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
  var nodes = data.nodes, edges = data.edges, reach = data.reach;
  var viewport = document.getElementById('graph-viewport');
  var panel = document.getElementById('graph-panel');
  var count = document.getElementById('graph-count');
  var search = document.getElementById('graph-search');
  var matches = document.getElementById('graph-matches');
  var full = nodes.length <= LIMIT;

  var out = nodes.map(function () { return []; });
  var inc = nodes.map(function () { return []; });
  edges.forEach(function (e, i) { out[e.from].push(i); inc[e.to].push(i); });

  var state = { sel: -1, target: -1 };
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
  function plural(n, word, many) { return n.toLocaleString('en') + ' ' + (n === 1 ? word : many || word + 's'); }

  // Strongest first, then the shortest chain: what a reviewer should look at first.
  function targetsOf(n) {
    var r = reach[n];
    if (!r) return [];
    if (!r.sorted) {
      r.targets.sort(function (a, b) { return b[1] - a[1] || a.length - b.length || nodes[a[0]].name.localeCompare(nodes[b[0]].name, undefined, { numeric: true }); });
      r.sorted = true;
    }
    return r.targets;
  }
  function targetEntry(src, dst) {
    var ts = targetsOf(src);
    for (var i = 0; i < ts.length; i++) if (ts[i][0] === dst) return ts[i];
    return null;
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
      var grp = sv('g', 'gedge' + (nodes[edges[e].from].provider !== nodes[edges[e].to].provider ? ' cross' : ''));
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
      title.textContent = edges[e].kind + ': ' + edges[e].evidence + (edges[e].condition ? ' (if ' + edges[e].condition + ')' : '');
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
    if (!fit() && state.sel >= 0 && nodeEls[state.sel]) focus(state.sel);
  }

  // The selected identity, everything it reaches with the chains there, and who can act as
  // it; targets that no longer fit are left out whole (never half a chain) and counted.
  function neighbourhood(n) {
    var keep = {}, list = [], left = 0;
    function put(m) { if (!keep[m]) { keep[m] = true; list.push(m); } }
    put(n);
    targetsOf(n).forEach(function (t) {
      var need = [t[0]];
      for (var i = 2; i < t.length; i++) need.push(edges[t[i]].from, edges[t[i]].to);
      var fresh = need.filter(function (m, i) { return !keep[m] && need.indexOf(m) === i; });
      if (list.length + fresh.length > LIMIT) { left++; return; }
      need.forEach(put);
    });
    inc[n].forEach(function (e) { if (list.length < LIMIT) put(edges[e].from); });
    return { list: list, left: left };
  }

  // ---- highlighting and the side panel ----
  function highlight() {
    if (!drawn) return;
    var reached = {}, onPath = {}, chainE = {}, chainN = {}, pred = {}, near = {};
    if (state.sel >= 0) {
      // Who can act as the selection stays in full view too: it is half of its neighbourhood.
      inc[state.sel].forEach(function (e) { pred[edges[e].from] = true; near[e] = true; });
      targetsOf(state.sel).forEach(function (t) {
        reached[t[0]] = true;
        for (var i = 2; i < t.length; i++) onPath[t[i]] = true;
      });
    }
    var entry = state.target >= 0 ? targetEntry(state.sel, state.target) : null;
    if (entry) {
      for (var i = 2; i < entry.length; i++) { chainE[entry[i]] = true; chainN[edges[entry[i]].from] = true; chainN[edges[entry[i]].to] = true; }
    }
    var any = state.sel >= 0;
    Object.keys(drawn.nodes).forEach(function (k) {
      var n = Number(k), c = drawn.nodes[k].classList;
      c.toggle('sel', n === state.sel);
      c.toggle('reach', !!reached[n]);
      c.toggle('chain', !!chainN[n]);
      c.toggle('dim', any && n !== state.sel && !reached[n] && !pred[n]);
    });
    Object.keys(drawn.edges).forEach(function (k) {
      var c = drawn.edges[k].classList;
      c.toggle('on', !!onPath[k]);
      c.toggle('chain', !!chainE[k]);
      c.toggle('dim', any && !onPath[k] && !near[k]);
    });
  }

  function nodeButton(n, extra) {
    var b = el('button', 'link', nodes[n].name);
    b.type = 'button';
    b.title = nodes[n].id;
    b.addEventListener('click', extra || function () { select(n); });
    return b;
  }

  function chainList(entry) {
    var ol = el('ol', 'graph-chain');
    for (var i = 2; i < entry.length; i++) {
      var e = edges[entry[i]];
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
    if (state.sel < 0) {
      panel.replaceChildren(el('p', 'none', 'No identity selected. Click a node, or find one with the search box.'));
      return;
    }
    var n = state.sel, node = nodes[n], r = reach[n];
    var parts = [el('h3', '', node.name), el('p', 'sub', node.id), el('p', 'sub', provName(node.provider) + ' \u00b7 ' + node.kind)];
    var entry = state.target >= 0 ? targetEntry(n, state.target) : null;
    if (entry) {
      var back = el('button', 'link', 'Show what ' + nodes[state.target].name + ' reaches');
      back.type = 'button';
      var t = state.target;
      back.addEventListener('click', function () { select(t); });
      parts.push(add(el('div', 'dsec graph-chain-box'), add(el('h4', '', 'Chain to ' + nodes[state.target].name + ' '), levelBadge(entry[1])),
        chainList(entry), add(el('p'), back)));
    }
    if (!r) {
      parts.push(el('p', 'none', 'It can act as no other identity.'));
    } else {
      var max = el('ul', 'plain');
      Object.keys(r.max).forEach(function (p) { max.appendChild(add(el('li', '', provName(p) + ': '), levelBadge(LEVELS.indexOf(r.max[p])))); });
      parts.push(add(el('div', 'dsec'), el('h4', '', 'Highest level reached'), max));
      var ts = targetsOf(n);
      var ol = el('ol', 'graph-targets');
      ts.slice(0, 200).forEach(function (t) {
        var li = el('li');
        var b = nodeButton(t[0], function () { chooseTarget(t[0]); });
        b.setAttribute('aria-pressed', t[0] === state.target ? 'true' : 'false');
        add(li, b, document.createTextNode(' '), levelBadge(t[1]), el('span', 'sub', ' ' + plural(t.length - 2, 'hop') + ', ' + provName(nodes[t[0]].provider)));
        if (drawn && !drawn.nodes[t[0]]) li.appendChild(el('span', 'sub', ' (not drawn)'));
        ol.appendChild(li);
      });
      parts.push(add(el('div', 'dsec'), el('h4', '', 'Can become ' + plural(ts.length, 'identity', 'identities')), ol,
        ts.length > 200 ? el('p', 'sub', 'and ' + (ts.length - 200).toLocaleString('en') + ' more') : null));
    }
    if (inc[n].length) {
      var ul = el('ul', 'plain');
      inc[n].slice(0, 50).forEach(function (e) {
        ul.appendChild(add(el('li'), nodeButton(edges[e].from), el('span', 'sub', ' ' + edges[e].kind)));
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
    count.textContent = 'Drawing ' + drawn.list.length.toLocaleString('en') + ' of ' + plural(nodes.length, 'node') + ': the neighbourhood of ' +
      nodes[state.sel].name + '. ' + hidden.toLocaleString('en') + ' hidden' +
      (left ? ', ' + left.toLocaleString('en') + ' of its ' + plural(targetsOf(state.sel).length, 'target') + ' among them (all listed beside the graph)' : '') +
      '. Find another identity to see its neighbourhood.';
  }

  // ---- selection ----
  function select(n) {
    state.sel = n;
    state.target = -1;
    if (!full) {
      var nb = neighbourhood(n);
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
    if (state.sel >= 0 && n !== state.sel && targetEntry(state.sel, n)) chooseTarget(n);
    else if (n !== state.sel) select(n);
  }

  // ---- pan and zoom ----
  function apply() {
    viewport.setAttribute('transform', 'translate(' + view.x.toFixed(1) + ',' + view.y.toFixed(1) + ') scale(' + view.k.toFixed(4) + ')');
  }
  // Fits a box of the drawing (all of it by default) to the frame; says whether names are
  // still legible at that scale.
  function fit(box) {
    if (!drawn) return true;
    var b = box || { x: 0, y: 0, width: drawn.width, height: drawn.height };
    var W = svg.clientWidth || 800, H = svg.clientHeight || 560;
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
    var p = drawn.at(n), W = svg.clientWidth || 800, H = svg.clientHeight || 560;
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
  function zoomCentre(factor) { zoomAt(factor, (svg.clientWidth || 800) / 2, (svg.clientHeight || 560) / 2); }
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
    if (total > found.length) items.push(el('li', 'sub', 'and ' + (total - found.length).toLocaleString('en') + ' more: type more of the name'));
    matches.replaceChildren.apply(matches, items);
  }
  search.addEventListener('input', showMatches);
  search.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && found.length) { e.preventDefault(); matches.replaceChildren(); select(found[0]); }
  });

  // ---- start ----
  if (full) {
    draw(nodes.map(function (n, i) { return i; }));
    showCount(0);
    showPanel();
  } else {
    // Too many to draw at once: start with the identity that reaches the most, strongest first.
    var best = -1, bestKey = -1;
    Object.keys(reach).forEach(function (k) {
      var ts = reach[k].targets, top = 0;
      ts.forEach(function (t) { if (t[1] > top) top = t[1]; });
      var key = top * 1e9 + ts.length;
      if (key > bestKey) { bestKey = key; best = Number(k); }
    });
    select(best >= 0 ? best : 0);
  }
})();
`;
