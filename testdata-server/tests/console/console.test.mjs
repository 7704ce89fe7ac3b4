// Drives the web console of a running testdata-server in Debian's headless Chromium.
// Run by testdata-server/tests/console.rs, which starts the server and the CLI and passes:
//   CONSOLE_URL      the console (http://127.0.0.1:PORT/)
//   CONSOLE_KEYED_URL  the console of a server with API_KEYS=k1
//   CLI_BIN          the `testdata` binary
//   WORK_DIR         a fresh directory (browser profile, downloads)
//   SCREENSHOT_DIR   where the screenshots of the main views go
// Exits non-zero with the failed check on stderr.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const URL_ = process.env.CONSOLE_URL;
const KEYED_URL = process.env.CONSOLE_KEYED_URL;
const CLI = process.env.CLI_BIN;
const WORK = process.env.WORK_DIR;
const SHOTS = process.env.SCREENSHOT_DIR || path.join(WORK, 'screenshots');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const HOSTILE = `'"><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">`;

fs.mkdirSync(SHOTS, { recursive: true });
const cli = (...args) => execFileSync(CLI, ['generate', ...args], { maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
const cliJson = JSON.parse(cli('--entity', 'cart', '--count', '5', '--seed', '7', '--format', 'json').toString());
const cliCsv = cli('--entity', 'cart', '--count', '5', '--seed', '7', '--format', 'csv');

const step = (name) => console.log(`- ${name}`);
const profile = fs.mkdtempSync(path.join(WORK, 'profile-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1366, height: 768 },
  acceptDownloads: true,
  downloadsPath: WORK,
});
const page = browser.pages()[0] || await browser.newPage();
const dialogs = [];
page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(String(e)));
const outside = [];
page.on('request', (r) => { if (!r.url().startsWith(URL_.replace(/\/$/, '')) && !r.url().startsWith('data:')) outside.push(r.url()); });

/** What a table cell shows for a JSON value. */
const shown = (v) => (v === null ? 'null' : Array.isArray(v) ? (v.length ? `${v.length} item${v.length === 1 ? '' : 's'}` : '[]')
  : typeof v === 'object' ? `{${Object.keys(v).length} fields}` : String(v));

/** The top-level rows of the results table: [{key: cell text}]. */
const tableRows = () => page.$$eval('#panel-table > table > tbody > tr', (trs) => trs.map((tr) => {
  const row = {};
  for (const td of tr.querySelectorAll(':scope > td[data-key]')) {
    const summary = td.querySelector(':scope > details > summary');
    row[td.dataset.key] = summary ? summary.textContent : td.textContent;
  }
  return row;
}));

async function generateAndWait() {
  // Wait for the answer itself: the status line alone can read the same before and after
  // (two 5-record previews that both took 3 ms).
  await Promise.all([page.waitForResponse((r) => r.url().endsWith('/v1/generate')), page.click('#generate')]);
  await page.waitForFunction(() => !document.querySelector('#results-status').textContent.startsWith('Generating'));
}

async function download(format) {
  await page.selectOption('#format', format);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const file = path.join(WORK, `download-${format}-${Date.now()}`);
  await dl.saveAs(file);
  assert.equal(await dl.failure(), null, `download ${format} failed`);
  return { file, name: dl.suggestedFilename() };
}

try {
  step('open the console: the catalogue lists every entity by domain');
  await page.goto(URL_);
  await page.waitForSelector('#entities button[data-entity=cart]');
  const listed = await page.$$eval('#entities button[data-entity]', (bs) => bs.length);
  assert.ok(listed >= 36, `catalogue lists ${listed} entities`);
  assert.ok((await page.$$eval('#entities h3', (hs) => hs.map((h) => h.textContent))).includes('ecommerce'));

  step('search by name, open cart: fields, ID template, computed rules, reference, sample');
  await page.fill('#search', 'cart');
  const found = await page.$$eval('#entities button[data-entity]', (bs) => bs.map((b) => b.dataset.entity));
  assert.ok(found.includes('cart') && found.includes('cart_item') && !found.includes('user'), `search: ${found}`);
  await page.click('#entities button[data-entity=cart]');
  await page.waitForSelector('#entity-title:text("cart")');
  const detail = await page.textContent('#entity-detail');
  for (const s of ['CRT-{year}-{random:7}', 'Σ items[] of quantity × price', '8% of subtotal', 'subtotal + tax',
    'user.user_id', 'items[].price', 'unique', 'Sample record']) {
    assert.ok(detail.includes(s), `catalogue detail of cart lacks ${s}`);
  }
  const sample = JSON.parse(await page.textContent('#entity-detail pre'));
  assert.match(sample.cart_id, /^CRT-2025-\d{7}$/);
  await page.screenshot({ path: path.join(SHOTS, 'catalogue.png') });

  step('pick cart, seed 7, 5 records, generate: the table equals the CLI output');
  await page.click('#use-entity');
  assert.equal(await page.inputValue('#entity'), 'cart');
  await page.fill('#seed', '7');
  await page.fill('#count', '5');
  await page.selectOption('#format', 'JSON');
  await generateAndWait();
  assert.equal(await page.isHidden('#results-error'), true, await page.textContent('#results-error'));
  const rows = await tableRows();
  assert.equal(rows.length, 5);
  rows.forEach((row, i) => {
    assert.deepEqual(Object.keys(row), Object.keys(cliJson[i]), `columns of row ${i}`);
    for (const [k, v] of Object.entries(cliJson[i])) assert.equal(row[k], shown(v), `row ${i} ${k}`);
  });
  // The nested items of the first cart, expanded.
  await page.click('#panel-table > table > tbody > tr:first-child td[data-key=items] summary');
  const items = await page.$$eval('#panel-table > table > tbody > tr:first-child td[data-key=items] details tbody tr', (trs) => trs.map((tr) => tr.querySelector('td[data-key=sku]').textContent));
  assert.deepEqual(items, cliJson[0].items.map((it) => it.sku));
  assert.deepEqual(JSON.parse(await page.textContent('#raw')), cliJson, 'raw view equals the CLI');
  const meta = await page.textContent('#meta');
  for (const s of ['Seed7', 'Pathtraditional', 'Coherence1.000', 'Cache hitno', 'LLM tokens0', 'Records5']) {
    assert.ok(meta.replace(/\s+/g, '').includes(s.replace(/\s+/g, '')), `metadata lacks ${s}: ${meta}`);
  }
  await page.screenshot({ path: path.join(SHOTS, 'results-table.png') });
  await page.click('#tab-raw');
  await page.screenshot({ path: path.join(SHOTS, 'results-raw.png') });

  step('copy as curl / CLI / grpcurl / Rust: the curl and CLI snippets reproduce the records');
  await page.click('#tab-copy');
  await page.selectOption('#copy-kind', 'curl');
  const curl = await page.textContent('#snippet');
  await page.screenshot({ path: path.join(SHOTS, 'copy-as.png') });
  const viaCurl = JSON.parse(execFileSync('bash', ['-c', curl]).toString());
  assert.deepEqual(viaCurl.data, cliJson, 'the curl snippet reproduces the records');
  await page.selectOption('#copy-kind', 'cli');
  const cliSnippet = await page.textContent('#snippet');
  assert.equal(cliSnippet, "testdata generate --entity 'cart' --count 5 --seed 7 --format json");
  const viaCli = JSON.parse(execFileSync('bash', ['-c', cliSnippet.replace(/^testdata /, `${JSON.stringify(CLI)} `)], { stdio: ['ignore', 'pipe', 'ignore'] }).toString());
  assert.deepEqual(viaCli, cliJson);
  await page.selectOption('#copy-kind', 'grpcurl');
  assert.match(await page.textContent('#snippet'), /-d '\{"entity":"cart","count":5,"output_format":"JSON","seed":7\}'[\s\\]+127\.0\.0\.1:\d+ testdata\.v1\.TestDataService\/GenerateData/);
  await page.selectOption('#copy-kind', 'rust');
  const rust = await page.textContent('#snippet');
  assert.ok(rust.includes('Request::entity("cart")') && rust.includes('.seed(7_u64)') && rust.includes('.count(5)'), rust);

  step('download CSV: equals the CLI CSV byte for byte; JSON equals the CLI JSON');
  const csv = await download('CSV');
  assert.equal(csv.name, 'cart-seed7.csv');
  assert.ok(fs.readFileSync(csv.file).equals(cliCsv), 'downloaded CSV differs from the CLI CSV');
  const json = await download('JSON');
  assert.deepEqual(JSON.parse(fs.readFileSync(json.file, 'utf8')), cliJson);
  for (const f of ['SQL', 'JSONL']) {
    const d = await download(f);
    assert.ok(fs.statSync(d.file).size > 100, `${f} download is empty`);
  }

  step('a large download streams to a file (50,000 records, above the preview limit)');
  await page.fill('#count', '50000');
  await page.click('#generate');
  assert.match(await page.textContent('#builder-error'), /at most \d+ records/);
  const big = await download('JSONL');
  const lines = fs.readFileSync(big.file, 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, 50000);
  assert.equal(JSON.parse(lines[49999])._index, 49999);
  fs.rmSync(big.file);
  await page.fill('#count', '5');
  await page.selectOption('#format', 'JSON');

  step('a download the server refuses shows its sentence in the page');
  await page.fill('#count', '0');
  await page.click('#download');
  await page.waitForFunction(() => document.querySelector('#results-error').textContent.startsWith('Download failed'));
  assert.match(await page.textContent('#results-error'), /count/);
  await page.fill('#count', '5');

  step('scenarios with typed overrides and constraints change the request');
  await page.click('#add-scenario');
  await page.fill('.scenario-name', 'big_spender');
  await page.fill('.scenario-count', '2');
  await page.click('.scenario button:text("Add override")');
  await page.selectOption('.override-field', 'currency');
  assert.equal(await page.$eval('.override-value', (e) => e.tagName), 'SELECT', 'an enum override is a choice of its values');
  await page.selectOption('.override-value', 'CAD');
  await page.click('#add-constraint');
  await page.selectOption('.constraint-field', 'items.quantity');
  await page.fill('.constraint input[data-member=min]', '7');
  await page.fill('.constraint input[data-member=max]', '9');
  const [sent] = await Promise.all([page.waitForRequest('**/v1/generate'), generateAndWait()]);
  const body = JSON.parse(sent.postData());
  assert.deepEqual(body.scenarios, [{ name: 'big_spender', count: 2, overrides: { currency: 'CAD' } }]);
  assert.deepEqual(body.constraints, { field_constraints: { 'items.quantity': { min: 7, max: 9 } } });
  const scenarioRows = await tableRows();
  assert.deepEqual(scenarioRows.map((r) => r._scenario), ['big_spender', 'big_spender', 'default', 'default', 'default']);
  assert.deepEqual(scenarioRows.slice(0, 2).map((r) => r.currency), ['CAD', 'CAD']);
  const last = await page.evaluate(() => JSON.parse(document.querySelector('#raw').textContent));
  assert.ok(last.every((c) => c.items.every((it) => it.quantity >= 7 && it.quantity <= 9)), 'constraint applied');
  await page.click('#tab-table');
  await page.screenshot({ path: path.join(SHOTS, 'builder.png') });
  await page.click('.scenario button:text("Remove scenario")');
  await page.click('.constraint button:text("Remove")');

  step('a bad inline schema shows the error at the field');
  await page.check('input[name=source][value=inline]');
  await page.fill('#inline-schema', '{"name": "x", "fields": [\n  {"name": "hours", "type": "integer",\n   "min": 5, "max": 1}\n]}');
  await page.waitForSelector('#inline-schema-error:not([hidden])');
  const fieldError = await page.textContent('#inline-schema-error');
  assert.match(fieldError, /Field “hours”.*line 2/, fieldError);
  assert.equal(await page.getAttribute('#inline-schema', 'aria-invalid'), 'true');
  await page.screenshot({ path: path.join(SHOTS, 'inline-schema-error.png') });
  await page.fill('#inline-schema', '{"name": "x", "fields": [');
  await page.waitForFunction(() => document.querySelector('#inline-schema-error').textContent.startsWith('Line 1, column'));
  await page.fill('#inline-schema', '{"name": "x", "fields": [{"name": "a", "mni": 1}]}');
  await page.waitForFunction(() => document.querySelector('#inline-schema-error').textContent.includes('mni'));
  await page.click('#generate');
  assert.match(await page.textContent('#builder-error'), /inline schema is not valid/);
  await page.click('#inline-example');
  await page.waitForSelector('#inline-schema-ok:not([hidden])');
  await generateAndWait();
  assert.equal((await tableRows()).length, 5);
  assert.match((await tableRows())[0].ticket_id, /^TCK-\d{6}$/);
  await page.check('input[name=source][value=entity]');

  step(`hostile text in every text input is harmless: ${HOSTILE}`);
  await page.click('#tab-catalogue');
  await page.fill('#search', HOSTILE);
  assert.equal(await page.textContent('#search-count'), `0 of ${listed} entities`);
  await page.fill('#search', '');
  await page.click('#tab-generate');
  await page.fill('#seed', HOSTILE);
  await page.fill('#context', HOSTILE);
  await page.click('#add-scenario');
  await page.fill('.scenario-name', HOSTILE);
  await page.click('.scenario button:text("Add override")');
  await page.selectOption('.override-field', 'customer_id');
  await page.fill('.override-value', HOSTILE);
  await page.click('#add-constraint');
  await page.selectOption('.constraint-field', 'customer_id');
  await page.fill('.constraint input[data-member=regex]', HOSTILE);
  await page.fill('#count', '3');
  const [hostileSent] = await Promise.all([page.waitForRequest('**/v1/generate'), generateAndWait()]);
  const hb = JSON.parse(hostileSent.postData());
  assert.equal(hb.seed, HOSTILE);
  assert.equal(hb.context, HOSTILE);
  assert.equal(hb.scenarios[0].name, HOSTILE);
  assert.equal(hb.scenarios[0].overrides.customer_id, HOSTILE);
  assert.equal(hb.constraints.field_constraints.customer_id.regex, HOSTILE);
  assert.equal(await page.isHidden('#results-error'), true, await page.textContent('#results-error'));
  const hostileRows = await tableRows();
  assert.equal(hostileRows[0].customer_id, HOSTILE, 'the override is shown as text');
  assert.equal(hostileRows[0]._scenario, HOSTILE);
  await page.click('#tab-copy');
  for (const kind of ['curl', 'grpcurl']) {
    await page.selectOption('#copy-kind', kind);
    const text = await page.textContent('#snippet');
    execFileSync('bash', ['-n', '-c', text]);
    if (kind === 'curl') {
      const again = JSON.parse(execFileSync('bash', ['-c', text]).toString());
      assert.equal(again.success, true, again.error);
      assert.deepEqual(again.data, JSON.parse(await page.textContent('#raw')), 'the curl snippet with hostile text reproduces the records');
    }
  }
  const hostileCsv = await download('CSV');
  assert.ok(fs.readFileSync(hostileCsv.file, 'utf8').includes(HOSTILE.replace(/"/g, '""')), 'hostile override in the CSV');
  // The inline schema and the API key inputs too.
  await page.check('input[name=source][value=inline]');
  await page.fill('#inline-schema', HOSTILE);
  await page.waitForFunction(() => document.querySelector('#inline-schema-error').textContent.startsWith('Line 1'));
  await page.check('input[name=source][value=entity]');
  await page.evaluate(() => { document.getElementById('key-box').hidden = false; });
  await page.fill('#api-key', HOSTILE);
  const [reload] = await Promise.all([page.waitForResponse('**/v1/catalogue'), page.click('#api-key-apply')]);
  assert.equal(reload.status(), 200, 'a server without keys ignores the (hostile) key');
  await page.waitForTimeout(300);
  assert.deepEqual(dialogs, [], 'no dialog opened');
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no injected script ran');
  assert.equal(await page.$$eval('script', (s) => s.length), 1, 'no script element was injected');
  assert.equal(await page.$$eval('img', (s) => s.length), 0, 'no img element was injected');

  step('keyboard: the view tabs move with the arrow keys');
  await page.focus('#tab-generate');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.getAttribute('#tab-catalogue', 'aria-selected'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-catalogue');
  const unlabelled = await page.$$eval('input:not([type=hidden]):not([type=radio]):not([type=checkbox]), select, textarea',
    (els) => els.filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map((e) => e.id || e.outerHTML));
  assert.deepEqual(unlabelled, [], 'every input has a label');

  step('a server with API keys: the console asks for the key and sends it with every call');
  const keyed = await browser.newPage();
  keyed.on('pageerror', (e) => pageErrors.push(String(e)));
  await keyed.goto(KEYED_URL);
  await keyed.waitForSelector('#key-box:not([hidden])');
  assert.match(await keyed.textContent('#global-error'), /requires an API key/);
  await keyed.fill('#api-key', 'k1');
  await keyed.press('#api-key', 'Enter');
  await keyed.waitForSelector('#entities button[data-entity=cart]');
  assert.equal(await keyed.isHidden('#global-error'), true);
  await keyed.click('#use-entity');
  await keyed.fill('#seed', '7');
  await keyed.fill('#count', '5');
  await keyed.click('#generate');
  await keyed.waitForFunction(() => document.querySelector('#results-status').textContent.startsWith('5 records'));
  await keyed.selectOption('#format', 'CSV');
  const [keyedDl] = await Promise.all([keyed.waitForEvent('download'), keyed.click('#download')]);
  const keyedFile = path.join(WORK, 'keyed.csv');
  await keyedDl.saveAs(keyedFile);
  assert.ok(fs.readFileSync(keyedFile).equals(cliCsv), 'download with the key in the form');
  await keyed.close();

  assert.deepEqual(pageErrors, [], 'no JavaScript error');
  assert.deepEqual(outside, [], 'no request left the server');
  console.log('console browser test: all checks passed');
} catch (e) {
  console.error(`console browser test FAILED: ${e.stack || e}`);
  try { await page.screenshot({ path: path.join(WORK, 'failure.png') }); console.error(`screenshot: ${path.join(WORK, 'failure.png')}`); } catch (_) { /* ignore */ }
  process.exitCode = 1;
} finally {
  await browser.close();
}
