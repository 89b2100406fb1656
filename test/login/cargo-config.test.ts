import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cargoConfigWriter, cargoCredentialsWriter } from '../../src/login/cargo-config.js';
import { ValidationError } from '../../src/errors.js';
import { sampleInput, TOKEN } from './sample-input.js';

const input = sampleInput({ endpoint: 'http://127.0.0.1:8573/acme/cargo/main/' });
const INDEX = 'index = "sparse+http://127.0.0.1:8573/acme/cargo/main/"';
const PROVIDERS = '[registry]\nglobal-credential-providers = ["cargo:token"]';

describe('cargo config.toml and credentials.toml writers', () => {
  it('finds both files in CARGO_HOME, else ~/.cargo', () => {
    expect(cargoConfigWriter.locate({ env: {}, homeDir: '/home/u' })).toBe(path.join('/home/u', '.cargo', 'config.toml'));
    expect(cargoCredentialsWriter.locate({ env: { CARGO_HOME: '/opt/cargo' }, homeDir: '/home/u' })).toBe(path.join('/opt/cargo', 'credentials.toml'));
  });

  it('creates the registry table named <domain>-<repository>, and the token under the same name', () => {
    expect(cargoConfigWriter.render(undefined, input)).toBe(`[registries.acme-main]\n${INDEX}\n\n${PROVIDERS}\n`);
    expect(cargoCredentialsWriter.render(undefined, input)).toBe(`[registries.acme-main]\ntoken = "${TOKEN}"\n`);
  });

  it('uses --registry-name, and keeps every other table, key and comment', () => {
    const before = [
      '# mine',
      '[build]',
      'jobs = 2',
      '',
      '[registries.acme-main]',
      'index = "sparse+http://old/"',
      'protocol = "sparse" # keep',
      '',
      '[net]',
      'offline = false',
      '',
      PROVIDERS,
      '',
    ].join('\n');
    const named = cargoConfigWriter.render(before, { ...input, registryName: 'acme-main' });
    expect(named).toBe(
      [
        '# mine',
        '[build]',
        'jobs = 2',
        '',
        '[registries.acme-main]',
        INDEX,
        'protocol = "sparse" # keep',
        '',
        '[net]',
        'offline = false',
        '',
        PROVIDERS,
        '',
      ].join('\n'),
    );
    const other = cargoConfigWriter.render(before, { ...input, registryName: 'corp' });
    expect(other).toBe(`${before}\n[registries.corp]\n${INDEX}\n`);
    const credentials = '[registry]\ntoken = "crates-token"\n\n[registries."corp"]\ntoken = "old"\n';
    expect(cargoCredentialsWriter.render(credentials, { ...input, registryName: 'corp' })).toBe(
      `[registry]\ntoken = "crates-token"\n\n[registries."corp"]\ntoken = "${TOKEN}"\n`,
    );
  });

  it('adds cargo:token to global-credential-providers only where the list lacks it', () => {
    expect(cargoConfigWriter.render('[registry]\ndefault = "x"\n', input)).toBe(
      `[registry]\ndefault = "x"\nglobal-credential-providers = ["cargo:token"]\n\n[registries.acme-main]\n${INDEX}\n`,
    );
    const withList = cargoConfigWriter.render('[registry]\nglobal-credential-providers = ["cargo:libsecret"]\n', input);
    expect(withList).toContain('global-credential-providers = ["cargo:libsecret", "cargo:token"]');
    const already = '[registry]\nglobal-credential-providers = ["cargo:token", "cargo:libsecret"]\n';
    expect(cargoConfigWriter.render(already, input).startsWith(already)).toBe(true);
  });

  it('is idempotent', () => {
    const once = cargoConfigWriter.render('[net]\nretry = 3\n', input);
    expect(cargoConfigWriter.render(once, input)).toBe(once);
  });

  it('refuses a registry defined as an inline table or dotted keys instead of writing a second definition', () => {
    expect(() => cargoConfigWriter.render('[registries]\nacme-main = { index = "sparse+http://x/" }\n', input)).toThrow(ValidationError);
    expect(() => cargoConfigWriter.render('registries.acme-main.index = "sparse+http://x/"\n', input)).toThrow(/dotted keys/);
  });
});
