// testdata console: The catalogue view: entities by domain, search, an entity's fields, rules and sample.
import { state } from './api.js';
import { selectView } from './app.js';
import { onSchemaChanged, onSourceChange } from './builder.js';
import { $, el } from './dom.js';
import { TYPES_BY_HINT, constraintsOf, flattenFields, fmtCompute } from './schema.js';

export function renderEntityList() {
  const q = $('search').value.trim().toLowerCase();
  const list = $('entities');
  list.replaceChildren();
  const domains = new Map();
  let shown = 0;
  for (const e of state.catalogue.entities) {
    const hay = [e.name, e.description, ...(e.schema.fields || []).map((f) => f.name)].join(' ').toLowerCase();
    if (q && !hay.includes(q)) continue;
    shown++;
    const d = e.domain || '(no domain)';
    if (!domains.has(d)) domains.set(d, []);
    domains.get(d).push(e);
  }
  for (const [domain, entities] of domains) {
    list.append(el('h3', {}, domain));
    list.append(el('ul', {}, entities.map((e) => el('li', {}, el('button', {
      type: 'button',
      'aria-current': state.selected === e.name ? 'true' : 'false',
      'data-entity': e.name,
      onclick: () => selectEntity(e.name),
    }, e.name, el('span', { className: 'count' }, `${e.schema.fields.length}`))))));
  }
  $('search-count').textContent = `${shown} of ${state.catalogue.entities.length} entities`;
}

export function selectEntity(name) {
  state.selected = name;
  renderEntityList();
  renderEntityDetail(state.byName.get(name));
}

export function renderEntityDetail(e) {
  const detail = $('entity-detail');
  const rows = flattenFields(e.schema.fields).map(({ display, field: f, type, depth }) => {
    const notes = [];
    if (f.format) notes.push(el('span', { className: 'note' }, el('b', {}, 'ID template '), el('code', {}, f.format)));
    if (f.compute) notes.push(el('span', { className: 'note' }, el('b', {}, 'computed '), fmtCompute(f.compute)));
    if (f.ref) {
      notes.push(el('span', { className: 'note' }, el('b', {}, 'reference '),
        `${f.ref.entity}.${f.ref.field}` + (f.ref.count ? ` (one of ${f.ref.count} records, same seed)` : '')));
    }
    if (f.description) notes.push(el('span', { className: 'note' }, f.description));
    const itemType = type === 'array' && f.items ? `array of ${TYPES_BY_HINT(f.items)}` : type;
    const kind = f.kind || (f.items && f.items.kind) || '';
    return el('tr', { className: `depth${Math.min(depth, 3)}` },
      el('td', {}, display),
      el('td', {}, itemType),
      el('td', {}, kind),
      el('td', {}, constraintsOf(f).map((c) => el('code', {}, c)).reduce((acc, c) => acc.concat(acc.length ? [' ', c] : [c]), [])),
      el('td', {}, notes));
  });
  detail.replaceChildren(
    el('div', { className: 'entity-head' },
      el('h2', { id: 'entity-title' }, e.name),
      e.domain ? el('span', { className: 'tag' }, e.domain) : null,
      el('span', { className: 'help' }, `${e.schema.fields.length} fields · ${e.origin}`),
      el('button', { type: 'button', className: 'primary', id: 'use-entity', onclick: () => useEntity(e.name) }, 'Use in request builder')),
    el('p', {}, e.description),
    (e.schema.rules || []).length ? el('div', {}, el('h3', {}, 'Rules'), el('ul', { className: 'rules' }, e.schema.rules.map((r) => el('li', {}, r)))) : '',
    el('div', { className: 'detail-grid' },
      el('div', {},
        el('h3', {}, 'Fields'),
        el('div', { className: 'fields-wrap' }, el('table', { className: 'fields', 'aria-label': `Fields of ${e.name}` },
          el('thead', {}, el('tr', {}, ['Field', 'Type', 'Kind', 'Constraints', 'Notes'].map((h) => el('th', { scope: 'col' }, h)))),
          el('tbody', {}, rows)))),
      el('div', {},
        el('h3', {}, `Sample record (record 0 of seed ${state.catalogue.sample_seed})`),
        el('pre', { className: 'raw', tabindex: '0', 'aria-label': `Sample ${e.name}` }, JSON.stringify(e.sample, null, 2)))));
}

export function useEntity(name) {
  document.querySelector('input[name=source][value=entity]').checked = true;
  onSourceChange();
  $('entity').value = name;
  onSchemaChanged();
  selectView('tab-generate');
  $('entity').focus();
}
