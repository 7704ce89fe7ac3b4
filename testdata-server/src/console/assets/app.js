// testdata console. Plain JavaScript, no dependencies. Every string that comes from the user or
// the server is put in the page as text (textContent / text nodes), never parsed as HTML.
'use strict';

const state = {
  catalogue: null,          // GET /v1/catalogue
  byName: new Map(),        // entity name -> catalogue entry
  selected: null,           // entity shown in the catalogue
  inlineSchema: null,       // the last inline schema that checked valid (normalised)
  inlineValid: false,
  apiKey: sessionStorage.getItem('testdata-api-key') || '',
  last: null,               // {request, response, seed} of the last generation
};

// ---------- small DOM helpers ----------

const $ = (id) => document.getElementById(id);

/** An element with attributes (strings; `on*` keys are listeners) and children (nodes or text). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'className') node.className = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function showError(node, message) {
  node.textContent = message || '';
  node.hidden = !message;
}

let uid = 0;
const nextId = (prefix) => `${prefix}-${++uid}`;

// ---------- server calls ----------

function headers(json) {
  const h = {};
  if (json) h['content-type'] = 'application/json';
  if (state.apiKey) h['x-api-key'] = state.apiKey;
  return h;
}

/** Fetches JSON; resolves {status, body, text}. A 401 shows the API key box. */
async function call(method, path, body) {
  const init = { method, headers: headers(body !== undefined) };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(path, init);
  const text = await res.text();
  let parsed = null;
  try { parsed = JSON.parse(text); } catch (_) { parsed = null; }
  if (res.status === 401) showKeyBox(parsed && parsed.error);
  return { status: res.status, body: parsed, text };
}

function showKeyBox(message) {
  $('key-box').hidden = false;
  if (message) showError($('global-error'), message + ' Enter it in “API key” above.');
  $('api-key').focus();
}

// ---------- tabs (keyboard: arrows, Home, End) ----------

function setupTabs(list, onChange) {
  const tabs = [...list.querySelectorAll('[role=tab]')];
  const select = (tab, focus) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute('aria-controls')).hidden = !on;
    }
    if (focus) tab.focus();
    if (onChange) onChange(tab);
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => select(tab, false));
    tab.addEventListener('keydown', (e) => {
      const move = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
      if (move) select(tabs[(i + move + tabs.length) % tabs.length], true);
      else if (e.key === 'Home') select(tabs[0], true);
      else if (e.key === 'End') select(tabs[tabs.length - 1], true);
      else return;
      e.preventDefault();
    });
  });
  return (id) => select($(id), false);
}

// ---------- schema helpers ----------

const TYPES_BY_HINT = (f) => {
  if (f.type) return f.type;
  if (f.fields) return 'object';
  if (f.items) return 'array';
  if (f.values || f.one_of) return 'enum';
  if (f.compute) return 'decimal';
  return 'string';
};

/** Every field of a schema with its request path (`items.price` for a member of each element
 * of `items`, as constraints and overrides name it) and its display path (`items[].price`). */
function flattenFields(fields, prefix = '', shown = '', depth = 0, out = []) {
  for (const f of fields || []) {
    const path = prefix ? `${prefix}.${f.name}` : f.name;
    const display = shown ? `${shown}.${f.name}` : f.name;
    const type = TYPES_BY_HINT(f);
    out.push({ path, display, field: f, type, depth });
    if (type === 'object') flattenFields(f.fields, path, display, depth + 1, out);
    if (type === 'array' && f.items && TYPES_BY_HINT(f.items) === 'object') {
      flattenFields(f.items.fields, path, `${display}[]`, depth + 1, out);
    }
  }
  return out;
}

function fmtCompute(c) {
  if (!c || typeof c !== 'object') return JSON.stringify(c);
  const [rule, arg] = Object.entries(c)[0] || [];
  switch (rule) {
    case 'sum_product': return `Σ ${arg.array}[] of ${(arg.fields || []).join(' × ')}`;
    case 'percent': return `${arg.rate}% of ${arg.of}`;
    case 'sum': return (arg || []).join(' + ');
    case 'difference': return (arg || []).join(' − ');
    case 'product': return (arg || []).join(' × ');
    case 'copy': return `copy of ${arg}`;
    case 'bucket': return `bucket of ${arg.of}: thresholds ${JSON.stringify(arg.thresholds)} → ${JSON.stringify(arg.values)}`;
    default: return `${rule}: ${JSON.stringify(arg)}`;
  }
}

/** Constraint phrases of a field (everything but type, kind, template, compute and ref). */
function constraintsOf(f) {
  const out = [];
  const has = (k) => f[k] !== undefined && f[k] !== null;
  if (has('min') && has('max')) out.push(`${f.min} ≤ x ≤ ${f.max}`);
  else if (has('min')) out.push(`≥ ${f.min}`);
  else if (has('max')) out.push(`≤ ${f.max}`);
  if (has('exclusive_min')) out.push(`> ${f.exclusive_min}`);
  if (has('exclusive_max')) out.push(`< ${f.exclusive_max}`);
  if (has('min_length') || has('max_length')) out.push(`length ${f.min_length ?? 0}..${f.max_length ?? '∞'}`);
  if (has('min_items') || has('max_items')) out.push(`${f.min_items ?? 1}..${f.max_items ?? 5} items`);
  if (f.non_empty) out.push('non-empty');
  if (has('pattern')) out.push(`pattern ${f.pattern}`);
  const values = f.values || f.one_of;
  if (values) {
    const w = f.weights;
    out.push('one of ' + values.map((v, i) => (w ? `${v} (${w[i]})` : String(v))).join(', '));
  }
  if (f.unique) out.push('unique');
  if (has('optional')) out.push(`null ${Math.round(f.optional * 100)}%`);
  if (f.required === false) out.push('optional');
  if (has('scale')) out.push(`scale ${f.scale}`);
  if (has('precision')) out.push(`precision ${f.precision}`);
  if (has('probability')) out.push(`P(true) ${f.probability}`);
  if (has('after')) out.push(`after ${f.after}${has('max_gap') ? ` (≤ ${f.max_gap})` : ''}`);
  if (has('before')) out.push(`before ${f.before}${has('max_gap') ? ` (≤ ${f.max_gap})` : ''}`);
  if (has('at_most')) out.push(`≤ ${f.at_most}`);
  if (has('at_least')) out.push(`≥ ${f.at_least}`);
  if (has('present_if')) out.push(`set if ${f.present_if.field} ∈ {${(f.present_if.in || []).join(', ')}}`);
  if (has('value')) out.push(`fixed ${JSON.stringify(f.value)}`);
  if (has('locale')) out.push(`locale ${f.locale}`);
  return out;
}

// ---------- catalogue view ----------

function renderEntityList() {
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

function selectEntity(name) {
  state.selected = name;
  renderEntityList();
  renderEntityDetail(state.byName.get(name));
}

function renderEntityDetail(e) {
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

function useEntity(name) {
  document.querySelector('input[name=source][value=entity]').checked = true;
  onSourceChange();
  $('entity').value = name;
  onSchemaChanged();
  selectView('tab-generate');
  $('entity').focus();
}

// ---------- request builder ----------

function currentFields() {
  if (sourceKind() === 'inline') return state.inlineSchema ? flattenFields(state.inlineSchema.fields) : [];
  const e = state.byName.get($('entity').value);
  return e ? flattenFields(e.schema.fields) : [];
}

const sourceKind = () => document.querySelector('input[name=source]:checked').value;

function onSourceChange() {
  const inline = sourceKind() === 'inline';
  $('source-entity').hidden = inline;
  $('source-inline').hidden = !inline;
  if (inline) checkInlineSchema();
  onSchemaChanged();
}

/** The field pickers of overrides and constraints follow the chosen schema. */
function onSchemaChanged() {
  for (const select of document.querySelectorAll('select.field-pick')) fillFieldPicker(select);
}

function fillFieldPicker(select) {
  const keep = select.value;
  const fields = currentFields();
  select.replaceChildren(el('option', { value: '' }, '— field —'),
    ...fields.map((f) => el('option', { value: f.path, 'data-type': f.type }, `${f.path} (${f.type})`)));
  if (fields.some((f) => f.path === keep)) select.value = keep;
  select.dispatchEvent(new Event('change'));
}

function fieldInfo(path) {
  return currentFields().find((f) => f.path === path);
}

let checkTimer = null;
let checkSeq = 0;
function checkInlineSchema() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(runInlineCheck, 250);
}

async function runInlineCheck() {
  const area = $('inline-schema');
  const text = area.value;
  const seq = ++checkSeq;
  if (!text.trim()) {
    state.inlineValid = false;
    state.inlineSchema = null;
    area.setAttribute('aria-invalid', 'true');
    showError($('inline-schema-error'), 'Paste a schema: {"name": …, "fields": [ … ]} (docs/schema-format.md).');
    $('inline-schema-ok').hidden = true;
    return;
  }
  let res;
  try {
    res = await call('POST', '/v1/schema/check', text);
  } catch (e) {
    showError($('inline-schema-error'), `Cannot reach the server to check the schema: ${e.message}`);
    return;
  }
  if (seq !== checkSeq) return;
  const b = res.body || {};
  if (res.status === 200 && b.valid) {
    state.inlineValid = true;
    state.inlineSchema = b.schema;
    area.removeAttribute('aria-invalid');
    showError($('inline-schema-error'), '');
    $('inline-schema-ok').hidden = false;
    $('inline-schema-ok').textContent = `Valid: “${b.schema.name}”, ${b.schema.fields.length} fields.`;
  } else {
    state.inlineValid = false;
    state.inlineSchema = null;
    area.setAttribute('aria-invalid', 'true');
    $('inline-schema-ok').hidden = true;
    let where = '';
    if (b.line) where = `Line ${b.line}, column ${b.column}: `;
    else if (b.path) {
      const line = lineOfField(text, b.path);
      where = `Field “${b.path}”${b.rule ? ` (rule ${b.rule})` : ''}${line ? `, line ${line}` : ''}: `;
    }
    showError($('inline-schema-error'), where + (b.error || res.text || `HTTP ${res.status}`));
  }
  onSchemaChanged();
}

/** The line of the schema text where the field `path` (its last segment) is named. */
function lineOfField(text, path) {
  const last = path.split(/[.[\]]+/).filter(Boolean).pop();
  const lines = text.split('\n');
  const needle = JSON.stringify(last);
  const i = lines.findIndex((l) => new RegExp(`"name"\\s*:\\s*${needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(l));
  return i >= 0 ? i + 1 : null;
}

const EXAMPLE_SCHEMA = {
  name: 'ticket', domain: 'support',
  fields: [
    { name: 'ticket_id', type: 'string', format: 'TCK-{digits:6}', unique: true },
    { name: 'email', type: 'email' },
    { name: 'priority', type: 'enum', values: ['low', 'medium', 'high'], weights: [5, 3, 1] },
    { name: 'hours', type: 'decimal', scale: 1, min: 0.5, max: 40 },
    { name: 'opened_at', type: 'datetime', min: '-30d', max: 'now' },
  ],
};

// ---------- scenarios ----------

function addScenario() {
  const box = el('div', { className: 'scenario' });
  const nameId = nextId('scenario-name');
  const countId = nextId('scenario-count');
  const overrides = el('div', { className: 'overrides' });
  box.append(
    el('div', { className: 'row' },
      el('div', { className: 'grow' }, el('label', { for: nameId }, 'Scenario name'),
        el('input', { id: nameId, type: 'text', className: 'scenario-name', value: `scenario_${document.querySelectorAll('.scenario').length + 1}` })),
      el('div', {}, el('label', { for: countId }, 'Records'),
        el('input', { id: countId, type: 'number', min: '1', step: '1', value: '2', className: 'scenario-count' })),
      el('div', { className: 'copy-actions' }, el('button', { type: 'button', className: 'small', onclick: () => box.remove() }, 'Remove scenario'))),
    overrides,
    el('button', { type: 'button', className: 'small', onclick: () => overrides.append(overrideRow()) }, 'Add override'));
  $('scenarios').append(box);
  box.querySelector('input').focus();
}

function overrideRow() {
  const fieldId = nextId('override-field');
  const valueId = nextId('override-value');
  const row = el('div', { className: 'override' });
  const picker = el('select', { id: fieldId, className: 'field-pick override-field' });
  const valueBox = el('div', {}, el('label', { for: valueId }, 'Value'), el('input', { id: valueId, type: 'text', className: 'override-value' }));
  picker.addEventListener('change', () => {
    const info = fieldInfo(picker.value);
    const old = valueBox.querySelector('.override-value');
    const input = typedInput(info, valueId, old ? old.value : '');
    input.classList.add('override-value');
    old.replaceWith(input);
  });
  row.append(el('div', {}, el('label', { for: fieldId }, 'Field'), picker), valueBox,
    el('button', { type: 'button', className: 'small', onclick: () => row.remove(), 'aria-label': 'Remove override' }, '✕'));
  fillFieldPicker(picker);
  return row;
}

/** An input for a value of the field's type. */
function typedInput(info, id, value) {
  const type = info ? info.type : 'string';
  const f = info ? info.field : {};
  const values = f.values || f.one_of;
  if (type === 'enum' && values) {
    const s = el('select', { id }, values.map((v) => el('option', { value: String(v) }, String(v))));
    if (values.map(String).includes(value)) s.value = value;
    return s;
  }
  if (type === 'boolean') {
    const s = el('select', { id }, el('option', { value: 'true' }, 'true'), el('option', { value: 'false' }, 'false'));
    if (value === 'false') s.value = 'false';
    return s;
  }
  if (['integer', 'float', 'decimal'].includes(type)) {
    const n = el('input', { id, type: 'number', step: type === 'integer' ? '1' : 'any' });
    if (value !== '' && !Number.isNaN(Number(value))) n.value = value;
    return n;
  }
  if (type === 'date') return el('input', { id, type: 'date', value });
  const t = el('input', { id, type: 'text', value, placeholder: type === 'object' || type === 'array' ? 'JSON' : (type === 'datetime' ? '2025-01-01T00:00:00Z' : '') });
  return t;
}

// ---------- constraints ----------

const CONSTRAINT_MEMBERS = {
  number: [['min', 'Min', 'number'], ['max', 'Max', 'number'], ['enum_values', 'One of (comma-separated)', 'text']],
  string: [['min_length', 'Min length', 'int'], ['max_length', 'Max length', 'int'], ['regex', 'Regex', 'text'],
    ['format', 'ID template', 'text'], ['enum_values', 'One of (comma-separated)', 'text']],
  enum: [['enum_values', 'One of (comma-separated)', 'text']],
  array: [['min_length', 'Min items', 'int'], ['max_length', 'Max items', 'int']],
};

function constraintGroup(type) {
  if (['integer', 'float', 'decimal'].includes(type)) return 'number';
  if (type === 'enum') return 'enum';
  if (type === 'array') return 'array';
  if (type === 'object' || type === 'boolean') return null;
  return 'string';
}

function addConstraint() {
  const fieldId = nextId('constraint-field');
  const box = el('div', { className: 'constraint' });
  const picker = el('select', { id: fieldId, className: 'field-pick constraint-field' });
  const members = el('div', { className: 'grid' });
  picker.addEventListener('change', () => {
    const info = fieldInfo(picker.value);
    const group = info ? constraintGroup(info.type) : null;
    const keep = {};
    for (const input of members.querySelectorAll('input')) keep[input.dataset.member] = input.value;
    members.replaceChildren();
    if (info && !group) members.append(el('p', { className: 'help' }, `No request constraints apply to ${info.type} fields.`));
    for (const [member, label, kind] of CONSTRAINT_MEMBERS[group] || []) {
      const id = nextId(`constraint-${member}`);
      const input = el('input', { id, type: kind === 'text' ? 'text' : 'number', step: kind === 'int' ? '1' : 'any', 'data-member': member, 'data-kind': kind, value: keep[member] || '' });
      members.append(el('div', {}, el('label', { for: id }, label), input));
    }
  });
  box.append(el('div', { className: 'row' },
    el('div', {}, el('label', { for: fieldId }, 'Field'), picker),
    el('div', { className: 'copy-actions' }, el('button', { type: 'button', className: 'small', onclick: () => box.remove() }, 'Remove'))), members);
  $('constraints').append(box);
  fillFieldPicker(picker);
  picker.focus();
}

// ---------- the request ----------

/** The GenerateRequest JSON the builder describes; throws an Error naming the input at fault. */
function buildRequest() {
  const r = {};
  if (sourceKind() === 'inline') {
    if (!state.inlineValid) throw inputError('inline-schema', 'The inline schema is not valid yet: see the message under it.');
    r.inline_schema = $('inline-schema').value;
  } else {
    r.entity = $('entity').value;
  }
  const count = $('count').value.trim();
  if (!/^\d+$/.test(count)) throw inputError('count', 'Records: give a whole number.');
  r.count = Number(count);
  const seed = $('seed').value;
  if (seed.trim() !== '') r.seed = seed;
  r.output_format = $('format').value;
  if ($('method').value !== 'TRADITIONAL') r.generation_method = $('method').value;
  if ($('defect').checked) r.defect_triggering = true;
  if ($('context').value !== '') r.context = $('context').value;
  const scenarios = [...document.querySelectorAll('.scenario')].map((box) => {
    const overrides = {};
    for (const row of box.querySelectorAll('.override')) {
      const path = row.querySelector('.override-field').value;
      if (!path) continue;
      overrides[path] = row.querySelector('.override-value').value;
    }
    const n = box.querySelector('.scenario-count');
    if (!/^\d+$/.test(n.value)) throw inputError(n.id, 'Scenario records: give a whole number.');
    return { name: box.querySelector('.scenario-name').value, count: Number(n.value), overrides };
  });
  if (scenarios.length) r.scenarios = scenarios;
  const constraints = {};
  for (const box of document.querySelectorAll('.constraint')) {
    const path = box.querySelector('.constraint-field').value;
    if (!path) continue;
    const c = {};
    for (const input of box.querySelectorAll('input[data-member]')) {
      const v = input.value.trim();
      if (v === '') continue;
      const m = input.dataset.member;
      if (m === 'enum_values') c[m] = input.value.split(',').map((s) => s.trim()).filter((s) => s !== '');
      else if (input.dataset.kind === 'text') c[m] = input.value;
      else {
        const n = Number(v);
        if (!Number.isFinite(n) || (input.dataset.kind === 'int' && !Number.isInteger(n))) throw inputError(input.id, `${m}: give a ${input.dataset.kind === 'int' ? 'whole ' : ''}number.`);
        c[m] = n;
      }
    }
    constraints[path] = c;
  }
  if (Object.keys(constraints).length) r.constraints = { field_constraints: constraints };
  return r;
}

function inputError(id, message) {
  const e = new Error(message);
  e.inputId = id;
  return e;
}

function requestOrShowError() {
  showError($('builder-error'), '');
  try {
    return buildRequest();
  } catch (e) {
    showError($('builder-error'), e.message);
    if (e.inputId && $(e.inputId)) $(e.inputId).focus();
    return null;
  }
}

async function generate(event) {
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
function exactSeed(text) {
  const all = [...text.matchAll(/"seed":\s*(\d+)/g)];
  return all.length ? all[all.length - 1][1] : '';
}

function download() {
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
function onDownloadFrameLoad() {
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

// ---------- results ----------

function renderResults() {
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

function recordsOf(format, data) {
  if (format === 'JSON') return Array.isArray(data) ? data : null;
  if (format === 'JSONL') return String(data).split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  if (format === 'CSV') return parseCsv(String(data));
  return null;
}

/** RFC 4180 CSV to objects (header row gives the keys). */
function parseCsv(text) {
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

function renderTable(format, data) {
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
function recordTable(records, label) {
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

function valueCell(v, key) {
  const cls = v === null || v === undefined ? 'null'
    : typeof v === 'number' ? 'num' : (typeof v === 'string' && v.length > 40 ? 'long' : '');
  return el('td', { className: cls, 'data-key': key }, cellContent(v));
}

function cellContent(v) {
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

// ---------- copy as ----------

const shellQuote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

function rustString(s) {
  let out = '"';
  for (const ch of String(s)) {
    const c = ch.codePointAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\u{${c.toString(16)}}`;
    else out += ch;
  }
  return out + '"';
}

function rustRaw(s) {
  let hashes = '#';
  while (String(s).includes(`"${hashes}`)) hashes += '#';
  return `r${hashes}"${s}"${hashes}`;
}

/** The request as sent, with the seed the server used (as a number). */
function requestJson(request, seed) {
  const copy = { ...request };
  delete copy.seed;
  const text = JSON.stringify(copy);
  return seed ? `${text.slice(0, -1)}${text.length > 2 ? ',' : ''}"seed":${seed}}` : text;
}

function grpcTarget() {
  return `${location.hostname}:${state.catalogue.grpc_port}`;
}

function snippet(kind) {
  const { request, seed } = state.last;
  const body = requestJson(request, seed);
  const key = state.catalogue.api_keys_required;
  switch (kind) {
    case 'curl':
      return `curl -sS ${shellQuote(`${location.origin}/v1/generate`)} \\\n  -H 'content-type: application/json' \\\n` +
        (key ? '  -H "x-api-key: $TESTDATA_API_KEY" \\\n' : '') + `  -d ${shellQuote(body)}`;
    case 'grpcurl':
      return `grpcurl -plaintext${key ? ' -H "x-api-key: $TESTDATA_API_KEY"' : ''} \\\n  -d ${shellQuote(body)} \\\n  ${grpcTarget()} testdata.v1.TestDataService/GenerateData`;
    case 'cli': return cliSnippet(request, seed);
    default: return rustSnippet(request, seed);
  }
}

function cliSnippet(request, seed) {
  const missing = [];
  if (request.scenarios) missing.push('scenarios');
  if (request.constraints) missing.push('constraints');
  if (request.generation_method) missing.push(`method ${request.generation_method}`);
  if (request.context) missing.push('context');
  if (missing.length) return `# \`testdata generate\` has no options for: ${missing.join(', ')}.\n# Use curl, grpcurl or Rust to reproduce this request exactly.`;
  const lines = [];
  const args = ['testdata generate'];
  if (request.inline_schema !== undefined) {
    let eof = 'EOF';
    while (request.inline_schema.split('\n').includes(eof)) eof += '_';
    lines.push(`cat > schema.json <<'${eof}'`, request.inline_schema, eof);
    args.push('--schema-file schema.json');
  } else {
    args.push(`--entity ${shellQuote(request.entity)}`);
  }
  args.push(`--count ${request.count}`);
  if (seed) args.push(`--seed ${seed}`);
  args.push(`--format ${request.output_format.toLowerCase()}`);
  if (request.defect_triggering) args.push('--defect-triggering');
  lines.push(args.join(' '));
  return lines.join('\n');
}

function rustSnippet(request, seed) {
  const formats = { JSON: 'Json', CSV: 'Csv', SQL: 'Sql', JSONL: 'Jsonl' };
  const methods = { LLM: 'Llm', RAG: 'Rag', HYBRID: 'Hybrid' };
  const calls = [];
  calls.push(request.inline_schema !== undefined ? `Request::inline_schema(${rustRaw(request.inline_schema)})` : `Request::entity(${rustString(request.entity)})`);
  calls.push(`.count(${request.count})`);
  if (seed) calls.push(`.seed(${seed}_u64)`);
  calls.push(`.format(OutputFormat::${formats[request.output_format]})`);
  if (request.generation_method) calls.push(`.method(GenerationMethod::${methods[request.generation_method]})`);
  if (request.defect_triggering) calls.push('.defect_triggering(true)');
  if (request.context) calls.push(`.context(${rustString(request.context)})`);
  for (const s of request.scenarios || []) {
    const pairs = Object.entries(s.overrides).map(([k, v]) => `(${rustString(k)}, ${rustString(v)})`).join(', ');
    calls.push(`.scenario(${rustString(s.name)}, ${s.count}, [${pairs}] as [(&str, &str); ${Object.keys(s.overrides).length}])`);
  }
  for (const [path, c] of Object.entries((request.constraints || {}).field_constraints || {})) {
    const members = [];
    if (c.min !== undefined) members.push(`min: Some(${rustFloat(c.min)})`);
    if (c.max !== undefined) members.push(`max: Some(${rustFloat(c.max)})`);
    if (c.enum_values) members.push(`enum_values: vec![${c.enum_values.map((v) => `${rustString(v)}.into()`).join(', ')}]`);
    if (c.regex !== undefined) members.push(`regex: Some(${rustString(c.regex)}.into())`);
    if (c.min_length !== undefined) members.push(`min_length: Some(${c.min_length})`);
    if (c.max_length !== undefined) members.push(`max_length: Some(${c.max_length})`);
    if (c.format !== undefined) members.push(`format: Some(${rustString(c.format)}.into())`);
    calls.push(`.constraint(${rustString(path)}, FieldConstraint { ${members.concat('..Default::default()').join(', ')} })`);
  }
  return [
    '// Cargo.toml: testdata = { version = "*", features = ["remote"] }, tokio = { version = "1", features = ["full"] }',
    'use testdata::proto::{FieldConstraint, GenerationMethod, OutputFormat};',
    'use testdata::remote::{Client, Request};',
    '',
    '#[tokio::main]',
    'async fn main() -> Result<(), Box<dyn std::error::Error>> {',
    `    let mut client = Client::connect(${rustString(`http://${grpcTarget()}`)}).await?;`,
    `    let request = ${calls.join('\n        ')};`,
    '    let response = client.generate_raw(request).await?;',
    '    println!("{}", response.data);',
    '    Ok(())',
    '}',
  ].join('\n');
}

const rustFloat = (n) => (Number.isInteger(n) ? `${n}.0` : String(n));

function renderSnippet() {
  if (!state.last) return;
  $('snippet').textContent = snippet($('copy-kind').value);
  $('copy-status').textContent = '';
}

async function copySnippet() {
  const text = $('snippet').textContent;
  try {
    await navigator.clipboard.writeText(text);
    $('copy-status').textContent = 'Copied.';
  } catch (_) {
    const range = document.createRange();
    range.selectNodeContents($('snippet'));
    const sel = getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    $('copy-status').textContent = 'Selected: press Ctrl+C to copy.';
  }
}

// ---------- start ----------

let selectView = () => {};

function newSeed() {
  const words = crypto.getRandomValues(new Uint32Array(2));
  // A seed below 2^53, so it survives every JSON parser exactly.
  $('seed').value = String((words[0] & 0x1fffff) * 2 ** 32 + words[1]);
}

async function loadCatalogue() {
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

function init() {
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
