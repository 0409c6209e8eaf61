// The page's script, shipped inline as a string so the report stays one file. Plain DOM code,
// no framework. It builds the two big tables from the JSON block (`#agentscan-data`) with
// textContent only — never innerHTML — so a hostile name or message can only ever be text.
// Written as ES2020 without template literals, so it can live inside this TS template string.

export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('agentscan-data').textContent);
  function text(i) { return data.texts[i]; }
  var PROVIDERS = { aws: 'AWS', gcp: 'Google Cloud', github: 'GitHub', entra: 'Entra ID', agentscan: 'agentscan' };

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = String(text);
    return n;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) if (arguments[i]) parent.appendChild(arguments[i]);
    return parent;
  }
  function badge(kind, value) { return el('span', kind + ' ' + kind + '-' + value, value); }
  function provider(p) {
    var s = el('span', 'prov prov-' + p);
    return add(s, el('span', 'dot'), document.createTextNode(PROVIDERS[p] || p));
  }
  function section(title, body) {
    if (!body) return null;
    return add(el('div', 'dsec'), el('h4', '', title), body);
  }
  function list(items) {
    if (!items || !items.length) return null;
    var ul = el('ul', 'plain');
    items.forEach(function (t) { ul.appendChild(el('li', '', t)); });
    return ul;
  }

  // One controller per table: rows come from data, a search box filters (every word must
  // match), header buttons sort (first click uses the column's natural order, the next
  // reverses it), and a row's toggle opens a detail row built only when first opened.
  function DataTable(opts) {
    var table = document.getElementById(opts.id);
    var search = document.getElementById(opts.id.replace('-table', '-search'));
    var count = document.getElementById(opts.id.replace('-table', '-count'));
    var tbody = table.tBodies[0];
    var open = {};
    var sort = null;
    // A large estate has 100,000 rows: one page of them is in the document at a time, and the
    // filtered, sorted list is worked out again only when the filter or the sort changes.
    var PAGE = 200;
    var page = 0;
    var shown = null;
    var rows = opts.rows.map(function (r, i) { return { r: r, i: i, hay: opts.haystack(r).toLowerCase() }; });
    var pager = el('div', 'pager');
    pager.id = opts.id.replace('-table', '-pager');
    var prev = el('button', 'link', '‹ Previous');
    var next = el('button', 'link', 'Next ›');
    var where = el('span', 'page-of');
    prev.type = next.type = 'button';
    prev.addEventListener('click', function () { if (page > 0) { page--; draw(); } });
    next.addEventListener('click', function () { if ((page + 1) * PAGE < shown.length) { page++; draw(); } });
    add(pager, prev, where, next);
    table.parentNode.insertBefore(pager, table.nextSibling);
    var headRow = el('tr');
    var ths = opts.columns.map(function (c, ci) {
      var th = el('th');
      th.scope = 'col';
      if (c.cls) th.className = c.cls;
      if (c.sort) {
        var b = el('button', 'sort', c.label);
        b.type = 'button';
        b.addEventListener('click', function () {
          var dir = sort && sort.col === ci ? (sort.dir === 'asc' ? 'desc' : 'asc') : (c.first || 'asc');
          sort = { col: ci, dir: dir };
          ths.forEach(function (h) { h.removeAttribute('aria-sort'); });
          th.setAttribute('aria-sort', dir === 'asc' ? 'ascending' : 'descending');
          refresh();
        });
        th.appendChild(b);
      } else if (c.label) {
        th.textContent = c.label;
      } else {
        add(th, el('span', 'sr-only', 'Details'));
      }
      headRow.appendChild(th);
      return th;
    });
    table.tHead.appendChild(headRow);

    function compare(a, b) {
      var c = opts.columns[sort.col];
      var x = c.sort(a.r), y = c.sort(b.r);
      var d = typeof x === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true, sensitivity: 'base' });
      return (sort.dir === 'asc' ? d : -d) || a.i - b.i;
    }
    function visible() {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = rows.filter(function (row) {
        if (opts.filter && !opts.filter(row.r)) return false;
        return words.every(function (w) { return row.hay.indexOf(w) >= 0; });
      });
      return sort ? shown.sort(compare) : shown;
    }
    function refresh() {
      shown = visible();
      page = 0;
      draw();
    }
    function draw() {
      var frag = document.createDocumentFragment();
      var pages = Math.max(1, Math.ceil(shown.length / PAGE));
      if (page >= pages) page = pages - 1;
      shown.slice(page * PAGE, (page + 1) * PAGE).forEach(function (row) {
        var key = opts.key(row.r);
        var tr = el('tr', 'row' + (opts.rowClass ? ' ' + opts.rowClass(row.r) : ''));
        var td0 = el('td', 'toggle');
        var b = el('button', 'expand');
        b.type = 'button';
        b.setAttribute('aria-expanded', open[key] ? 'true' : 'false');
        b.setAttribute('aria-label', 'Details for ' + opts.label(row.r));
        b.addEventListener('click', function () {
          open[key] = !open[key];
          draw();
          var again = tbody.querySelector('tr.row[data-key="' + CSS.escape(key) + '"] button.expand');
          if (again) again.focus();
        });
        td0.appendChild(b);
        tr.appendChild(td0);
        tr.setAttribute('data-key', key);
        opts.columns.slice(1).forEach(function (c) {
          var td = el('td', c.cls);
          c.render(row.r, td);
          tr.appendChild(td);
        });
        frag.appendChild(tr);
        if (open[key]) {
          var dtr = el('tr', 'detail');
          var dtd = el('td');
          dtd.colSpan = opts.columns.length;
          dtd.appendChild(opts.detail(row.r));
          dtr.appendChild(dtd);
          frag.appendChild(dtr);
        }
      });
      if (!shown.length) {
        var none = el('td', 'empty', 'Nothing matches the filter.');
        none.colSpan = opts.columns.length;
        frag.appendChild(add(el('tr', 'empty-row'), none));
      }
      tbody.replaceChildren(frag);
      count.textContent = shown.length === rows.length ? rows.length + ' ' + opts.noun : shown.length + ' of ' + rows.length + ' ' + opts.noun;
      pager.hidden = pages < 2;
      where.textContent = 'page ' + (page + 1) + ' of ' + pages + ' (rows ' + (shown.length ? page * PAGE + 1 : 0) + '–' + Math.min(shown.length, (page + 1) * PAGE) + ')';
      prev.disabled = page === 0;
      next.disabled = page + 1 >= pages;
    }
    // Filtering 100,000 rows on every keystroke would lag: a big table waits for a pause in typing.
    var typing = null;
    search.addEventListener('input', function () {
      if (rows.length < 5000) { refresh(); return; }
      clearTimeout(typing);
      typing = setTimeout(refresh, 150);
    });
    refresh();
    return {
      draw: refresh,
      show: function (text) {
        search.value = text;
        refresh();
        table.scrollIntoView({ block: 'start' });
      },
    };
  }

  var identities, findings;
  var newOnly = document.getElementById('findings-new-only');

  function findingDetail(f) {
    var box = el('div', 'details');
    var evidence = el('dl', 'kv');
    var about = el('dl', 'kv');
    function kv(grid, k, v) { if (v) add(grid, el('dt', '', k), el('dd', '', v)); }
    kv(evidence, 'About', f.target);
    f.evidence.forEach(function (e) { kv(evidence, e[0], e[1]); });
    kv(about, 'Rule', f.ruleId + ' — ' + text(f.title));
    kv(about, 'Identity', f.identityId);
    kv(about, 'OWASP NHI', text(f.owasp));
    kv(about, 'Fingerprint', f.fingerprint);
    if (f.suppressed) {
      kv(about, 'Suppressed', f.suppressed.reason + (f.suppressed.expires ? ' (until ' + f.suppressed.expires + ')' : '') + ' — ' + f.suppressed.source);
    }
    var rem = el('div', 'remediation');
    add(rem, el('h4', '', 'Remediation'), el('p', '', text(f.remediation)));
    if (f.command) add(rem, add(el('pre'), el('code', '', f.command)));
    var go = el('button', 'link', 'Show this identity');
    go.type = 'button';
    go.addEventListener('click', function () { identities.show(f.identityId); });
    var left = el('div', 'dsec');
    if (evidence.childNodes.length) add(left, el('h4', '', 'Evidence'), evidence);
    add(left, el('h4', '', 'Finding'), about);
    add(box, left, rem, add(el('p'), go));
    return box;
  }

  findings = DataTable({
    id: 'findings-table',
    noun: 'findings',
    rows: data.findings,
    key: function (f) { return f.fingerprint; },
    label: function (f) { return f.ruleId + ' on ' + f.identity; },
    rowClass: function (f) { return f.suppressed ? 'suppressed' : ''; },
    filter: function (f) { return !newOnly || !newOnly.checked || f.isNew; },
    haystack: function (f) {
      return [f.severity, f.ruleId, text(f.title), f.family, f.identity, f.identityId, f.provider, PROVIDERS[f.provider], f.message,
        f.target, f.fingerprint, f.isNew ? 'new' : '', f.suppressed ? 'suppressed ' + f.suppressed.reason : ''].join(' ');
    },
    detail: findingDetail,
    columns: [
      { cls: 'toggle' },
      { label: 'Severity', first: 'desc', sort: function (f) { return f.rank; }, render: function (f, td) { td.appendChild(badge('sev', f.severity)); } },
      { label: 'Rule', cls: 'nowrap', sort: function (f) { return f.ruleId; }, render: function (f, td) { td.title = text(f.title); td.appendChild(el('code', '', f.ruleId)); } },
      { label: 'Family', cls: 'nowrap', sort: function (f) { return f.family; }, render: function (f, td) { td.textContent = f.family; } },
      { label: 'Identity', cls: 'ident', sort: function (f) { return f.identity; }, render: function (f, td) { td.title = f.identityId; td.textContent = f.identity; } },
      { label: 'Provider', sort: function (f) { return f.provider; }, render: function (f, td) { td.appendChild(provider(f.provider)); } },
      {
        label: 'Message', cls: 'msg', sort: function (f) { return f.message; },
        render: function (f, td) {
          if (f.isNew) add(td, el('span', 'badge new-badge', 'new'), document.createTextNode(' '));
          if (f.suppressed) add(td, el('span', 'badge muted-badge', 'suppressed'), document.createTextNode(' '));
          td.appendChild(document.createTextNode(f.message));
          if (f.suppressed) td.appendChild(el('div', 'sub reason', 'Suppressed: ' + f.suppressed.reason));
        },
      },
    ],
  });
  if (newOnly) newOnly.addEventListener('change', findings.draw);

  function identityDetail(i) {
    var box = el('div', 'details');
    var grid = el('dl', 'kv');
    function kv(k, v) { if (v) add(grid, el('dt', '', k), el('dd', '', v)); }
    kv('Id', i.id);
    kv('Container', i.container);
    kv('Verdict', i.verdict + ' (confidence ' + Math.round(i.confidence * 100) + '%)' + (i.human ? ', a person\'s account' : ''));
    kv('Enabled', i.enabled ? 'yes' : 'no');
    var go = el('button', 'link', 'Show its findings');
    go.type = 'button';
    go.addEventListener('click', function () { findings.show(i.id); });
    add(box, add(el('div', 'dsec'), el('h4', '', 'Identity'), grid),
      section('Credentials', list(i.credentials)),
      section('Entitlements', list(i.entitlements.map(text))),
      section('Who can act as it', list(i.trustedBy.map(text))),
      i.findings + i.suppressed ? add(el('p'), go) : null);
    return box;
  }

  identities = DataTable({
    id: 'identities-table',
    noun: 'identities',
    rows: data.identities,
    key: function (i) { return i.id; },
    label: function (i) { return i.name; },
    haystack: function (i) {
      return [i.name, i.id, i.provider, PROVIDERS[i.provider], i.kind, i.verdict, i.signals.join(' '),
        i.owners.map(function (o) { return o.label; }).join(' '), i.access, i.owners.length ? '' : 'no owner'].join(' ');
    },
    detail: identityDetail,
    columns: [
      { cls: 'toggle' },
      {
        label: 'Name', cls: 'ident', sort: function (i) { return i.name; },
        render: function (i, td) {
          td.title = i.id;
          td.appendChild(el('span', 'name', i.name));
          if (!i.enabled) add(td, document.createTextNode(' '), el('span', 'badge muted-badge', 'disabled'));
        },
      },
      { label: 'Provider', sort: function (i) { return i.provider; }, render: function (i, td) { td.appendChild(provider(i.provider)); } },
      { label: 'Kind', sort: function (i) { return i.kind; }, render: function (i, td) { td.textContent = i.kind; } },
      {
        label: 'Verdict', cls: 'signals', sort: function (i) { return i.verdict; },
        render: function (i, td) {
          td.appendChild(el('span', 'verdict v-' + i.verdict, i.verdict));
          if (i.human && i.verdict === 'agent') add(td, document.createTextNode(' '), el('span', 'badge warn-badge', 'human credential'));
          if (i.signals.length) td.appendChild(el('div', 'sub', i.signals.join('; ')));
        },
      },
      {
        label: 'Owners', cls: 'owners', sort: function (i) { return i.owners.length ? i.owners[0].label : '\uffff'; },
        render: function (i, td) {
          if (!i.owners.length) { td.appendChild(el('span', 'warn', 'none')); return; }
          i.owners.forEach(function (o, n) {
            if (n) td.appendChild(document.createTextNode(', '));
            td.appendChild(el('span', o.problem ? 'warn' : '', o.label + (o.problem ? ' (' + o.problem + ')' : '')));
          });
        },
      },
      {
        label: 'Findings', cls: 'num', first: 'desc', sort: function (i) { return i.findings * 10 + i.worstRank; },
        render: function (i, td) {
          var pill = i.worst ? el('span', 'count-pill sev-' + i.worst, i.findings) : el('span', 'zero', '0');
          if (i.worst) pill.title = 'most severe: ' + i.worst;
          td.appendChild(pill);
          if (i.suppressed) td.appendChild(el('div', 'sub', '+' + i.suppressed + ' suppressed'));
        },
      },
      {
        label: 'Highest access', cls: 'access', first: 'desc', sort: function (i) { return i.accessRank; },
        render: function (i, td) { td.textContent = i.access || '—'; },
      },
    ],
  });
})();
`;
