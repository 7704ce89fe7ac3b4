// testdata console: Generating a preview, downloading, and the results: metadata, table (nested values expandable), raw view.
import { call, state } from './api.js';
import { $, el, showError } from './dom.js';
import { requestOrShowError } from './request.js';
import { renderSnippet } from './snippets.js';

export async function generate(event) {
  event.preventDefault();
  const request = requestOrShowError();
  if (!request) return;
  const max = state.catalogue.max_sync_records;
  if (request.count > max) {
    showError($('builder-error'), `A preview holds at most ${max} records (MAX_SYNC_RECORDS); use “Download file” for ${request.count}.`);
    $('count').focus();
    return;
  }
  $('generate').disabled = true;
  $('results-status').textContent = 'Generating…';
  showError($('results-error'), '');
  const started = performance.now();
  let res;
  try {
    res = await call('POST', '/v1/generate', request);
  } catch (e) {
    res = { status: 0, body: null, text: String(e) };
  }
  $('generate').disabled = false;
  const ms = Math.round(performance.now() - started);
  const b = res.body;
  if (!b || !b.success) {
    $('results-status').textContent = `Failed after ${ms} ms.`;
    showError($('results-error'), (b && b.error) ? `${b.error} (${b.error_code})` : `HTTP ${res.status}: ${res.text}`);
    return;
  }
  state.last = { request, response: b, seed: exactSeed(res.text) };
  renderResults();
  $('results-status').textContent = `${b.record_count} records in ${ms} ms (round trip).`;
}

/** The seed digits of the response's metadata (a u64 may exceed what a JS number holds). */
export function exactSeed(text) {
  const all = [...text.matchAll(/"seed":\s*(\d+)/g)];
  return all.length ? all[all.length - 1][1] : '';
}

export function download() {
  const request = requestOrShowError();
  if (!request) return;
  const form = el('form', { method: 'POST', action: '/v1/download', target: 'download-frame', hidden: true },
    el('input', { type: 'hidden', name: 'request' }),
    el('input', { type: 'hidden', name: 'api_key' }));
  form.elements.request.value = JSON.stringify(request);
  form.elements.api_key.value = state.apiKey;
  document.body.append(form);
  form.submit();
  form.remove();
  $('results-status').textContent = `Download of ${request.count} records started; the browser saves it as it arrives.`;
}

/** A download that failed answers JSON into the hidden frame: show its sentence. */
export function onDownloadFrameLoad() {
  let text = '';
  try { text = $('download-frame').contentDocument.body.textContent; } catch (_) { return; }
  if (!text) return;
  try {
    const b = JSON.parse(text);
    showError($('results-error'), `Download failed: ${b.error} (${b.error_code})`);
  } catch (_) {
    showError($('results-error'), `Download failed: ${text.slice(0, 500)}`);
  }
}

export function renderResults() {
  const { request, response: b, seed } = state.last;
  const m = b.metadata || {};
  const item = (k, v) => el('div', {}, el('dt', {}, k), el('dd', {}, v));
  $('meta').replaceChildren(
    item('Seed', seed || String(m.seed)),
    item('Path', m.generation_path + (m.fallback ? ' (fallback)' : '')),
    el('div', { className: 'wide' }, el('dt', {}, 'Routing reason'), el('dd', {}, m.routing_reason || '—')),
    item('Server time', `${Number(m.generation_time_ms).toFixed(m.generation_time_ms < 10 ? 2 : 0)} ms`),
    item('Coherence', typeof m.coherence_score === 'number' ? m.coherence_score.toFixed(3) : '—'),
    item('Cache hit', m.cache_hit ? 'yes' : 'no'),
    item('LLM tokens', String(m.llm_tokens_used ?? 0)),
    item('Records', String(b.record_count)),
    item('Schema', m.schema_name || '—'),
    item('Scenarios', Object.entries(m.scenario_counts || {}).map(([k, v]) => `${k}: ${v}`).join(', ') || '—'),
    el('div', { className: 'wider' }, el('dt', {}, 'Request ID'), el('dd', {}, b.request_id)));
  const raw = typeof b.data === 'string' ? b.data : JSON.stringify(b.data, null, 2);
  $('raw').textContent = raw;
  renderTable(request.output_format, b.data);
  renderSnippet();
  $('results-body').hidden = false;
}

export function recordsOf(format, data) {
  if (format === 'JSON') return Array.isArray(data) ? data : null;
  if (format === 'JSONL') return String(data).split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  if (format === 'CSV') return parseCsv(String(data));
  return null;
}

/** RFC 4180 CSV to objects (header row gives the keys). */
export function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  const [head, ...body] = rows;
  return (body || []).map((r) => Object.fromEntries((head || []).map((h, i) => [h, r[i]])));
}

export function renderTable(format, data) {
  const panel = $('panel-table');
  let records;
  try { records = recordsOf(format, data); } catch (e) { records = null; }
  if (!records) {
    panel.replaceChildren(el('p', { className: 'help' }, `The table shows JSON, JSONL and CSV; ${format} is in the Raw view.`));
    return;
  }
  panel.replaceChildren(recordTable(records, 'Generated records'));
}

/** A table of records: one column per key (in order of first appearance). */
export function recordTable(records, label) {
  const keys = [];
  for (const r of records) {
    if (r && typeof r === 'object' && !Array.isArray(r)) for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k);
  }
  if (!keys.length) return el('ul', {}, records.map((v) => el('li', {}, cellContent(v))));
  return el('table', { className: 'records', 'aria-label': label },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, '#'), keys.map((k) => el('th', { scope: 'col' }, k)))),
    el('tbody', {}, records.map((r, i) => el('tr', { 'data-row': String(i) },
      el('td', { className: 'num' }, String(i)),
      keys.map((k) => valueCell(r ? r[k] : undefined, k))))));
}

export function valueCell(v, key) {
  const cls = v === null || v === undefined ? 'null'
    : typeof v === 'number' ? 'num' : (typeof v === 'string' && v.length > 40 ? 'long' : '');
  return el('td', { className: cls, 'data-key': key }, cellContent(v));
}

export function cellContent(v) {
  if (v === null) return 'null';
  if (v === undefined) return '';
  if (Array.isArray(v)) {
    if (!v.length) return '[]';
    return el('details', {}, el('summary', {}, `${v.length} item${v.length === 1 ? '' : 's'}`), recordTable(v, 'items'));
  }
  if (typeof v === 'object') {
    const keys = Object.keys(v);
    return el('details', {}, el('summary', {}, `{${keys.length} fields}`),
      el('table', {}, el('tbody', {}, keys.map((k) => el('tr', {}, el('th', { scope: 'row' }, k), valueCell(v[k], k))))));
  }
  return String(v);
}
