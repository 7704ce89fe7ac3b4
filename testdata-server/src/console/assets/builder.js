// testdata console: The request builder: schema source, inline schema check as you type, field pickers.
import { call, state } from './api.js';
import { $, el, showError } from './dom.js';
import { flattenFields } from './schema.js';

export function currentFields() {
  if (sourceKind() === 'inline') return state.inlineSchema ? flattenFields(state.inlineSchema.fields) : [];
  const e = state.byName.get($('entity').value);
  return e ? flattenFields(e.schema.fields) : [];
}

export const sourceKind = () => document.querySelector('input[name=source]:checked').value;

export function onSourceChange() {
  const inline = sourceKind() === 'inline';
  $('source-entity').hidden = inline;
  $('source-inline').hidden = !inline;
  if (inline) checkInlineSchema();
  onSchemaChanged();
}

/** The field pickers of overrides and constraints follow the chosen schema. */
export function onSchemaChanged() {
  for (const select of document.querySelectorAll('select.field-pick')) fillFieldPicker(select);
}

export function fillFieldPicker(select) {
  const keep = select.value;
  const fields = currentFields();
  select.replaceChildren(el('option', { value: '' }, '— field —'),
    ...fields.map((f) => el('option', { value: f.path, 'data-type': f.type }, `${f.path} (${f.type})`)));
  if (fields.some((f) => f.path === keep)) select.value = keep;
  select.dispatchEvent(new Event('change'));
}

export function fieldInfo(path) {
  return currentFields().find((f) => f.path === path);
}

let checkTimer = null;
let checkSeq = 0;
export function checkInlineSchema() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(runInlineCheck, 250);
}

export async function runInlineCheck() {
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
export function lineOfField(text, path) {
  const last = path.split(/[.[\]]+/).filter(Boolean).pop();
  const lines = text.split('\n');
  const needle = JSON.stringify(last);
  const i = lines.findIndex((l) => new RegExp(`"name"\\s*:\\s*${needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(l));
  return i >= 0 ? i + 1 : null;
}

export const EXAMPLE_SCHEMA = {
  name: 'ticket', domain: 'support',
  fields: [
    { name: 'ticket_id', type: 'string', format: 'TCK-{digits:6}', unique: true },
    { name: 'email', type: 'email' },
    { name: 'priority', type: 'enum', values: ['low', 'medium', 'high'], weights: [5, 3, 1] },
    { name: 'hours', type: 'decimal', scale: 1, min: 0.5, max: 40 },
    { name: 'opened_at', type: 'datetime', min: '-30d', max: 'now' },
  ],
};
