// End to end with the official OpenAI Node SDK: starts `sluice mock` and `sluice serve` in front of
// it (binary from $SLUICE_BIN), then drives what a team's code does — models, chat with and
// without streaming, embeddings, the Files API, batches from upload to parsed output, paging,
// cancel, delete, tenancy, keys and bad input — validating every object against OpenAI's OpenAPI
// spec. Run: SLUICE_BIN=path/to/sluice node --test sdk_flow.test.mjs
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import assert from 'node:assert/strict';

import OpenAI, { AuthenticationError, BadRequestError, NotFoundError, toFile } from 'openai';

import { expectValid, loadValidators, sluiceBin, startSluice, stopSluice } from './spec.mjs';

const KEY_A = 'sk-team-a-0123456789abcdef';
const KEY_B = 'sk-team-b-0123456789abcdef';
const CHAT = '/v1/chat/completions';
const DAY = 24 * 60 * 60;
const POLL_EVERY_MS = 200;

function configYaml(dataDir, mockUrl) {
  const deployment = (model) => `
      - provider: openai-compatible
        base_url: ${mockUrl}/v1
        model: ${model}
        rpm: 600
        tpm: 100000`;
  return `listen: 127.0.0.1:0
data_dir: ${dataDir}
keys:
  - name: team-a
    key: ${KEY_A}
  - name: team-b
    key: ${KEY_B}
models:
  - name: gpt-4o-mini
    deployments:${deployment('gpt-4o-mini')}
  - name: text-embedding-3-small
    deployments:${deployment('text-embedding-3-small')}
`;
}

// One batch input line; the mock's answer repeats its user message, "Echo <custom_id>".
function chatLine(customId) {
  return JSON.stringify({
    custom_id: customId,
    method: 'POST',
    url: CHAT,
    body: {
      model: 'gpt-4o-mini',
      max_tokens: 8,
      messages: [{ role: 'user', content: `Echo ${customId}` }],
    },
  });
}

function jsonl(lines) {
  return lines.join('\n') + '\n';
}

function customIds(prefix, count) {
  return Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
}

function parseJsonl(text) {
  return text.split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line));
}

const chatRequest = {
  model: 'gpt-4o-mini',
  max_tokens: 24,
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'What is the capital of France?' },
  ],
};

// Statuses in the order a batch may pass them (WIRE §2.3).
const COMPLETED_PATH = ['validating', 'in_progress', 'finalizing', 'completed'];
const FAILED_PATH = ['validating', 'failed'];
const CANCELLED_PATH = ['validating', 'in_progress', 'cancelling', 'cancelled'];

function assertFollows(seen, path) {
  let at = -1;
  for (const status of seen) {
    const next = path.indexOf(status);
    assert.ok(next > at, `statuses ${seen.join(' → ')} do not follow ${path.join(' → ')}`);
    at = next;
  }
}

describe('the OpenAI Node SDK against sluice serve', {
  skip: sluiceBin ? false : 'SLUICE_BIN is not set',
}, () => {
  let validator;
  let mock;
  let serve;
  let tempDir;
  let teamA;
  let teamB;
  // Made by earlier steps, used by later ones.
  const uploaded = { text: '', file: null };
  let completedBatch;

  const client = (apiKey) => new OpenAI({
    apiKey, baseURL: `${serve.url}/v1`, maxRetries: 0, timeout: 20000,
  });

  function raw(method, path, { key = KEY_A, body, contentType } = {}) {
    const headers = {};
    if (key) headers.authorization = `Bearer ${key}`;
    if (contentType) headers['content-type'] = contentType;
    return fetch(serve.url + path, { method, headers, body });
  }

  // Awaits `promise`, which must fail with `ErrorClass` and `status` in OpenAI's error shape.
  async function expectApiError(promise, ErrorClass, status) {
    const error = await promise.then(() => null, (e) => e);
    const got = error ? `${error.constructor.name}: ${error.message}` : 'success';
    assert.ok(error instanceof ErrorClass, `expected ${ErrorClass.name}, got ${got}`);
    assert.equal(error.status, status);
    expectValid(validator, 'ErrorResponse', { error: error.error });
    return error;
  }

  async function expectRawError(response, status) {
    assert.equal(response.status, status);
    const body = await response.json();
    expectValid(validator, 'ErrorResponse', body);
    return body;
  }

  async function upload(sdk, text, filename) {
    const file = await sdk.files.create({
      file: await toFile(Buffer.from(text), filename), purpose: 'batch',
    });
    expectValid(validator, 'OpenAIFile', file);
    assert.equal(file.object, 'file');
    assert.equal(file.purpose, 'batch');
    assert.equal(file.filename, filename);
    assert.equal(file.bytes, Buffer.byteLength(text));
    return file;
  }

  async function createBatch(sdk, inputFileId, metadata) {
    const batch = await sdk.batches.create({
      input_file_id: inputFileId, endpoint: CHAT, completion_window: '24h', metadata,
    });
    expectValid(validator, 'Batch', batch);
    assert.equal(batch.object, 'batch');
    assert.ok(['validating', 'in_progress'].includes(batch.status), batch.status);
    assert.equal(batch.input_file_id, inputFileId);
    assert.equal(batch.endpoint, CHAT);
    assert.equal(batch.completion_window, '24h');
    assert.equal(batch.expires_at, batch.created_at + DAY);
    return batch;
  }

  // Polls until `done(batch)`, checking every batch seen; returns it and the statuses it went
  // through. Counts only grow.
  async function pollBatch(sdk, id, done, timeoutMs = 60000) {
    const deadline = Date.now() + timeoutMs;
    const seen = [];
    let counts = { completed: 0, failed: 0 };
    for (;;) {
      const batch = await sdk.batches.retrieve(id);
      expectValid(validator, 'Batch', batch);
      assert.equal(batch.id, id);
      if (seen.at(-1) !== batch.status) seen.push(batch.status);
      const now = batch.request_counts;
      assert.ok(now.completed >= counts.completed && now.failed >= counts.failed,
        `request_counts went back: ${JSON.stringify(counts)} → ${JSON.stringify(now)}`);
      counts = now;
      if (done(batch)) return { batch, seen };
      assert.ok(Date.now() < deadline,
        `batch ${id} still ${batch.status} after ${timeoutMs} ms (${seen.join(' → ')})`);
      await delay(POLL_EVERY_MS);
    }
  }

  // Reads the rest of an answer the SDK hands over unread: a raw Response or a stream.
  async function drain(data) {
    if (data instanceof Response) {
      await data.arrayBuffer();
    } else if (typeof data?.toReadableStream === 'function') {
      for await (const chunk of data) void chunk;
    }
  }

  async function fileText(sdk, id) {
    const response = await sdk.files.content(id);
    return response.text();
  }

  // Every item of a list, read a page of `limit: 1` at a time with the SDK's cursor paging.
  async function listPaged(pagePromise, schema) {
    const ids = [];
    let pages = 0;
    for await (const page of (await pagePromise).iterPages()) {
      expectValid(validator, schema, page.body);
      assert.equal(page.body.object, 'list');
      assert.ok(page.data.length <= 1, `limit 1 gave ${page.data.length} items`);
      pages += 1;
      ids.push(...page.data.map((item) => item.id));
    }
    assert.equal(pages, ids.length, 'has_more was true on the last item (an empty page followed)');
    assert.equal(new Set(ids).size, ids.length, `paging repeated an item: ${ids}`);
    return ids;
  }

  // A successful output line: BatchRequestOutput (not a schema of the spec) with a chat body.
  function checkAnswered(line) {
    assert.deepEqual(Object.keys(line).sort(), ['custom_id', 'error', 'id', 'response']);
    assert.match(line.id, /^batch_req_/);
    assert.equal(line.error, null);
    assert.equal(line.response.status_code, 200);
    assert.equal(typeof line.response.request_id, 'string');
    expectValid(validator, 'CreateChatCompletionResponse', line.response.body);
    assert.match(line.response.body.choices[0].message.content,
      new RegExp(`^mock:[0-9a-f]{16} Echo ${line.custom_id}( |$)`));
  }

  before(async () => {
    // OpenAIFile: expires_at is null for a file kept until deleted.
    validator = loadValidators({ nullOptionals: ['Batch', 'OpenAIFile'] });
    tempDir = mkdtempSync(join(tmpdir(), 'sluice-sdk-'));
    mock = await startSluice(['mock', '--port', '0', '--rpm', '600', '--tpm', '100000']);
    const configPath = join(tempDir, 'sluice.yaml');
    writeFileSync(configPath, configYaml(join(tempDir, 'data'), mock.url));
    serve = await startSluice(['--config', configPath, 'serve']);
    teamA = client(KEY_A);
    teamB = client(KEY_B);
  });

  after(async () => {
    await stopSluice(serve);
    await stopSluice(mock);
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  });

  it('lists the configured models', async () => {
    const page = await teamA.models.list();
    expectValid(validator, 'ListModelsResponse', page.body);
    const ids = page.data.map((m) => m.id).sort();
    assert.deepEqual(ids, ['gpt-4o-mini', 'text-embedding-3-small']);
    expectValid(validator, 'Model', await teamA.models.retrieve('gpt-4o-mini'));
  });

  it('answers a chat completion', async () => {
    const completion = await teamA.chat.completions.create(chatRequest);
    expectValid(validator, 'CreateChatCompletionResponse', completion);
    assert.equal(completion.object, 'chat.completion');
    assert.match(completion.choices[0].message.content,
      /^mock:[0-9a-f]{16} What is the capital of France\?/);
    const u = completion.usage;
    assert.equal(u.total_tokens, u.prompt_tokens + u.completion_tokens);
  });

  it('streams a chat completion chunk by chunk, usage last', async () => {
    const stream = await teamA.chat.completions.create({
      ...chatRequest, stream: true, stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) {
      expectValid(validator, 'CreateChatCompletionStreamResponse', chunk);
      chunks.push(chunk);
    }
    assert.ok(chunks.length >= 2, `${chunks.length} chunks`);
    const last = chunks.at(-1);
    assert.deepEqual(last.choices, []);
    assert.ok(last.usage.completion_tokens > 0);
    let text = '';
    for (const chunk of chunks.slice(0, -1)) {
      assert.equal(chunk.id, chunks[0].id);
      assert.equal(chunk.usage, null);
      text += chunk.choices[0]?.delta.content ?? '';
    }
    assert.match(text, /^mock:[0-9a-f]{16} What is the capital of France\?/);

    // On the wire the stream ends with [DONE].
    const response = await raw('POST', CHAT, {
      contentType: 'application/json', body: JSON.stringify({ ...chatRequest, stream: true }),
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /^text\/event-stream/);
    const events = (await response.text()).split('\n\n').filter((e) => e.length > 0);
    assert.equal(events.at(-1), 'data: [DONE]');
  });

  it('embeds a string and an array of strings', async () => {
    // Without encoding_format the SDK asks for base64 and decodes it to floats.
    const one = await teamA.embeddings.create({ model: 'text-embedding-3-small', input: 'hello' });
    expectValid(validator, 'CreateEmbeddingResponse', one);
    assert.equal(one.data.length, 1);
    assert.equal(one.data[0].embedding.length, 1536);

    const two = await teamA.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['first text', 'second text'],
      encoding_format: 'float',
    });
    expectValid(validator, 'CreateEmbeddingResponse', two);
    assert.deepEqual(two.data.map((d) => d.index), [0, 1]);
    assert.ok(two.usage.prompt_tokens > 0);
  });

  it('uploads a batch file, retrieves it and reads it back unchanged', async () => {
    uploaded.text = jsonl(customIds('r', 30).map(chatLine));
    uploaded.file = await upload(teamA, uploaded.text, 'batch.jsonl');
    assert.match(uploaded.file.id, /^file-/);

    const again = await teamA.files.retrieve(uploaded.file.id);
    expectValid(validator, 'OpenAIFile', again);
    assert.deepEqual(again, uploaded.file);
    assert.equal(await fileText(teamA, uploaded.file.id), uploaded.text);
  });

  it('runs a batch to completed and its output file answers every line once', async () => {
    assert.ok(uploaded.file, 'needs the uploaded file');
    const created = await createBatch(teamA, uploaded.file.id, { priority: 'high' });
    assert.deepEqual(created.metadata, { priority: 'high' });

    const { batch, seen } = await pollBatch(teamA, created.id, (b) => b.status !== 'validating' &&
      b.status !== 'in_progress' && b.status !== 'finalizing');
    assertFollows(seen, COMPLETED_PATH);
    assert.equal(batch.status, 'completed', JSON.stringify(batch.errors));
    completedBatch = batch;
    assert.deepEqual(batch.request_counts, { total: 30, completed: 30, failed: 0 });
    assert.deepEqual(batch.metadata, { priority: 'high' });
    assert.equal(batch.created_at, created.created_at);
    const lifecycle = ['created_at', 'in_progress_at', 'finalizing_at', 'completed_at'];
    for (const field of lifecycle) assert.ok(Number.isInteger(batch[field]), `${field} not set`);
    for (let i = 1; i < lifecycle.length; i++) {
      const [earlier, later] = [lifecycle[i - 1], lifecycle[i]];
      assert.ok(batch[earlier] <= batch[later], `${earlier} after ${later}`);
    }
    for (const field of ['failed_at', 'expired_at', 'cancelling_at', 'cancelled_at']) {
      assert.equal(batch[field] ?? null, null, `${field} set on a completed batch`);
    }

    assert.ok(batch.output_file_id, 'no output_file_id');
    const outputFile = await teamA.files.retrieve(batch.output_file_id);
    expectValid(validator, 'OpenAIFile', outputFile);
    assert.equal(outputFile.purpose, 'batch_output');
    const outputText = await fileText(teamA, batch.output_file_id);
    assert.equal(outputFile.bytes, Buffer.byteLength(outputText));
    const lines = parseJsonl(outputText);
    assert.equal(lines.length, 30);
    lines.forEach(checkAnswered);
    assert.deepEqual(lines.map((l) => l.custom_id).sort(), customIds('r', 30).sort());
    if (batch.error_file_id) assert.equal(await fileText(teamA, batch.error_file_id), '');
  });

  it('pages through files and batches one at a time', async () => {
    assert.ok(completedBatch, 'needs the completed batch');
    const fileIds = await listPaged(teamA.files.list({ limit: 1 }), 'ListFilesResponse');
    assert.ok(fileIds.includes(uploaded.file.id), 'the uploaded file is not listed');
    assert.ok(fileIds.includes(completedBatch.output_file_id), 'the output file is not listed');
    const unpaged = await teamA.files.list();
    expectValid(validator, 'ListFilesResponse', unpaged.body);
    assert.deepEqual(unpaged.data.map((f) => f.id).sort(), [...fileIds].sort());

    const batchIds = await listPaged(teamA.batches.list({ limit: 1 }), 'ListBatchesResponse');
    assert.ok(batchIds.includes(completedBatch.id), 'the batch is not listed');
  });

  it('fails a batch whose file has a line that is not JSON, naming the line', async () => {
    const text = jsonl([chatLine('v-1'), '{"custom_id": "v-2", "method": "POST"', chatLine('v-3')]);
    const file = await upload(teamA, text, 'broken.jsonl');
    const created = await createBatch(teamA, file.id);
    const { batch, seen } = await pollBatch(teamA, created.id, (b) => b.status !== 'validating');
    assertFollows(seen, FAILED_PATH);
    assert.equal(batch.status, 'failed');
    assert.ok(Number.isInteger(batch.failed_at), 'failed_at not set');
    assert.equal(batch.completed_at ?? null, null);
    assert.ok(batch.errors?.data?.length > 0, `no errors: ${JSON.stringify(batch.errors)}`);
    const [first] = batch.errors.data;
    assert.equal(typeof first.code, 'string');
    assert.ok(first.code.length > 0);
    assert.equal(typeof first.message, 'string');
    assert.ok(first.message.length > 0);
    assert.equal(first.line, 2);
  });

  it('cancels a running batch: answers kept, unsent lines batch_cancelled', async () => {
    // More lines than a minute of the deployment's rpm: after the first ~600 it runs at 10/s.
    const ids = customIds('c', 1200);
    const file = await upload(teamA, jsonl(ids.map(chatLine)), 'large.jsonl');
    const created = await createBatch(teamA, file.id);
    await pollBatch(teamA, created.id, (b) => b.request_counts.completed > 0 ||
      !['validating', 'in_progress'].includes(b.status));

    const cancelling = await teamA.batches.cancel(created.id);
    expectValid(validator, 'Batch', cancelling);
    assert.ok(['cancelling', 'cancelled'].includes(cancelling.status), cancelling.status);
    assert.ok(Number.isInteger(cancelling.cancelling_at), 'cancelling_at not set');

    const { batch, seen } = await pollBatch(teamA, created.id, (b) => b.status !== 'cancelling');
    assertFollows(seen, CANCELLED_PATH);
    assert.equal(batch.status, 'cancelled');
    assert.ok(batch.cancelled_at >= batch.cancelling_at, 'cancelled_at before cancelling_at');
    const counts = batch.request_counts;
    assert.equal(counts.total, 1200);
    assert.equal(counts.completed + counts.failed, counts.total, JSON.stringify(counts));
    assert.ok(counts.completed > 0 && counts.failed > 0, JSON.stringify(counts));

    const answered = batch.output_file_id
      ? parseJsonl(await fileText(teamA, batch.output_file_id)) : [];
    answered.forEach(checkAnswered);
    assert.equal(answered.length, counts.completed);
    assert.ok(batch.error_file_id, 'no error_file_id');
    const errors = parseJsonl(await fileText(teamA, batch.error_file_id));
    assert.equal(errors.length, counts.failed);
    const cancelled = errors.filter((l) => l.error?.code === 'batch_cancelled');
    assert.ok(cancelled.length > 0, 'no batch_cancelled line');
    for (const line of cancelled) {
      assert.equal(line.response, null);
      assert.equal(typeof line.error.message, 'string');
    }
    const all = [...answered, ...errors].map((l) => l.custom_id).sort();
    assert.deepEqual(all, [...ids].sort(), 'every line once across output and error files');
  });

  it('refuses to cancel a completed batch with 400', async () => {
    assert.ok(completedBatch, 'needs the completed batch');
    await expectApiError(teamA.batches.cancel(completedBatch.id), BadRequestError, 400);
    const still = await teamA.batches.retrieve(completedBatch.id);
    assert.equal(still.status, 'completed');
  });

  it("answers 404 to another team for team-a's file and batch, as for unknown ids", async () => {
    assert.ok(uploaded.file && completedBatch, 'needs the uploaded file and the completed batch');
    const fileId = uploaded.file.id;
    const batchId = completedBatch.id;
    const calls = [
      [(id) => teamB.files.retrieve(id), fileId, 'file-unknown0000000000000000'],
      [(id) => teamB.files.content(id), fileId, 'file-unknown0000000000000000'],
      [(id) => teamB.files.delete(id), fileId, 'file-unknown0000000000000000'],
      [(id) => teamB.batches.retrieve(id), batchId, 'batch_unknown000000000000000'],
      [(id) => teamB.batches.cancel(id), batchId, 'batch_unknown000000000000000'],
    ];
    for (const [call, foreign, unknown] of calls) {
      const theirs = await expectApiError(call(foreign), NotFoundError, 404);
      const none = await expectApiError(call(unknown), NotFoundError, 404);
      assert.deepEqual({ ...theirs.error, message: theirs.error.message.replaceAll(foreign, 'ID') },
        { ...none.error, message: none.error.message.replaceAll(unknown, 'ID') });
    }
    for await (const file of teamB.files.list()) assert.notEqual(file.id, fileId);
    for await (const batch of teamB.batches.list()) assert.notEqual(batch.id, batchId);
    // Team-a still has both.
    assert.equal((await teamA.batches.retrieve(batchId)).status, 'completed');
  });

  it('sets expiry as the SDK asks: expires_after on files, output_expires_after on batches', async () => {
    const text = jsonl(customIds('x', 2).map(chatLine));
    const hour = await teamA.files.create({
      file: await toFile(Buffer.from(text), 'expiring.jsonl'), purpose: 'batch',
      expires_after: { anchor: 'created_at', seconds: 3600 },
    });
    expectValid(validator, 'OpenAIFile', hour);
    assert.equal(hour.expires_at, hour.created_at + 3600);
    const kept = await teamA.files.create({
      file: await toFile(Buffer.from('notes'), 'notes.txt'), purpose: 'user_data',
    });
    expectValid(validator, 'OpenAIFile', kept);
    assert.equal(kept.expires_at, null);
    await expectApiError(teamA.files.create({
      file: await toFile(Buffer.from(text), 'short.jsonl'), purpose: 'batch',
      expires_after: { anchor: 'created_at', seconds: 60 },
    }), BadRequestError, 400);

    const created = await teamA.batches.create({
      input_file_id: hour.id, endpoint: CHAT, completion_window: '24h',
      output_expires_after: { anchor: 'created_at', seconds: 7200 },
    });
    expectValid(validator, 'Batch', created);
    const { batch } = await pollBatch(teamA, created.id, (b) => b.status === 'completed' ||
      b.status === 'failed');
    assert.equal(batch.status, 'completed', JSON.stringify(batch.errors));
    const output = await teamA.files.retrieve(batch.output_file_id);
    assert.equal(output.expires_at, output.created_at + 7200);
    const refused = await expectApiError(teamA.batches.create({
      input_file_id: hour.id, endpoint: CHAT, completion_window: '24h',
      output_expires_after: { anchor: 'created_at', seconds: 60 },
    }), BadRequestError, 400);
    assert.equal(refused.param, 'output_expires_after.seconds');
  });

  it('deletes a file; it is gone afterwards', async () => {
    assert.ok(uploaded.file, 'needs the uploaded file');
    const id = uploaded.file.id;
    const deleted = await teamA.files.delete(id);
    expectValid(validator, 'DeleteFileResponse', deleted);
    assert.deepEqual({ ...deleted }, { id, object: 'file', deleted: true });
    await expectApiError(teamA.files.retrieve(id), NotFoundError, 404);
    await expectApiError(teamA.files.content(id), NotFoundError, 404);
    for await (const file of teamA.files.list()) assert.notEqual(file.id, id);
  });

  it('sends x-request-id with every answer, errors and streams included', async () => {
    assert.ok(completedBatch, 'needs the completed batch');
    const idFile = await toFile(Buffer.from(chatLine('id-1') + '\n'), 'id.jsonl');
    const sdkCalls = {
      'GET /v1/models': () => teamA.models.list(),
      'POST /v1/chat/completions': () => teamA.chat.completions.create(chatRequest),
      'POST /v1/chat/completions (stream)': () =>
        teamA.chat.completions.create({ ...chatRequest, stream: true }),
      'POST /v1/embeddings': () =>
        teamA.embeddings.create({ model: 'text-embedding-3-small', input: 'x' }),
      'POST /v1/files': () => teamA.files.create({ file: idFile, purpose: 'batch' }),
      'GET /v1/files': () => teamA.files.list(),
      'GET /v1/files/{id}': () => teamA.files.retrieve(completedBatch.output_file_id),
      'GET /v1/files/{id}/content': () => teamA.files.content(completedBatch.output_file_id),
      'GET /v1/batches': () => teamA.batches.list(),
      'GET /v1/batches/{id}': () => teamA.batches.retrieve(completedBatch.id),
    };
    const missing = [];
    for (const [name, call] of Object.entries(sdkCalls)) {
      const { data, response } = await call().withResponse();
      await drain(data);
      if (!response.headers.get('x-request-id')) missing.push(`${name} ${response.status}`);
    }
    const rawCalls = [
      ['GET', '/v1/files/file-unknown0000000000000000'],
      ['GET', '/v1/files/file-unknown0000000000000000/content'],
      ['DELETE', '/v1/files/file-unknown0000000000000000'],
      ['GET', '/v1/batches/batch_unknown000000000000000'],
      ['POST', `/v1/batches/${completedBatch.id}/cancel`],
      ['DELETE', '/v1/batches'],
      ['POST', '/v1/files'],  // not multipart: 400
    ];
    rawCalls.push(['GET', '/v1/files', null]);  // no key: 401
    for (const [method, path, key] of rawCalls) {
      const response = await raw(method, path, { key });
      await response.arrayBuffer();
      const name = `${method} ${path}${key === null ? ' (no key)' : ''} ${response.status}`;
      if (!response.headers.get('x-request-id')) missing.push(name);
    }
    assert.deepEqual(missing, [], 'answers without x-request-id');
  });

  it('answers 401 to a wrong key and to no key', async () => {
    const wrongKey = 'sk-wrong-key-0000000000009999';
    const error = await expectApiError(client(wrongKey).models.list(), AuthenticationError, 401);
    assert.ok(!JSON.stringify(error.error).includes(wrongKey), 'the error repeats the key');
    for (const [method, path] of [['GET', '/v1/models'], ['GET', '/v1/files'],
      ['GET', '/v1/batches'], ['POST', CHAT]]) {
      await expectRawError(await raw(method, path, { key: null }), 401);
    }
  });

  it('answers bad input in OpenAI error shape: 400, 404 and 405', async () => {
    await expectRawError(await raw('POST', CHAT, {
      contentType: 'application/json', body: 'this is not json',
    }), 400);
    await expectApiError(teamA.chat.completions.create({ ...chatRequest, model: 'no-such-model' }),
      NotFoundError, 404);
    const wrongMethod = await raw('DELETE', '/v1/batches');
    await expectRawError(wrongMethod, 405);
    const allow = wrongMethod.headers.get('allow') ?? '';
    assert.ok(allow.includes('GET') && allow.includes('POST'), `allow: ${allow}`);
  });
});
