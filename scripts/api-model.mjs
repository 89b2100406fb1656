#!/usr/bin/env node
/**
 * Regenerates src/api/service-model.json from the CodeArtifact service model that ships with
 * botocore (the AWS CLI's library): operations, HTTP bindings, shapes, required members and
 * enums, without the documentation. Run after upgrading botocore: `node scripts/api-model.mjs`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const botocore = execFileSync('python3', ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'], { encoding: 'utf8' }).trim();
const model = JSON.parse(gunzipSync(readFileSync(path.join(botocore, 'data/codeartifact/2018-09-22/service-2.json.gz'))).toString('utf8'));
const DROPPED = new Set(['documentation', 'documentationUrl', 'deprecatedMessage', 'examples']);

function strip(value) {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([key]) => !DROPPED.has(key)).map(([key, child]) => [key, strip(child)]));
  return value;
}

const out = { metadata: strip(model.metadata), operations: strip(model.operations), shapes: strip(model.shapes) };
const target = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'api', 'service-model.json');
writeFileSync(target, `${JSON.stringify(out, null, 1)}\n`);
console.log(`wrote ${target}: ${Object.keys(out.operations).length} operations`);
