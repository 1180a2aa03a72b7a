// Conformance test: starts `sluice mock` (binary from $SLUICE_BIN), sends real requests and
// validates every response body against the schemas of OpenAI's OpenAPI spec, which lives at
// tests/fixtures/openapi/openai-openapi.yaml (see the README there). Run:
// SLUICE_BIN=path/to/sluice node --test
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { expectValid, loadValidators, sluiceBin, startSluice, stopSluice } from './spec.mjs';

// Starts `sluice mock <args>` on a free port: { child, url }.
function startMock(args) {
  return startSluice(['mock', '--port', '0', ...args]);
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
    await stopSluice(mock);
    await stopSluice(limited);
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
