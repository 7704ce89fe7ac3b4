// testdata console: Start: load the catalogue, wire the page. Every string from the user or the server is put in
// the page as text (textContent, text nodes), never parsed as HTML.
import { call, state } from './api.js';
import { EXAMPLE_SCHEMA, checkInlineSchema, onSchemaChanged, onSourceChange } from './builder.js';
import { renderEntityList, selectEntity } from './catalogue.js';
import { $, el, setupTabs, showError } from './dom.js';
import { addConstraint, addScenario } from './editors.js';
import { download, generate, onDownloadFrameLoad } from './results.js';
import { copySnippet, renderSnippet } from './snippets.js';

export let selectView = () => {};

export function newSeed() {
  const words = crypto.getRandomValues(new Uint32Array(2));
  // A seed below 2^53, so it survives every JSON parser exactly.
  $('seed').value = String((words[0] & 0x1fffff) * 2 ** 32 + words[1]);
}

export async function loadCatalogue() {
  let res;
  try {
    res = await call('GET', '/v1/catalogue');
  } catch (e) {
    showError($('global-error'), `Cannot reach the server: ${e.message}`);
    return;
  }
  if (res.status !== 200 || !res.body) {
    if (res.status !== 401) showError($('global-error'), `The catalogue did not load: HTTP ${res.status} ${res.text}`);
    return;
  }
  showError($('global-error'), '');
  const c = res.body;
  state.catalogue = c;
  state.byName = new Map(c.entities.map((e) => [e.name, e]));
  $('server-info').textContent = `testdata-server ${c.version} · ${c.entities.length} entities · gRPC port ${c.grpc_port}`;
  if (c.api_keys_required) $('key-box').hidden = false;
  const domains = new Map();
  for (const e of c.entities) {
    const d = e.domain || '(no domain)';
    if (!domains.has(d)) domains.set(d, []);
    domains.get(d).push(e);
  }
  $('entity').replaceChildren(...[...domains].map(([d, es]) => el('optgroup', { label: d }, es.map((e) => el('option', { value: e.name }, e.name)))));
  $('method').replaceChildren(...c.methods.map((m) => el('option', { value: m }, m)));
  $('method-help').textContent = c.methods.length === 1
    ? 'Only the seeded engine is configured on this server (LLM, RAG and Hybrid need providers).'
    : `Configured on this server: ${c.methods.join(', ')}.`;
  $('count').max = String(c.max_stream_records);
  $('count-help').textContent = `Preview: up to ${c.max_sync_records} records. Download: up to ${c.max_stream_records.toLocaleString('en')}.`;
  renderEntityList();
  if (c.entities.length) selectEntity(state.byName.has('cart') ? 'cart' : c.entities[0].name);
  onSchemaChanged();
}

export function init() {
  selectView = setupTabs($('views'));
  setupTabs($('result-views'));
  $('api-key').value = state.apiKey;
  $('api-key-apply').addEventListener('click', () => {
    state.apiKey = $('api-key').value;
    sessionStorage.setItem('testdata-api-key', state.apiKey);
    loadCatalogue();
  });
  $('api-key').addEventListener('keydown', (e) => { if (e.key === 'Enter') $('api-key-apply').click(); });
  $('search').addEventListener('input', renderEntityList);
  for (const r of document.querySelectorAll('input[name=source]')) r.addEventListener('change', onSourceChange);
  $('entity').addEventListener('change', onSchemaChanged);
  $('inline-schema').addEventListener('input', checkInlineSchema);
  $('inline-example').addEventListener('click', (e) => {
    e.preventDefault();
    $('inline-schema').value = JSON.stringify(EXAMPLE_SCHEMA, null, 2);
    checkInlineSchema();
  });
  $('new-seed').addEventListener('click', newSeed);
  $('add-scenario').addEventListener('click', addScenario);
  $('add-constraint').addEventListener('click', addConstraint);
  $('builder').addEventListener('submit', generate);
  $('download').addEventListener('click', download);
  $('download-frame').addEventListener('load', onDownloadFrameLoad);
  $('copy-kind').addEventListener('change', renderSnippet);
  $('copy-button').addEventListener('click', copySnippet);
  newSeed();
  loadCatalogue();
}

init();
