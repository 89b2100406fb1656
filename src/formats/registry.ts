/** The formats the server mounts, loaded on demand so the CLI never pays for them. */
import type { Format } from './format.js';

const LOADERS: Record<string, () => Promise<Format>> = {
  npm: async () => (await import('./npm/index.js')).npmFormat,
  generic: async () => (await import('./generic/index.js')).genericFormat,
  pypi: async () => (await import('./pypi/index.js')).pypiFormat,
  nuget: async () => (await import('./nuget/index.js')).nugetFormat,
  maven: async () => (await import('./maven/index.js')).mavenFormat,
  cargo: async () => (await import('./cargo/index.js')).cargoFormat,
};

export function servedFormatNames(): string[] {
  return Object.keys(LOADERS);
}

export async function loadFormats(): Promise<Map<string, Format>> {
  const formats = new Map<string, Format>();
  for (const [name, load] of Object.entries(LOADERS)) formats.set(name, await load());
  return formats;
}
