// The dashboard (/ui) end to end in headless Chromium (Debian's `chromium`, driven by
// playwright-core): `sluice serve` in front of `sluice mock`, a wrong key refused with nothing
// rendered, a tenant's batch followed live to completed (its failed line, charts, downloads),
// another batch cancelled from its page, the deployments and traffic pages, an admin key seeing
// every tenant's batches, and a list of 1,000 batches. Every page is kept as a screenshot in
// $SLUICE_UI_SCREENSHOTS (ctest sets it to build/<preset>/ui-screenshots) for review.
// Run: SLUICE_BIN=path/to/sluice node --test ui.test.mjs
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { chromium } from 'playwright-core';

import { startSluice, stopSluice } from './spec.mjs';

const TEAM_A = 'sk-ui-team-a-0123456789abcdef';
const TEAM_B = 'sk-ui-team-b-0123456789abcdef';
const ADMIN = 'sk-ui-admin-0123456789abcdefg';
const CHROMIUM = process.env.SLUICE_CHROMIUM || '/usr/bin/chromium';
const SHOTS = process.env.SLUICE_UI_SCREENSHOTS || join(tmpdir(), 'sluice-ui-screenshots');
const WAIT = { timeout: 60000 };  // generous: CI machines are shared; nothing here is timed

let dir;
let slowMock;
let fastMock;
let serve;
let browser;

function config(name, mockUrl, extra = '') {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, `listen: 127.0.0.1:0
data_dir: ${join(dir, name)}
keys:
  - {name: team-a, key: ${TEAM_A}}
  - {name: team-b, key: ${TEAM_B}}
  - {name: ops, key: ${ADMIN}, admin: true}
models:
  - name: gpt-4o-mini
    prices: {input: 0.15, output: 0.60}
    deployments:
      - provider: openai-compatible
        base_url: ${mockUrl}/v1
${extra}`);
  return path;
}

before(async () => {
  assert.ok(existsSync(CHROMIUM),
            `${CHROMIUM} is missing: install Debian's chromium (scripts/setup.sh does)`);
  dir = mkdtempSync(join(tmpdir(), 'sluice-ui-'));
  mkdirSync(SHOTS, { recursive: true });
  // One request at a time, each answered after 250 ms: a 16-line batch runs for seconds, so the
  // page is seen in progress. A prompt over the mock's context window gets its 400.
  slowMock = await startSluice(['mock', '--port', '0', '--ttfb', '250ms',
                                '--context-window', '200']);
  serve = await startSluice(['--config',
    config('serve', slowMock.url, '        max_in_flight: 1\n'), 'serve']);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
});

after(async () => {
  await browser?.close();
  for (const child of [serve, slowMock, fastMock]) if (child) await stopSluice(child);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function line(i, content = `line ${i}`) {
  return JSON.stringify({
    custom_id: `req-${i}`, method: 'POST', url: '/v1/chat/completions',
    body: { model: 'gpt-4o-mini', max_tokens: 5, messages: [{ role: 'user', content }] },
  });
}

async function call(url, key, path, init = {}) {
  const response = await fetch(url + path, {
    ...init, headers: { authorization: `Bearer ${key}`, ...(init.headers || {}) },
  });
  const body = await response.json();
  assert.ok(response.ok, `${path}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

async function createBatch(url, key, lines, description) {
  const form = new FormData();
  form.append('purpose', 'batch');
  form.append('file', new Blob([lines.join('\n') + '\n']), 'in.jsonl');
  const file = await call(url, key, '/v1/files', { method: 'POST', body: form });
  return call(url, key, '/v1/batches', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ input_file_id: file.id, endpoint: '/v1/chat/completions',
                           completion_window: '24h', metadata: { description } }),
  });
}

async function signIn(url, key) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const first = await page.goto(url + '/ui/');
  assert.equal(first.status(), 401);
  await page.fill('#key', key);
  await Promise.all([page.waitForURL(url + '/ui/'), page.click('button[type=submit]')]);
  return { context, page };
}

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

describe('the dashboard', () => {
  let batch;
  let other;

  it('shows only a login form, and a 401, for a missing or wrong key', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(serve.url + '/ui/');
    assert.equal(response.status(), 401);
    assert.equal(await page.locator('#batches').count(), 0);
    await page.fill('#key', 'sk-not-a-gateway-key-000000');
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/ui/login')),
      page.click('button[type=submit]'),
    ]);
    assert.equal(refused.status(), 401);
    assert.match(await page.textContent('#message'), /Incorrect API key/);
    assert.equal(await page.locator('main').count(), 0);
    const events = await fetch(serve.url + '/v1/batches/batch_x/events',
                               { headers: { cookie: 'sluice_key=sk-not-a-gateway-key-000000' } });
    assert.equal(events.status, 401);
    await shot(page, 'login');
    await context.close();
  });

  it("follows a tenant's batch live to completed, with its failed line and downloads", async () => {
    const lines = Array.from({ length: 15 }, (_, i) => line(i));
    lines.push(line(15, 'far too long '.repeat(200)));  // over the mock's context window
    batch = await createBatch(serve.url, TEAM_A, lines, 'labelling run');
    other = await createBatch(serve.url, TEAM_B, [line(0)], "team-b's batch");
    const { context, page } = await signIn(serve.url, TEAM_A);
    await page.waitForSelector(`tr[data-batch="${batch.id}"]`, WAIT);
    assert.equal(await page.locator(`tr[data-batch="${other.id}"]`).count(), 0);
    assert.match(await page.textContent(`tr[data-batch="${batch.id}"]`), /labelling run/);
    assert.doesNotMatch(await page.textContent(`tr[data-batch="${batch.id}"] .cost`),
                        /price unknown/);
    await shot(page, 'batches');

    await page.click(`a[href="#/batch/${batch.id}"]`);
    await page.waitForSelector('#status .status', WAIT);
    // Live from the event stream: seen running, then completed without a reload.
    await page.waitForFunction(() => {
      const done = document.querySelector('[data-card="Progress"]')?.textContent || '';
      return /^\s*([1-9]|1[0-5]) \/ 16/.test(done.split('\n').pop());
    }, null, WAIT);
    assert.match(await page.textContent('#status'), /in_progress/);
    assert.equal(await page.locator('.chart canvas').count(), 3);  // uPlot drew its charts
    await shot(page, 'batch-running');
    await page.waitForSelector('#status .status.completed', WAIT);
    assert.match(await page.textContent('[data-card="Progress"]'), /16 \/ 16/);
    // Priced from the config's prices, from each result's usage; failures by code.
    assert.match(await page.textContent('[data-card="Cost / estimate"]'),
                 /^\$0\.0*[1-9]\d* \/ \$0\.0*[1-9]\d*$/);
    assert.match(await page.textContent('[data-card="Errors"]'), /context_length_exceeded 1/);
    await page.waitForSelector('#failed tbody tr', WAIT);
    assert.match(await page.textContent('#failed'), /req-15/);
    assert.match(await page.textContent('#failed'), /context_length_exceeded/);
    const output = await page.getAttribute('a[download]:has-text("Download output")', 'href');
    const download = await page.evaluate(async (href) => (await fetch(href)).text(), output);
    assert.equal(download.trim().split('\n').length, 15);
    await shot(page, 'batch-completed');
    await context.close();
  });

  it('cancels a batch from its page', async () => {
    const slow = await createBatch(serve.url, TEAM_A, Array.from({ length: 40 }, (_, i) => line(i)),
                                   'to cancel');
    const { context, page } = await signIn(serve.url, TEAM_A);
    await page.goto(`${serve.url}/ui/#/batch/${slow.id}`);
    await page.waitForSelector('#cancel', WAIT);
    await page.click('#cancel');
    await page.waitForSelector('#status .status.cancelled', WAIT);
    const after = await call(serve.url, TEAM_A, `/v1/batches/${slow.id}`);
    assert.equal(after.status, 'cancelled');
    await context.close();
  });

  it('shows the deployments and the interactive traffic of the tenant', async () => {
    await call(serve.url, TEAM_A, '/v1/chat/completions', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 3,
                             messages: [{ role: 'user', content: 'hi' }] }),
    });
    const { context, page } = await signIn(serve.url, TEAM_A);
    await page.click('a[data-page="deployments"]');
    await page.waitForSelector('tr[data-deployment="gpt-4o-mini#0"]', WAIT);
    await page.waitForFunction(() => document.querySelectorAll('.chart canvas').length > 0,
                               null, WAIT);
    await shot(page, 'deployments');
    await page.click('a[data-page="traffic"]');
    await page.waitForSelector('tr[data-tenant="team-a"]', WAIT);
    assert.equal(await page.locator('tr[data-tenant="ops"]').count(), 0);
    await shot(page, 'traffic');
    await context.close();
  });

  it("shows an admin every tenant's batches", async () => {
    const { context, page } = await signIn(serve.url, ADMIN);
    await page.waitForSelector(`tr[data-batch="${other.id}"]`, WAIT);
    await page.waitForSelector(`tr[data-batch="${batch.id}"]`, WAIT);
    assert.equal(await page.textContent(`tr[data-batch="${other.id}"] .tenant`), 'team-b');
    assert.equal(await page.textContent(`tr[data-batch="${batch.id}"] .tenant`), 'team-a');
    assert.match(await page.textContent('#who'), /admin/);
    await context.close();
  });
});

describe('a list of 1,000 batches', () => {
  it('is listed whole', async () => {
    fastMock = await startSluice(['mock', '--port', '0']);
    const many = await startSluice(['--config', config('many', fastMock.url), 'serve']);
    try {
      const form = new FormData();
      form.append('purpose', 'batch');
      form.append('file', new Blob([line(0) + '\n']), 'one.jsonl');
      const file = await call(many.url, TEAM_A, '/v1/files', { method: 'POST', body: form });
      for (let made = 0; made < 1000; made += 50) {
        await Promise.all(Array.from({ length: 50 }, () => call(many.url, TEAM_A, '/v1/batches', {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ input_file_id: file.id, endpoint: '/v1/chat/completions',
                                 completion_window: '24h' }),
        })));
      }
      const { context, page } = await signIn(many.url, TEAM_A);
      await page.waitForFunction(
        () => document.querySelectorAll('#batches tbody tr').length === 1000, null, WAIT);
      // Rendered, and the page still answers: a click on a batch opens it.
      const started = Date.now();
      await page.click('#batches tbody tr:nth-child(500) a');
      await page.waitForSelector('#status .status', WAIT);
      console.log(`# a batch opened from the list of 1,000 in ${Date.now() - started} ms`);
      await shot(page, 'batch-from-1000');
      await context.close();
    } finally {
      await stopSluice(many);
    }
  });
});
