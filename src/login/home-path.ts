/** Paths taken from environment variables, as the tools read them. */
import path from 'node:path';

/** Expands a leading '~/' (npm, pip and Gradle accept it in their overrides) and makes the path absolute. */
export function expandHome(file: string, homeDir: string): string {
  if (file === '~') return homeDir;
  if (file.startsWith('~/')) return path.join(homeDir, file.slice(2));
  return path.resolve(file);
}

/** The first variable that is set and not empty. */
export function firstSet(env: Readonly<Record<string, string | undefined>>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}
