// testdata console: Reading a schema (the JSON of docs/schema-format.md): field paths, types, constraints, rules.

export const TYPES_BY_HINT = (f) => {
  if (f.type) return f.type;
  if (f.fields) return 'object';
  if (f.items) return 'array';
  if (f.values || f.one_of) return 'enum';
  if (f.compute) return 'decimal';
  return 'string';
};

/** Every field of a schema with its request path (`items.price` for a member of each element
 * of `items`, as constraints and overrides name it) and its display path (`items[].price`). */
export function flattenFields(fields, prefix = '', shown = '', depth = 0, out = []) {
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

export function fmtCompute(c) {
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
export function constraintsOf(f) {
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
