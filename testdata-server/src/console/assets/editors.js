// testdata console: Scenario (typed overrides) and constraint editors of the request builder.
import { fieldInfo, fillFieldPicker } from './builder.js';
import { $, el, nextId } from './dom.js';

export function addScenario() {
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

export function overrideRow() {
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
export function typedInput(info, id, value) {
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

export const CONSTRAINT_MEMBERS = {
  number: [['min', 'Min', 'number'], ['max', 'Max', 'number'], ['enum_values', 'One of (comma-separated)', 'text']],
  string: [['min_length', 'Min length', 'int'], ['max_length', 'Max length', 'int'], ['regex', 'Regex', 'text'],
    ['format', 'ID template', 'text'], ['enum_values', 'One of (comma-separated)', 'text']],
  enum: [['enum_values', 'One of (comma-separated)', 'text']],
  array: [['min_length', 'Min items', 'int'], ['max_length', 'Max items', 'int']],
};

export function constraintGroup(type) {
  if (['integer', 'float', 'decimal'].includes(type)) return 'number';
  if (type === 'enum') return 'enum';
  if (type === 'array') return 'array';
  if (type === 'object' || type === 'boolean') return null;
  return 'string';
}

export function addConstraint() {
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
