// Batch webhooks checked by the official OpenAI Node SDK: `sluice serve` (in front of
// `sluice mock`) sends batch.completed to a receiver on loopback that refuses the first try with a
// 500; the retry carries the same webhook-id, and `client.webhooks.unwrap` — the SDK's Standard
// Webhooks verification — accepts its signature and parses the event. A wrong secret is refused.
// An event whose receiver is down when the server stops is delivered by the next server.
// Run: SLUICE_BIN=path/to/sluice node --test webhooks.test.mjs
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';

import OpenAI, { toFile } from 'openai';

import { startSluice, stopSluice } from './spec.mjs';

const KEY = 'sk-webhooks-0123456789abcdef';
const SECRET = 'whsec_' + Buffer.from('a-test-secret-of-32-bytes-length!').toString('base64');

let dir;
let mock;
let serve;
let receiver;
const received = [];  // { headers, body } of every delivery, in order
let answered = 0;
let deliveredTwice;  // resolves when the second delivery arrived

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-webhooks-'));
  let second;
  deliveredTwice = new Promise((resolve) => { second = resolve; });
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      answered += 1;
      res.writeHead(answered === 1 ? 500 : 200).end();
      if (answered === 2) second();
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  mock = await startSluice(['mock', '--port', '0']);
  serve = await startSluice(['--config', writeConfig('a', receiver.address().port), 'serve']);
});

// A config in `dir` whose key's webhooks go to 127.0.0.1:`port`, with its own data_dir.
function writeConfig(name, port) {
  const config = join(dir, `${name}.yaml`);
  writeFileSync(config, `listen: 127.0.0.1:0
data_dir: ${join(dir, name)}
webhooks:
  secret: ${SECRET}
  base_delay: 100ms
keys:
  - name: team
    key: ${KEY}
    webhook_url: http://127.0.0.1:${port}/hooks
models:
  - name: gpt-4o-mini
    deployments:
      - provider: openai-compatible
        base_url: ${mock.url}/v1
`);
  return config;
}

async function runOneLineBatch(client) {
  const line = JSON.stringify({
    custom_id: 'a', method: 'POST', url: '/v1/chat/completions',
    body: { model: 'gpt-4o-mini', max_tokens: 4, messages: [{ role: 'user', content: 'hi' }] },
  });
  const file = await client.files.create({
    file: await toFile(Buffer.from(line + '\n'), 'in.jsonl'), purpose: 'batch',
  });
  return client.batches.create({
    input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h',
  });
}

after(async () => {
  await stopSluice(serve);
  await stopSluice(mock);
  receiver?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('delivers a signed batch.completed that the OpenAI SDK verifies, retried after a 500', async () => {
  const client = new OpenAI({ apiKey: KEY, baseURL: `${serve.url}/v1`, webhookSecret: SECRET });
  const batch = await runOneLineBatch(client);
  await deliveredTwice;
  assert.equal(received.length, 2);
  const [first, retry] = received;
  assert.equal(first.headers['webhook-id'], retry.headers['webhook-id'], 'the retry is the same event');
  assert.equal(first.body, retry.body);
  const event = await client.webhooks.unwrap(retry.body, retry.headers);
  assert.equal(event.type, 'batch.completed');
  assert.equal(event.object, 'event');
  assert.equal(event.data.id, batch.id);
  assert.equal(event.id, retry.headers['webhook-id']);
  const done = await client.batches.retrieve(batch.id);
  assert.equal(done.status, 'completed');

  const otherSecret = 'whsec_' + Buffer.from('another-secret-of-32-bytes-long!!').toString('base64');
  await assert.rejects(client.webhooks.unwrap(retry.body, retry.headers, otherSecret),
                       /signature/i);
});

it('refuses a batch whose metadata.webhook_url is not http(s)', async () => {
  const client = new OpenAI({ apiKey: KEY, baseURL: `${serve.url}/v1`, maxRetries: 0 });
  const file = await client.files.create({
    file: await toFile(Buffer.from('{}\n'), 'x.jsonl'), purpose: 'batch',
  });
  await assert.rejects(
    client.batches.create({
      input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h',
      metadata: { webhook_url: 'ftp://example.com/x' },
    }),
    (error) => error.status === 400 && error.param === 'metadata.webhook_url' &&
               /http:\/\/ or https:\/\//.test(error.message));
});

it('delivers after a restart what a receiver that was down did not get', async () => {
  // A port nobody listens on until the second server runs.
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = probe.address().port;
  await new Promise((resolve) => probe.close(resolve));
  const config = writeConfig('b', port);
  const outbox = join(dir, 'b', 'webhooks');
  let first = await startSluice(['--config', config, 'serve']);
  let second;
  let late;
  try {
    const client = new OpenAI({ apiKey: KEY, baseURL: `${first.url}/v1`, webhookSecret: SECRET });
    const batch = await runOneLineBatch(client);
    const deadline = Date.now() + 20000;
    while (!(existsSync(outbox) && readdirSync(outbox).some((f) => f.endsWith('.json')))) {
      assert.ok(Date.now() < deadline, 'the event reached the outbox');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await stopSluice(first);
    first = undefined;
    const got = new Promise((resolve) => {
      late = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk) => { body += chunk; });
        req.on('end', () => { res.writeHead(204).end(); resolve({ headers: req.headers, body }); });
      });
    });
    await new Promise((resolve) => late.listen(port, '127.0.0.1', resolve));
    second = await startSluice(['--config', config, 'serve']);
    const delivery = await got;
    const event = await client.webhooks.unwrap(delivery.body, delivery.headers);
    assert.equal(event.type, 'batch.completed');
    assert.equal(event.data.id, batch.id);
    const emptied = Date.now() + 20000;
    while (readdirSync(outbox).some((f) => f.endsWith('.json'))) {
      assert.ok(Date.now() < emptied, 'a delivered event leaves the outbox');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await stopSluice(first);
    await stopSluice(second);
    late?.close();
  }
});
