/**
 * One generated table of CodeArtifact's API: src/api/service-model.json, which the server reads,
 * and the CLI's view of it, src/cli/aws-input-shapes.ts, both written by
 * scripts/generate-service-model.mjs. These fail when the view is not the one the JSON gives
 * (one of them edited by hand, or the JSON regenerated without the view).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import model from '../../src/api/service-model.json' with { type: 'json' };
import type { Shape } from '../../src/api/model.js';
import type { InputShape } from '../../src/cli/aws-input-shape-types.js';
import { AWS_INPUTS } from '../../src/cli/aws-input-shapes.js';
import { PROJECT_DIR } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const SCRIPT = path.join(PROJECT_DIR, 'scripts', 'generate-service-model.mjs');
const MODEL_FILE = path.join(PROJECT_DIR, 'src', 'api', 'service-model.json');
const INPUTS_FILE = path.join(PROJECT_DIR, 'src', 'cli', 'aws-input-shapes.ts');
const SHAPES = model.shapes as unknown as Record<string, Shape>;

function check(...files: string[]) {
  return spawnSync(process.execPath, [SCRIPT, '--check', ...files], { encoding: 'utf8' });
}

describe('the CLI view of the service model', () => {
  it('is the one the JSON gives (scripts/generate-service-model.mjs --check)', () => {
    const result = check();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('src/cli/aws-input-shapes.ts matches src/api/service-model.json');
  });

  it('fails the check when the view is edited by hand', () => {
    const view = path.join(makeTempDir('artifact-cli-model-'), 'aws-input-shapes.ts');
    writeFileSync(view, readFileSync(INPUTS_FILE, 'utf8').replace("flag: '--max-results'", "flag: '--max-result'"));
    const result = check(MODEL_FILE, view);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('is not the view');
  });

  it('fails the check when the JSON changes and the view is not regenerated', () => {
    const changed = structuredClone(model) as unknown as { shapes: Record<string, Shape> };
    changed.shapes.PackageFormat.enum = [...changed.shapes.PackageFormat.enum!, 'conda'];
    const file = path.join(makeTempDir('artifact-cli-model-'), 'service-model.json');
    writeFileSync(file, JSON.stringify(changed));
    expect(check(file, INPUTS_FILE).status).toBe(1);
  });

  it("lists every operation's input members in the model's order, with the AWS CLI's flag names", () => {
    const operations = model.operations as unknown as Record<string, { input?: { shape: string } }>;
    expect(Object.keys(AWS_INPUTS)).toHaveLength(Object.keys(operations).length);
    for (const [name, operation] of Object.entries(operations)) {
      const command = name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
      const members = operation.input ? Object.keys(SHAPES[operation.input.shape].members ?? {}) : [];
      expect(
        AWS_INPUTS[command]?.map((member) => member.name),
        command,
      ).toEqual(members);
    }
    const flags = new Map(AWS_INPUTS['get-package-version-asset'].concat(AWS_INPUTS['publish-package-version']).map((member) => [member.name, member.flag]));
    expect(flags.get('packageVersion')).toBe('--package-version');
    expect(flags.get('assetSHA256')).toBe('--asset-sha256');
  });

  it("takes each enum's values from the model", () => {
    const enumOf = (shape: InputShape) => (typeof shape === 'object' && 'enum' in shape ? shape.enum : undefined);
    const format = AWS_INPUTS['list-packages'].find((member) => member.name === 'format')!;
    expect(enumOf(format.shape)).toEqual(SHAPES.PackageFormat.enum);
    const status = AWS_INPUTS['update-package-versions-status'].find((member) => member.name === 'targetStatus')!;
    expect(enumOf(status.shape)).toEqual(SHAPES.PackageVersionStatus.enum);
  });
});
