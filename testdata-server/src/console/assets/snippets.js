// testdata console: “Copy as”: curl, grpcurl, the testdata CLI and Rust, each reproducing the request with its seed.
import { state } from './api.js';
import { $ } from './dom.js';

export const shellQuote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

export function rustString(s) {
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

export function rustRaw(s) {
  let hashes = '#';
  while (String(s).includes(`"${hashes}`)) hashes += '#';
  return `r${hashes}"${s}"${hashes}`;
}

/** The request as sent, with the seed the server used (as a number). */
export function requestJson(request, seed) {
  const copy = { ...request };
  delete copy.seed;
  const text = JSON.stringify(copy);
  return seed ? `${text.slice(0, -1)}${text.length > 2 ? ',' : ''}"seed":${seed}}` : text;
}

export function grpcTarget() {
  return `${location.hostname}:${state.catalogue.grpc_port}`;
}

export function snippet(kind) {
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

export function cliSnippet(request, seed) {
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

export function rustSnippet(request, seed) {
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

export const rustFloat = (n) => (Number.isInteger(n) ? `${n}.0` : String(n));

export function renderSnippet() {
  if (!state.last) return;
  $('snippet').textContent = snippet($('copy-kind').value);
  $('copy-status').textContent = '';
}

export async function copySnippet() {
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
