// testdata console: The GenerateRequest the builder describes.
import { state } from './api.js';
import { sourceKind } from './builder.js';
import { $, showError } from './dom.js';

/** The GenerateRequest JSON the builder describes; throws an Error naming the input at fault. */
export function buildRequest() {
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

export function inputError(id, message) {
  const e = new Error(message);
  e.inputId = id;
  return e;
}

export function requestOrShowError() {
  showError($('builder-error'), '');
  try {
    return buildRequest();
  } catch (e) {
    showError($('builder-error'), e.message);
    if (e.inputId && $(e.inputId)) $(e.inputId).focus();
    return null;
  }
}
