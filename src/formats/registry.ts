/**
 * The one list of formats: each line pairs a format's rules (light, read by every layer that
 * needs to know how the format names things) with the loader of its server code (heavy, loaded
 * only when the server starts). Adding a format is adding its folder and its line here
 * (CONTRIBUTING.md, "Adding a format").
 */
import type { FormatRules } from '../core/format-rules.js';
import type { PackageFormat } from '../core/model.js';
import { cargoRules } from './cargo/rules.js';
import type { Format } from './format.js';
import { genericRules } from './generic/rules.js';
import { mavenRules } from './maven/rules.js';
import { npmRules } from './npm/rules.js';
import { nugetRules } from './nuget/rules.js';
import { pypiRules } from './pypi/rules.js';
import { rubyRules } from './ruby/rules.js';
import { swiftRules } from './swift/rules.js';

interface RegisteredFormat {
  rules: FormatRules;
  load(): Promise<Format>;
}

// The order is the order help and error messages list the formats in.
const FORMATS = [
  { rules: npmRules, load: async () => (await import('./npm/index.js')).npmFormat },
  { rules: pypiRules, load: async () => (await import('./pypi/index.js')).pypiFormat },
  { rules: mavenRules, load: async () => (await import('./maven/index.js')).mavenFormat },
  { rules: nugetRules, load: async () => (await import('./nuget/index.js')).nugetFormat },
  { rules: genericRules, load: async () => (await import('./generic/index.js')).genericFormat },
  { rules: rubyRules, load: async () => (await import('./ruby/index.js')).rubyFormat },
  { rules: swiftRules, load: async () => (await import('./swift/index.js')).swiftFormat },
  { rules: cargoRules, load: async () => (await import('./cargo/index.js')).cargoFormat },
] as const satisfies readonly RegisteredFormat[];

/**
 * The names the lines above register; test/formats/registry.test.ts checks at compile time that
 * it is PackageFormat, the names the rules.ts files declare.
 */
export type RegisteredFormatName = (typeof FORMATS)[number]['rules']['format'];

const BY_NAME = new Map<string, RegisteredFormat>(FORMATS.map((entry) => [entry.rules.format, entry]));

/** Every registered format's rules, in registry order. */
export const FORMAT_RULES: readonly FormatRules[] = FORMATS.map((entry) => entry.rules);

/** The formats' names, in registry order: what the store files packages under, and the format a request may name. */
export const PACKAGE_FORMATS: readonly PackageFormat[] = FORMAT_RULES.map((rules) => rules.format);

/** Whether a name someone gave (a flag, a URL, a stored file) is a registered format. */
export function isPackageFormat(name: unknown): name is PackageFormat {
  return typeof name === 'string' && BY_NAME.has(name);
}

/** The rules of a format; every PackageFormat has a line above (RegisteredFormatName). */
export function formatRules(format: PackageFormat): FormatRules {
  const entry = BY_NAME.get(format);
  if (!entry) throw new Error(`No rules registered for format ${format}.`);
  return entry.rules;
}

export async function loadFormats(): Promise<Map<string, Format>> {
  const formats = new Map<string, Format>();
  for (const entry of FORMATS) formats.set(entry.rules.format, await entry.load());
  return formats;
}
