// Conformance test: starts `sluice mock` (binary from $SLUICE_BIN), sends real requests and
// validates every response body against the schemas of OpenAI's OpenAPI spec, which lives at
// <repo>/../shared/spec/openai-openapi.yaml. Run: SLUICE_BIN=path/to/sluice node --test
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import YAML from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
const specPath = resolve(repoRoot, '..', 'shared', 'spec', 'openai-openapi.yaml');
const sluiceBin = process.env.SLUICE_BIN;
const SPEC_ID = 'https://sluice.invalid/openai-openapi.json';

// OpenAPI 3.0 leftovers in the 3.1 spec: `nullable: true` becomes a JSON Schema null branch.
function convertNullable(node) {
  if (Array.isArray(node)) return node.map(convertNullable);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) out[k] = convertNullable(v);
  if (out.nullable !== true) {
    delete out.nullable;
    return out;
  }
  delete out.nullable;
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (typeof out.type === 'string' && !out.$ref) {
    out.type = [out.type, 'null'];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

function loadValidators() {
  const spec = YAML.parse(readFileSync(specPath, 'utf8'));
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  ajv.addFormat('unixtime', true);
  ajv.addSchema({ $id: SPEC_ID, components: { schemas: convertNullable(spec.components.schemas) } });
  const cache = new Map();
  return (name) => {
    if (!cache.has(name)) {
      cache.set(name, ajv.compile({ $ref: `${SPEC_ID}#/components/schemas/${name}` }));
    }
    return cache.get(name);
  };
}

function expectValid(validator, name, body) {
  const validate = validator(name);
  const ok = validate(body);
  assert.ok(ok, `${name} rejected ${JSON.stringify(body).slice(0, 400)}:\n` +
    JSON.stringify(validate.errors, null, 1).slice(0, 2000));
}

// Starts `sluice mock <args>` and resolves with its base URL once it prints "listening on".
function startMock(args) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(sluiceBin, ['mock', '--port', '0', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mock did not report its address within 15 s:\n${output}`));
    }, 15000);
    const onData = (chunk) => {
      output += chunk.toString();
      const m = output.match(/listening on (http:\/\/[0-9.]+:[0-9]+)/);
      if (m) {
        clearTimeout(timer);
        resolvePromise({ child, url: m[1] });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mock exited (${code}) before listening:\n${output}`));
    });
  });
}

function stopMock(mock) {
  if (!mock) return Promise.resolve();
  return new Promise((done) => {
    mock.child.removeAllListeners('exit');
    mock.child.on('exit', () => done());
    mock.child.kill('SIGTERM');
    setTimeout(() => { mock.child.kill('SIGKILL'); }, 10000).unref();
  });
}

async function post(url, path, body, headers = {}) {
  return fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const chatBody = {
  model: 'gpt-4o-mini',
  max_tokens: 24,
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'What is the capital of France?' },
  ],
};

describe('sluice mock conforms to the OpenAI spec', { skip: sluiceBin ? false : 'SLUICE_BIN is not set' }, () => {
  let validator;
  let mock;
  let limited;

  before(async () => {
    validator = loadValidators();
    mock = await startMock([]);
    limited = await startMock(['--rpm', '1', '--api-key', 'sk-test-key-0123456789']);
  });

  after(async () => {
    await stopMock(mock);
    await stopMock(limited);
  });

  it('answers chat completions in the CreateChatCompletionResponse shape', async () => {
    const res = await post(mock.url, '/v1/chat/completions', chatBody);
    assert.equal(res.status, 200);
    assert.ok(res.headers.get('x-request-id'));
    const body = await res.json();
    expectValid(validator, 'CreateChatCompletionResponse', body);
    assert.equal(body.object, 'chat.completion');
    assert.match(body.id, /^chatcmpl-/);
    assert.match(body.choices[0].message.content, /^mock:[0-9a-f]{16} What is the capital of France\?/);
    const u = body.usage;
    assert.equal(u.total_tokens, u.prompt_tokens + u.completion_tokens);
    assert.ok(u.completion_tokens <= 24);
  });

  it('streams chat chunks, then the usage chunk, then [DONE]', async () => {
    const res = await post(mock.url, '/v1/chat/completions', {
      ...chatBody, stream: true, stream_options: { include_usage: true },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/event-stream/);
    const events = (await res.text()).split('\n\n').filter((e) => e.length > 0);
    assert.equal(events.at(-1), 'data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => {
      assert.ok(e.startsWith('data: '), e);
      return JSON.parse(e.slice(6));
    });
    let text = '';
    chunks.forEach((chunk, i) => {
      expectValid(validator, 'CreateChatCompletionStreamResponse', chunk);
      assert.equal(chunk.object, 'chat.completion.chunk');
      assert.equal(chunk.id, chunks[0].id);
      if (i === chunks.length - 1) {
        assert.deepEqual(chunk.choices, []);
        assert.ok(chunk.usage.completion_tokens > 0);
      } else {
        assert.equal(chunk.usage, null);
        text += chunk.choices[0].delta.content ?? '';
      }
    });
    assert.match(text, /^mock:[0-9a-f]{16} What is the capital/);
  });

  it('answers embeddings as floats and as base64', async () => {
    const res = await post(mock.url, '/v1/embeddings', {
      model: 'text-embedding-3-small', input: ['first text', 'second text'],
    });
    assert.equal(res.status, 200);
    const body = await res.json();
    expectValid(validator, 'CreateEmbeddingResponse', body);
    assert.equal(body.data.length, 2);
    assert.equal(body.data[0].embedding.length, 1536);

    const b64 = await (await post(mock.url, '/v1/embeddings', {
      model: 'text-embedding-3-small', input: 'x', dimensions: 8, encoding_format: 'base64',
    })).json();
    // The spec types `embedding` as an array only; OpenAI sends a string for base64.
    assert.equal(typeof b64.data[0].embedding, 'string');
    assert.equal(Buffer.from(b64.data[0].embedding, 'base64').length, 8 * 4);
  });

  it('answers legacy completions in the CreateCompletionResponse shape', async () => {
    const res = await post(mock.url, '/v1/completions', {
      model: 'gpt-3.5-turbo-instruct', prompt: 'Say this is a test', max_tokens: 7,
    });
    assert.equal(res.status, 200);
    const body = await res.json();
    expectValid(validator, 'CreateCompletionResponse', body);
    assert.equal(body.object, 'text_completion');
  });

  it('lists models', async () => {
    const list = await (await fetch(`${mock.url}/v1/models`)).json();
    expectValid(validator, 'ListModelsResponse', list);
    assert.ok(list.data.length > 0);
    const one = await (await fetch(`${mock.url}/v1/models/gpt-4o-mini`)).json();
    expectValid(validator, 'Model', one);
  });

  it('answers 400, 404 and 405 in the ErrorResponse shape', async () => {
    const cases = [
      [await post(mock.url, '/v1/chat/completions', 'not json'), 400],
      [await post(mock.url, '/v1/chat/completions', { model: 'gpt-4o-mini' }), 400],
      [await post(mock.url, '/v1/chat/completions', { model: 'm', messages: 'hi' }), 400],
      [await post(mock.url, '/v1/nowhere', {}), 404],
      [await fetch(`${mock.url}/v1/chat/completions`), 405],
    ];
    for (const [res, status] of cases) {
      assert.equal(res.status, status);
      assert.ok(res.headers.get('x-request-id'));
      expectValid(validator, 'ErrorResponse', await res.json());
    }
  });

  it('rejects a wrong API key with 401 invalid_api_key', async () => {
    const res = await post(limited.url, '/v1/chat/completions', chatBody,
      { authorization: 'Bearer sk-wrong-key-9999' });
    assert.equal(res.status, 401);
    const body = await res.json();
    expectValid(validator, 'ErrorResponse', body);
    assert.equal(body.error.code, 'invalid_api_key');
    assert.match(body.error.message, /^Incorrect API key provided: sk-\*+9999/);
  });

  it('rate-limits with 429, OpenAI headers and retry hints', async () => {
    const auth = { authorization: 'Bearer sk-test-key-0123456789' };
    const first = await post(limited.url, '/v1/chat/completions', chatBody, auth);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-ratelimit-limit-requests'), '1');
    assert.equal(first.headers.get('x-ratelimit-remaining-requests'), '0');
    assert.match(first.headers.get('x-ratelimit-reset-requests'), /^(\d+m)?\d+(\.\d+)?s$|^\d+ms$/);
    await first.json();
    const second = await post(limited.url, '/v1/chat/completions', chatBody, auth);
    assert.equal(second.status, 429);
    const body = await second.json();
    expectValid(validator, 'ErrorResponse', body);
    assert.equal(body.error.code, 'rate_limit_exceeded');
    assert.equal(body.error.type, 'requests');
    assert.match(body.error.message, /^Rate limit reached for gpt-4o-mini .* Please try again in /);
    const ms = Number(second.headers.get('retry-after-ms'));
    assert.ok(ms > 0 && ms <= 60000, `retry-after-ms ${ms}`);
    assert.equal(Number(second.headers.get('retry-after')), Math.ceil(ms / 1000));
  });
});
