// src/report/html_page.hpp — internal: the HTML report's page (html.cpp writes it): markup and
// style before the data, and the script after it that renders the data as text (never as
// markup) into sortable, paginated tables and Chart.js charts. `chart_js_text` is Chart.js
// itself, embedded at build time from Debian's libjs-chart.js (CMakeLists.txt, cmake/embed_js.cmake).
#pragma once

#include <string_view>

namespace decorum::detail {

/// Chart.js (UMD build, defines `Chart`), as the build found it; it holds no "</script".
std::string_view chart_js_text();

/// Everything before Chart.js: the document head, the page's skeleton and the error recorder
/// (first, so an error in any later script is caught: the browser test reads `data-errors`).
inline constexpr std::string_view html_page_head = R"page(<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="decorum">
<title>decorum report</title>
<style>
:root { --fg: #1f2328; --muted: #656d76; --line: #d0d7de; --accent: #0969da; --bad: #cf222e; --bg2: #f6f8fa; }
body { margin: 0 auto; max-width: 1180px; padding: 12px; color: var(--fg); line-height: 1.45;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "PingFang SC",
    "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; }
h1 { font-size: 1.5em; margin: .3em 0; } h2 { font-size: 1.25em; border-bottom: 1px solid var(--line); padding-bottom: .2em; margin-top: 1.6em; }
h3 { font-size: 1.05em; margin: 1.2em 0 .4em; }
.meta, .note { color: var(--muted); font-size: .9em; }
.controls { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: .5em 0; }
input, select, button { font: inherit; padding: 4px 8px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr)); gap: 12px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px; min-width: 0; }
figcaption { font-weight: 600; font-size: .95em; }
.chart { position: relative; height: 260px; }
.chart.tall { height: 320px; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; font-size: .92em; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--bg2); cursor: pointer; user-select: none; white-space: nowrap; position: sticky; top: 0; }
th[data-dir=asc]::after { content: " \25B2"; } th[data-dir=desc]::after { content: " \25BC"; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.evidence, td.title, td.rule, td.error { min-width: 12em; word-break: break-word; }
.pager { display: flex; gap: 6px; align-items: center; margin: 6px 0; flex-wrap: wrap; }
article.employee { border: 1px solid var(--line); border-radius: 6px; padding: 4px 12px 12px; margin: 12px 0; }
article.employee h3 .id, .rule-id { color: var(--muted); font-weight: normal; font-size: .9em; }
.neg { color: var(--bad); }
a.emp { color: var(--accent); cursor: pointer; text-decoration: underline; }
@media (max-width: 600px) { body { padding: 6px; } th, td { padding: 3px 4px; } .chart { height: 220px; } }
</style>
</head>
<body data-ready="0" data-errors="0">
<script>
(function () {
  // The browser test reads these attributes: any error, from any script, is recorded.
  var errors = [];
  function record(message) {
    errors.push(String(message));
    document.body.setAttribute('data-errors', String(errors.length));
    document.body.setAttribute('data-error-text', errors.join('\n'));
  }
  window.addEventListener('error', function (e) { record(e.message || 'error'); });
  window.addEventListener('unhandledrejection', function (e) { record('unhandled rejection: ' + e.reason); });
  var consoleError = console.error;
  console.error = function () { record(Array.prototype.join.call(arguments, ' ')); consoleError.apply(console, arguments); };
})();
</script>
<header>
<h1 id="title">decorum report</h1>
<p class="meta" id="meta"></p>
<noscript><p>This report draws its tables and charts with JavaScript; please allow scripts for this file.</p></noscript>
</header>
<div class="controls" id="period-controls" hidden><label for="period">Period</label> <select id="period"></select></div>
<section id="overview">
<h2>Overview <span class="meta" id="overview-period"></span></h2>
<p id="summary"></p>
<div class="charts">
<figure><figcaption id="caption-scores">Scores</figcaption><div class="chart"><canvas id="chart-scores" role="img" aria-label="scores by employee"></canvas></div></figure>
<figure><figcaption>Employees by grade</figcaption><div class="chart"><canvas id="chart-grades" role="img" aria-label="employees by grade"></canvas></div></figure>
<figure><figcaption>Points by category</figcaption><div class="chart"><canvas id="chart-categories" role="img" aria-label="points by category"></canvas></div></figure>
<figure><figcaption>Rules that cost most</figcaption><div class="chart"><canvas id="chart-rules" role="img" aria-label="rules that cost most"></canvas></div></figure>
</div>
<h3>Employees</h3>
<div class="controls"><input id="filter" type="search" placeholder="filter by code or name" aria-label="filter employees"></div>
<div id="table-employees"></div>
<h3>Rules</h3>
<div id="table-rules"></div>
<h3>Points by category</h3>
<div id="table-categories"></div>
<div id="groups-part" hidden>
<h3 id="groups-title">Groups</h3>
<div id="table-groups"></div>
</div>
</section>
<section id="employees">
<h2>Employees</h2>
<div class="controls"><input id="card-filter" type="search" placeholder="find an employee" aria-label="find an employee"></div>
<div id="cards"></div>
</section>
<section id="rejected-section" hidden>
<h2>Rejected records</h2>
<div id="table-rejected"></div>
</section>
<footer><p class="note" id="footer"></p></footer>
)page";

/// Everything after the data: the script that renders it.
inline constexpr std::string_view html_page_tail = R"page(<script>
(function () {
'use strict';
var started = performance.now();
var D = JSON.parse(document.getElementById('decorum-data').textContent);
var PAGE = 50, CARDS = 20, FINDINGS = 25, TOP_SCORES = 40, TOP_RULES = 10;
var FONT = getComputedStyle(document.body).fontFamily;
Chart.defaults.font.family = FONT;
Chart.defaults.animation = false;

function $(id) { return document.getElementById(id); }
// Builds an element; text and attributes are set as text, never parsed as markup.
function el(tag, attrs, children) {
  var e = document.createElement(tag);
  if (attrs) Object.keys(attrs).forEach(function (k) {
    var v = attrs[k];
    if (v == null) return;
    if (k === 'text') e.textContent = v;
    else if (k === 'class') e.className = v;
    else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  });
  (children || []).forEach(function (c) {
    if (c != null) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  });
  return e;
}
// Exact comparison of decimal texts ("-12.5", "3"): sorting never goes through floats.
function cmpAbs(a, b) {
  var x = a.split('.'), y = b.split('.');
  if (x[0].length !== y[0].length) return x[0].length - y[0].length;
  if (x[0] !== y[0]) return x[0] < y[0] ? -1 : 1;
  var fx = x[1] || '', fy = y[1] || '', n = Math.max(fx.length, fy.length);
  fx = fx.padEnd(n, '0'); fy = fy.padEnd(n, '0');
  return fx < fy ? -1 : fx > fy ? 1 : 0;
}
function cmpDec(a, b) {
  var na = a[0] === '-', nb = b[0] === '-';
  if (na !== nb) return na ? -1 : 1;
  var c = cmpAbs(na ? a.slice(1) : a, nb ? b.slice(1) : b);
  return na ? -c : c;
}
function compare(type, a, b) {
  if (a == null || b == null) return a == null ? (b == null ? 0 : 1) : -1;
  if (type === 'dec') return cmpDec(a, b);
  if (type === 'num') return a - b;
  return String(a).localeCompare(String(b));
}

// A sortable (click a header), paginated table. columns: {key, label, type: text|dec|num,
// get(row), cell(row) optional (a node)}; the key is each cell's class.
function table(columns, rows, opts) {
  opts = opts || {};
  var s = { col: opts.sortCol == null ? -1 : opts.sortCol, dir: opts.sortDir || 1, page: 0, rows: rows };
  var wrap = el('div', { class: 'table' });
  function order() {
    if (s.col < 0) return s.rows;
    var c = columns[s.col];
    var idx = s.rows.map(function (r, i) { return i; });
    idx.sort(function (i, j) { return s.dir * compare(c.type, c.get(s.rows[i]), c.get(s.rows[j])) || i - j; });
    return idx.map(function (i) { return s.rows[i]; });
  }
  function render() {
    wrap.textContent = '';
    var all = order(), size = opts.pageSize || Math.max(1, all.length);
    var pages = Math.max(1, Math.ceil(all.length / size));
    if (s.page >= pages) s.page = pages - 1;
    var head = el('tr', null, columns.map(function (c, i) {
      return el('th', { text: c.label, scope: 'col', tabindex: '0', class: c.type === 'text' ? null : 'num',
        'data-dir': i === s.col ? (s.dir > 0 ? 'asc' : 'desc') : null,
        onclick: function () { if (s.col === i) s.dir = -s.dir; else { s.col = i; s.dir = 1; } s.page = 0; render(); },
        onkeydown: function (e) { if (e.key === 'Enter') e.target.click(); } });
    }));
    var body = el('tbody');
    all.slice(s.page * size, (s.page + 1) * size).forEach(function (r) {
      body.appendChild(el('tr', opts.rowAttrs ? opts.rowAttrs(r) : null, columns.map(function (c) {
        var v = c.cell ? c.cell(r) : c.get(r);
        var cls = c.key + (c.type === 'text' ? '' : ' num') + (c.type === 'dec' && typeof v === 'string' && v[0] === '-' ? ' neg' : '');
        return el('td', { class: cls }, [v == null ? '\u2013' : typeof v === 'object' ? v : String(v)]);
      })));
    });
    wrap.appendChild(el('div', { class: 'scroll' }, [el('table', null, [el('thead', null, [head]), body])]));
    if (pages > 1) wrap.appendChild(pager(s.page, pages, all.length, function (p) { s.page = p; render(); }));
  }
  render();
  return { node: wrap, setRows: function (r) { s.rows = r; s.page = 0; render(); } };
}
function pager(page, pages, count, go) {
  function button(label, to) {
    return el('button', { type: 'button', text: label, disabled: to < 0 || to >= pages || to === page ? '' : null,
      onclick: function () { go(to); } });
  }
  return el('div', { class: 'pager', 'data-pages': String(pages) }, [button('\u00AB', 0), button('\u2039', page - 1),
    el('span', { class: 'page', text: 'page ' + (page + 1) + ' of ' + pages + ' (' + count + ' rows)' }),
    button('\u203A', page + 1), button('\u00BB', pages - 1)]);
}

// Charts: drawn without animation, then marked for the browser test (dump-dom shows no
// pixels): data-drawn="1" when the canvas holds painted pixels, data-points = values drawn.
function painted(canvas) {
  try {
    var d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (var i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
  } catch (e) { /* an unreadable canvas counts as not drawn */ }
  return false;
}
var live = {};
function chart(canvas, type, labels, values, opts) {
  if (live[canvas.id]) live[canvas.id].destroy();
  opts = opts || {};
  var c = new Chart(canvas, {
    type: type,
    data: { labels: labels, datasets: [{ data: values, backgroundColor: opts.colors || '#5b8def', borderColor: '#3b6fd6',
      spanGaps: true, label: opts.label || '' }] },
    options: { responsive: true, maintainAspectRatio: false, indexAxis: opts.horizontal ? 'y' : 'x',
      plugins: { legend: { display: false } },
      scales: { x: { ticks: { autoSkip: true } }, y: { ticks: opts.counts ? { precision: 0 } : {} } } }
  });
  live[canvas.id] = c;
  canvas.setAttribute('data-points', String(values.filter(function (v) { return v != null; }).length));
  canvas.setAttribute('data-drawn', painted(canvas) ? '1' : '0');
  return c;
}
// Long titles (Chinese rule titles run to 40 characters) are cut on the axis; the tables show them whole.
function cut(label, max) {
  label = String(label);
  max = max || 14;
  return label.length > max ? label.slice(0, max - 1) + '\u2026' : label;
}
// Chart.js gets numbers; the tables show the report's exact text.
function n(text) { return text == null ? null : Number(text); }

var rules = D.rules, tallies = D.tallies;
function ruleName(ri) { var r = rules[ri]; return r ? (r[1] || r[0]) : '?'; }
function who(t) { return t[1] == null ? t[0] : t[1]; }
var byEmployee = [], empIndex = {};
tallies.forEach(function (t, i) {
  if (!(t[0] in empIndex)) { empIndex[t[0]] = byEmployee.length; byEmployee.push({ id: t[0], name: null, tallies: [], findings: [] }); }
  var e = byEmployee[empIndex[t[0]]];
  e.tallies.push(i);
  if (t[1] != null) e.name = t[1];
});
D.findings.forEach(function (f, i) { var t = tallies[f[0]]; if (t) byEmployee[empIndex[t[0]]].findings.push(i); });
var periods = D.periods.map(function (p) { return p.period; });

// Header
var rb = D.rulebook;
document.title = 'decorum \u2014 ' + rb.name + (periods.length ? ' \u2014 ' + periods[periods.length - 1] : '');
$('title').textContent = 'Scores \u2014 ' + rb.name + (rb.version ? ' ' + rb.version : '');
$('meta').textContent = D.input.records + ' records: ' + D.input.scored + ' scored, ' + D.input.rejected + ' rejected \u00B7 '
  + byEmployee.length + ' employees \u00B7 ' + tallies.length + ' tallies \u00B7 period ' + D.period_kind
  + (periods.length > 1 ? ' (' + periods[0] + ' \u2026 ' + periods[periods.length - 1] + ')' : '')
  + (D.as_of ? ' \u00B7 as of ' + D.as_of : '');
$('footer').textContent = 'rulebook ' + rb.name + (rb.version ? ' version ' + rb.version : '') + ', sha256 ' + rb.sha256
  + ', ' + rb.rules + ' rules \u00B7 currency ' + D.currency
  + (D.pending ? ' \u00B7 ' + D.pending + ' duties pending' : '')
  + (D.appeals[0] + D.appeals[3] ? ' \u00B7 appeals: ' + D.appeals[0] + ' applied (' + D.appeals[1] + ' voided, '
    + D.appeals[2] + ' upheld), ' + D.appeals[3] + ' unmatched' : '') + ' \u00B7 written by decorum';

// Overview of one period.
var tallyColumns = [
  { key: 'employee', label: 'employee', type: 'text', get: function (t) { return t[0]; },
    cell: function (t) { return el('a', { class: 'emp', text: t[0], onclick: function () { showEmployee(t[0]); } }); } },
  { key: 'name', label: 'name', type: 'text', get: function (t) { return t[1]; } },
  { key: 'score', label: 'score', type: 'dec', get: function (t) { return t[6]; } },
  { key: 'grade', label: 'grade', type: 'text', get: function (t) { return t[7]; } },
  { key: 'deductions', label: 'deductions', type: 'dec', get: function (t) { return t[4]; } },
  { key: 'bonuses', label: 'bonuses', type: 'dec', get: function (t) { return t[5]; } },
  { key: 'fines', label: 'fines', type: 'dec', get: function (t) { return t[8]; } },
  { key: 'findings', label: 'findings', type: 'num', get: function (t) { return t[9]; } },
  { key: 'flags', label: 'flags', type: 'text', get: function (t) { return t[11].join(', '); } }
];
var employeesTable = null, periodTallies = [];
function filterTallies() {
  var q = $('filter').value.trim().toLowerCase();
  return !q ? periodTallies : periodTallies.filter(function (t) {
    return t[0].toLowerCase().indexOf(q) >= 0 || (t[1] || '').toLowerCase().indexOf(q) >= 0;
  });
}
function overview(k) {
  var p = D.periods[k];
  if (!p) { $('summary').textContent = 'No tallies: nothing was scored.'; return; }
  $('overview-period').textContent = p.period;
  periodTallies = tallies.filter(function (t) { return t[2] === p.period; });
  var sorted = periodTallies.slice().sort(function (a, b) { return cmpDec(a[6], b[6]); });
  var shown = sorted.slice(0, TOP_SCORES);
  $('caption-scores').textContent = sorted.length > TOP_SCORES ? 'Scores: the ' + TOP_SCORES + ' lowest of ' + sorted.length : 'Scores';
  chart($('chart-scores'), 'bar', shown.map(function (t) { return cut(who(t)); }), shown.map(function (t) { return n(t[6]); }));
  chart($('chart-grades'), 'bar', p.grades.map(function (g) { return g[0] == null ? 'no grade' : g[0]; }),
    p.grades.map(function (g) { return g[1]; }), { counts: true });
  chart($('chart-categories'), 'bar', p.categories.map(function (c) { return cut(c[0] || '(none)'); }),
    p.categories.map(function (c) { return n(c[1]); }));
  var top = p.rules.slice(0, TOP_RULES);
  chart($('chart-rules'), 'bar', top.map(function (r) { return cut(ruleName(r[0]), 12); }), top.map(function (r) { return n(r[2]); }),
    { horizontal: true });
  $('summary').textContent = p.tallies + ' employees in ' + p.period + '; grades: ' + p.grades.map(function (g) {
    return (g[0] == null ? 'no grade' : g[0]) + ' ' + g[1];
  }).join(', ') + '.';
  if (employeesTable) employeesTable.setRows(filterTallies());
  else { employeesTable = table(tallyColumns, filterTallies(), { pageSize: PAGE, sortCol: 2 }); $('table-employees').appendChild(employeesTable.node); }
  $('table-rules').textContent = '';
  $('table-rules').appendChild(table([
    { key: 'rule', label: 'rule', type: 'text', get: function (r) { return rules[r[0]][0]; } },
    { key: 'title', label: 'title', type: 'text', get: function (r) { return rules[r[0]][1]; } },
    { key: 'category', label: 'category', type: 'text', get: function (r) { return rules[r[0]][2]; } },
    { key: 'count', label: 'count', type: 'num', get: function (r) { return r[1]; } },
    { key: 'points', label: 'points', type: 'dec', get: function (r) { return r[2]; } },
    { key: 'fines', label: 'fines', type: 'dec', get: function (r) { return r[3]; } }
  ], p.rules, { pageSize: PAGE }).node);
  $('table-categories').textContent = '';
  $('table-categories').appendChild(table([
    { key: 'category', label: 'category', type: 'text', get: function (c) { return c[0]; } },
    { key: 'points', label: 'points', type: 'dec', get: function (c) { return c[1]; } }
  ], p.categories, { pageSize: PAGE }).node);
  // score --group-by: the period's roll-ups, one row per group.
  if (D.groups) {
    $('groups-part').hidden = false;
    $('groups-title').textContent = 'Groups by ' + D.groups.by;
    $('table-groups').textContent = '';
    $('table-groups').appendChild(table([
      { key: 'group', label: D.groups.by, type: 'text', get: function (g) { return g[0] == null ? '(none)' : g[0]; } },
      { key: 'employees', label: 'employees', type: 'num', get: function (g) { return g[2]; } },
      { key: 'mean', label: 'mean score', type: 'dec', get: function (g) { return g[3]; } },
      { key: 'median', label: 'median score', type: 'dec', get: function (g) { return g[4]; } },
      { key: 'deductions', label: 'deductions', type: 'dec', get: function (g) { return g[5]; } },
      { key: 'bonuses', label: 'bonuses', type: 'dec', get: function (g) { return g[6]; } },
      { key: 'grades', label: 'grades', type: 'text', get: function (g) {
        return g[7].map(function (x) { return x[0] + ' ' + x[1]; }).concat(g[8] ? ['no grade ' + g[8]] : []).join(', ');
      } }
    ], D.groups.rows.filter(function (g) { return g[1] === p.period; }), { pageSize: PAGE }).node);
  }
}

// One section per employee: their tallies, trend and findings, in pages of cards.
var cardState = { page: 0, list: byEmployee };
function card(e) {
  var art = el('article', { class: 'employee', 'data-employee': e.id, id: 'employee-' + empIndex[e.id] });
  art.appendChild(el('h3', null, [e.name == null ? e.id : e.name, ' ', el('span', { class: 'id', text: e.id })]));
  var rows = e.tallies.map(function (i) { return tallies[i]; });
  art.appendChild(table([
    { key: 'period', label: 'period', type: 'text', get: function (t) { return t[2]; } },
    { key: 'score', label: 'score', type: 'dec', get: function (t) { return t[6]; } },
    { key: 'grade', label: 'grade', type: 'text', get: function (t) { return t[7]; } },
    { key: 'base', label: 'base', type: 'dec', get: function (t) { return t[3]; } },
    { key: 'deductions', label: 'deductions', type: 'dec', get: function (t) { return t[4]; } },
    { key: 'bonuses', label: 'bonuses', type: 'dec', get: function (t) { return t[5]; } },
    { key: 'fines', label: 'fines', type: 'dec', get: function (t) { return t[8]; } },
    { key: 'findings', label: 'findings', type: 'num', get: function (t) { return t[9]; } },
    { key: 'voided', label: 'voided', type: 'num', get: function (t) { return t[10]; } },
    { key: 'flags', label: 'flags', type: 'text', get: function (t) { return t[11].join(', '); } }
  ], rows, { rowAttrs: function (t) { return { 'data-period': t[2] }; } }).node);
  if (periods.length > 1) {
    var canvas = el('canvas', { class: 'trend', id: 'trend-' + empIndex[e.id], role: 'img', 'aria-label': 'score per period' });
    art.appendChild(el('figure', null, [el('figcaption', { text: 'Score per period' }), el('div', { class: 'chart' }, [canvas])]));
    var score = {};
    rows.forEach(function (t) { score[t[2]] = t[6]; });
    art.pendingChart = function () {
      chart(canvas, 'line', periods, periods.map(function (p) { return n(score[p]); }), { colors: '#3b6fd6' });
    };
  }
  if (!D.findings_kept) {
    art.appendChild(el('p', { class: 'note', text: 'Findings were not kept for this report (partial results scored without --findings).' }));
  } else if (e.findings.length) {
    art.appendChild(el('h4', { text: 'Findings (' + e.findings.length + ')' }));
    art.appendChild(table([
      { key: 'period', label: 'period', type: 'text', get: function (i) { return tallies[D.findings[i][0]][2]; } },
      { key: 'time', label: 'time', type: 'text', get: function (i) { return D.findings[i][1]; } },
      { key: 'rule', label: 'rule', type: 'text', get: function (i) { return ruleName(D.findings[i][2]); },
        cell: function (i) { var r = rules[D.findings[i][2]]; return el('span', null, [r[1] || r[0], ' ', el('span', { class: 'rule-id', text: r[0] })]); } },
      { key: 'points', label: 'points', type: 'dec', get: function (i) { return D.findings[i][4]; } },
      { key: 'fine', label: 'fine', type: 'dec', get: function (i) { return D.findings[i][5]; } },
      { key: 'times', label: '\u00D7', type: 'num', get: function (i) { return D.findings[i][3]; } },
      { key: 'evidence', label: 'evidence', type: 'text', get: function (i) { return D.findings[i][8]; } },
      { key: 'source', label: 'source', type: 'text', get: function (i) {
        var f = D.findings[i]; return f[6] < 0 ? 'no record counted' : D.sources[f[6]] + ':' + f[7]; } },
      { key: 'appeal', label: 'appeal', type: 'text', get: function (i) {
        var a = D.findings[i][9]; return a ? a[0] + ' by ' + a[1] + ': ' + a[2] + ' (' + a[3] + ')' : null; } }
    ], e.findings, { pageSize: FINDINGS }).node);
  } else {
    art.appendChild(el('p', { class: 'note', text: 'No findings.' }));
  }
  return art;
}
function renderCards() {
  var box = $('cards'), list = cardState.list;
  Object.keys(live).forEach(function (id) { if (id.indexOf('trend-') === 0) { live[id].destroy(); delete live[id]; } });
  box.textContent = '';
  var pages = Math.max(1, Math.ceil(list.length / CARDS));
  if (cardState.page >= pages) cardState.page = pages - 1;
  var shown = list.slice(cardState.page * CARDS, (cardState.page + 1) * CARDS).map(card);
  if (pages > 1) box.appendChild(pager(cardState.page, pages, list.length, function (p) { cardState.page = p; renderCards(); }));
  shown.forEach(function (a) { box.appendChild(a); });
  shown.forEach(function (a) { if (a.pendingChart) a.pendingChart(); });
  if (!list.length) box.appendChild(el('p', { class: 'note', text: 'No employee matches.' }));
}
function filterCards(q, exact) {
  q = q.trim().toLowerCase();
  cardState.list = !q ? byEmployee : byEmployee.filter(function (e) {
    return exact ? e.id.toLowerCase() === q : e.id.toLowerCase().indexOf(q) >= 0 || (e.name || '').toLowerCase().indexOf(q) >= 0;
  });
  cardState.page = 0;
  renderCards();
}
function showEmployee(id) {
  $('card-filter').value = id;
  filterCards(id, true);
  var a = document.querySelector('#cards article');
  if (a) a.scrollIntoView();
}

// Rejected records.
if (D.rejected.length) {
  $('rejected-section').hidden = false;
  $('table-rejected').appendChild(table([
    { key: 'source', label: 'source', type: 'text', get: function (x) { return x[0]; } },
    { key: 'line', label: 'line', type: 'num', get: function (x) { return x[1]; } },
    { key: 'error', label: 'error', type: 'text', get: function (x) { return x[2]; } }
  ], D.rejected, { pageSize: PAGE }).node);
}

var select = $('period');
periods.forEach(function (p, k) { select.appendChild(el('option', { value: String(k), text: p })); });
if (periods.length > 1) $('period-controls').hidden = false;
select.value = String(Math.max(0, periods.length - 1));
select.addEventListener('change', function () { overview(Number(select.value)); });
$('filter').addEventListener('input', function () { if (employeesTable) employeesTable.setRows(filterTallies()); });
$('card-filter').addEventListener('input', function () { filterCards($('card-filter').value, false); });
overview(periods.length - 1);
renderCards();
document.body.setAttribute('data-render-ms', String(Math.round(performance.now() - started)));
document.body.setAttribute('data-ready', '1');
})();
</script>
</body>
</html>
)page";

}  // namespace decorum::detail
