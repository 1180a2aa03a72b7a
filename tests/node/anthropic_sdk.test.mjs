// The official Anthropic Node SDK (@anthropic-ai/sdk) against `sluice serve` in front of
// `sluice mock` (binary from $SLUICE_BIN): messages.create, messages.stream and
// create({stream: true}) through an anthropic deployment (relayed as it is) and an
// openai-compatible one (translated), and the SDK's error classes for what sluice refuses.
// Run: SLUICE_BIN=path/to/sluice node --test anthropic_sdk.test.mjs
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import Anthropic, {
  AuthenticationError, BadRequestError, NotFoundError, RateLimitError,
} from '@anthropic-ai/sdk';

import { sluiceBin, startSluice, stopSluice } from './spec.mjs';

const KEY = 'sk-gw-team-a-0123456789abcdef';

function configYaml(dataDir, mockUrl) {
  return `listen: 127.0.0.1:0
data_dir: ${dataDir}
proxy: {max_wait: 300ms}
keys:
  - name: team-a
    key: ${KEY}
models:
  - name: claude
    deployments:
      - {provider: anthropic, base_url: '${mockUrl}', api_key: sk-mock, model: claude-sonnet-4-5}
  - name: gpt-4o-mini
    deployments:
      - {provider: openai-compatible, base_url: '${mockUrl}/v1', api_key: sk-mock, model: gpt-4o-mini}
  - name: scarce
    deployments:
      - {provider: anthropic, base_url: '${mockUrl}', api_key: sk-mock, model: claude-haiku-4-5, rpm: 1}
`;
}

const ask = (model, extra = {}) => ({
  model,
  max_tokens: 32,
  system: 'Be terse.',
  messages: [{ role: 'user', content: 'What is the capital of France?' }],
  ...extra,
});

// The deployments behind each model the tests ask for.
const ROUTES = [
  { model: 'claude', via: 'an anthropic deployment' },
  { model: 'gpt-4o-mini', via: 'an openai-compatible deployment' },
];

describe('the Anthropic Node SDK against sluice serve', {
  skip: sluiceBin ? false : 'SLUICE_BIN is not set',
}, () => {
  let mock;
  let serve;
  let tempDir;

  const client = (options = {}) => new Anthropic({
    apiKey: KEY, baseURL: serve.url, maxRetries: 0, timeout: 20000, ...options,
  });

  async function expectApiError(promise, ErrorClass, status, type) {
    const error = await promise.then(() => null, (e) => e);
    const got = error ? `${error.constructor.name}: ${error.message}` : 'success';
    assert.ok(error instanceof ErrorClass, `expected ${ErrorClass.name}, got ${got}`);
    assert.equal(error.status, status);
    assert.equal(error.error?.type, 'error');
    assert.equal(error.error?.error?.type, type);
    assert.match(error.requestID ?? '', /^req_/);
    return error;
  }

  before(async () => {
    tempDir = mkdtempSync(join(tmpdir(), 'sluice-anthropic-sdk-'));
    mock = await startSluice(['mock', '--port', '0', '--api-key', 'sk-mock']);
    const configPath = join(tempDir, 'sluice.yaml');
    writeFileSync(configPath, configYaml(join(tempDir, 'data'), mock.url));
    serve = await startSluice(['--config', configPath, 'serve']);
  });

  after(async () => {
    await stopSluice(serve);
    await stopSluice(mock);
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  });

  for (const { model, via } of ROUTES) {
    it(`creates a message through ${via}`, async () => {
      const { data: message, request_id: requestId } =
        await client().messages.create(ask(model)).withResponse();
      assert.equal(message.type, 'message');
      assert.equal(message.role, 'assistant');
      assert.equal(message.content[0].type, 'text');
      assert.match(message.content[0].text, /^mock:/);
      assert.ok(['end_turn', 'max_tokens'].includes(message.stop_reason), message.stop_reason);
      assert.ok(message.usage.input_tokens > 0);
      assert.ok(message.usage.output_tokens > 0);
      assert.match(requestId ?? '', /^req_/);
    });

    it(`streams a message with messages.stream through ${via}`, async () => {
      const stream = client().messages.stream(ask(model));
      let text = '';
      stream.on('text', (delta) => { text += delta; });
      const message = await stream.finalMessage();
      assert.equal(message.content[0].type, 'text');
      assert.equal(message.content[0].text, text);
      assert.match(text, /^mock:/);
      assert.ok(message.stop_reason, 'a stop reason');
      assert.ok(message.usage.output_tokens > 0, JSON.stringify(message.usage));
      assert.ok(message.usage.input_tokens > 0, JSON.stringify(message.usage));
    });

    it(`streams raw events with create({stream: true}) through ${via}`, async () => {
      const stream = await client().messages.create(ask(model, { stream: true }));
      const types = [];
      for await (const event of stream) types.push(event.type);
      assert.equal(types[0], 'message_start');
      assert.equal(types.at(-1), 'message_stop');
      assert.ok(types.includes('content_block_delta'));
      assert.ok(types.indexOf('message_delta') < types.indexOf('message_stop'));
    });

    it(`refuses a request without max_tokens through ${via} (BadRequestError)`, async () => {
      const { max_tokens: _dropped, ...request } = ask(model);
      const error = await expectApiError(
        client().messages.create(request), BadRequestError, 400, 'invalid_request_error');
      assert.match(error.message, /max_tokens: Field required/);
    });
  }

  it('streams a tool call through an anthropic deployment', async () => {
    const tools = [{
      name: 'capital', description: 'The capital of a country',
      input_schema: { type: 'object', properties: { input: { type: 'string' } } },
    }];
    const message = await client().messages.stream(
      ask('claude', { tools, tool_choice: { type: 'tool', name: 'capital' } })).finalMessage();
    assert.equal(message.stop_reason, 'tool_use');
    const call = message.content.find((block) => block.type === 'tool_use');
    assert.equal(call?.name, 'capital');
    assert.match(call.input.input, /^mock:/);
  });

  it('accepts the gateway key as an auth token (Authorization: Bearer)', async () => {
    const sdk = new Anthropic({
      apiKey: null, authToken: KEY, baseURL: serve.url, maxRetries: 0,
    });
    const message = await sdk.messages.create(ask('claude'));
    assert.equal(message.type, 'message');
  });

  it('raises AuthenticationError for a key that is no gateway key', async () => {
    const error = await expectApiError(
      client({ apiKey: 'sk-not-a-gateway-key-0123456789' }).messages.create(ask('claude')),
      AuthenticationError, 401, 'authentication_error');
    assert.match(error.message, /invalid x-api-key/);
  });

  it('raises NotFoundError for a model sluice does not serve', async () => {
    await expectApiError(client().messages.create(ask('claude-unknown')), NotFoundError, 404,
      'not_found_error');
  });

  it('raises BadRequestError naming a parameter an OpenAI deployment cannot honour', async () => {
    const error = await expectApiError(
      client().messages.create(ask('gpt-4o-mini', { top_k: 5 })), BadRequestError, 400,
      'invalid_request_error');
    assert.match(error.message, /top_k/);
  });

  it('raises RateLimitError with retry-after when no deployment has room', async () => {
    await client().messages.create(ask('scarce'));
    const error = await expectApiError(client().messages.create(ask('scarce')), RateLimitError,
      429, 'rate_limit_error');
    assert.ok(Number(error.headers.get('retry-after')) >= 1);
  });
});
