// Shared by the Node tests: OpenAI's OpenAPI spec (tests/fixtures/openapi/openai-openapi.yaml) as
// JSON Schema validators, and the start and stop of sluice processes (binary from $SLUICE_BIN)
// that print "listening on http://HOST:PORT". Node's single thread; nothing shared across tests.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import YAML from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
const specPath = resolve(repoRoot, 'tests', 'fixtures', 'openapi', 'openai-openapi.yaml');
const SPEC_ID = 'https://sluice.invalid/openai-openapi.json';

export const sluiceBin = process.env.SLUICE_BIN;

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

// Lets every optional property of `schema` be null as well.
function allowNullOptionals(schema) {
  const required = new Set(schema.required ?? []);
  const properties = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    properties[name] = required.has(name) ? property : { anyOf: [property, { type: 'null' }] };
  }
  return { ...schema, properties };
}

// Returns validator(name): the compiled schema `#/components/schemas/<name>`, cached.
// `nullOptionals` names schemas whose optional properties may also be null: the spec types some
// (Batch's timestamps and file ids, for one) as non-null although its own examples and OpenAI's
// answers carry null for the ones not set.
export function loadValidators({ nullOptionals = [] } = {}) {
  const spec = YAML.parse(readFileSync(specPath, 'utf8'));
  const schemas = convertNullable(spec.components.schemas);
  for (const name of nullOptionals) schemas[name] = allowNullOptionals(schemas[name]);
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  ajv.addFormat('unixtime', true);
  ajv.addSchema({ $id: SPEC_ID, components: { schemas } });
  const cache = new Map();
  return (name) => {
    if (!cache.has(name)) {
      cache.set(name, ajv.compile({ $ref: `${SPEC_ID}#/components/schemas/${name}` }));
    }
    return cache.get(name);
  };
}

export function expectValid(validator, name, body) {
  const validate = validator(name);
  const ok = validate(body);
  assert.ok(ok, `${name} rejected ${JSON.stringify(body).slice(0, 400)}:\n` +
    JSON.stringify(validate.errors, null, 1).slice(0, 2000));
}

// Starts `sluice <args>` and resolves with { child, url } once it prints "listening on URL".
export function startSluice(args) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(sluiceBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let listening = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sluice ${args.join(' ')} gave no address within 15 s:\n${output}`));
    }, 15000);
    // Reads the pipes to the end so the child never blocks on them; keeps what came up to the
    // address, for the error when none comes.
    const onData = (chunk) => {
      if (listening) return;
      output += chunk.toString();
      const m = output.match(/listening on (http:\/\/[0-9.]+:[0-9]+)/);
      if (m) {
        listening = true;
        clearTimeout(timer);
        resolvePromise({ child, url: m[1] });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    // Until stopSluice: an exit before listening fails the start, one after is reported.
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const how = `sluice ${args.join(' ')} exited (${signal ?? code})`;
      if (listening) process.stderr.write(`${how} while the test ran\n`);
      else reject(new Error(`${how} before listening:\n${output}`));
    });
  });
}

// SIGTERM, then SIGKILL after 10 s; resolves when the process has exited.
export function stopSluice(proc) {
  if (!proc) return Promise.resolve();
  return new Promise((done) => {
    proc.child.removeAllListeners('exit');
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      done();
      return;
    }
    proc.child.on('exit', () => done());
    proc.child.kill('SIGTERM');
    setTimeout(() => { proc.child.kill('SIGKILL'); }, 10000).unref();
  });
}
