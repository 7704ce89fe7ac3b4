// testdata console: Shared state and calls to the server (with the API key when one is set).
import { $, showError } from './dom.js';

export const state = {
  catalogue: null,          // GET /v1/catalogue
  byName: new Map(),        // entity name -> catalogue entry
  selected: null,           // entity shown in the catalogue
  inlineSchema: null,       // the last inline schema that checked valid (normalised)
  inlineValid: false,
  apiKey: sessionStorage.getItem('testdata-api-key') || '',
  last: null,               // {request, response, seed} of the last generation
};

export function headers(json) {
  const h = {};
  if (json) h['content-type'] = 'application/json';
  if (state.apiKey) h['x-api-key'] = state.apiKey;
  return h;
}

/** Fetches JSON; resolves {status, body, text}. A 401 shows the API key box. */
export async function call(method, path, body) {
  const init = { method, headers: headers(body !== undefined) };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(path, init);
  const text = await res.text();
  let parsed = null;
  try { parsed = JSON.parse(text); } catch (_) { parsed = null; }
  if (res.status === 401) showKeyBox(parsed && parsed.error);
  return { status: res.status, body: parsed, text };
}

export function showKeyBox(message) {
  $('key-box').hidden = false;
  if (message) showError($('global-error'), message + ' Enter it in “API key” above.');
  $('api-key').focus();
}
