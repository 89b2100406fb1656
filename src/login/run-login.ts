/**
 * Runs a tool's writers against the files the tool reads: read each file, render the new text,
 * then (unless it is a dry run) write the files that changed. Every file is rendered before any
 * is written, so a file login cannot understand stops it before anything changes.
 */
import { ValidationError } from '../errors.js';
import type { LoginContext } from './login-context.js';
import { ConfigSyntaxError, type ConfigFileWriter, type LoginInput } from './login-writer.js';

export interface PlannedFile {
  path: string;
  /** Whether the file exists before login. */
  exists: boolean;
  changed: boolean;
  content: string;
}

export interface WrittenFile {
  path: string;
  status: 'created' | 'updated' | 'unchanged';
  /** The copy of the file as it was before artifact-cli first changed it, when this run made it. */
  backup?: string;
}

export async function planLogin(writers: ConfigFileWriter[], input: LoginInput, context: LoginContext): Promise<PlannedFile[]> {
  // Keyed by path: should overrides point two writers of one tool at the same file, the second
  // renders on top of the first.
  const planned = new Map<string, PlannedFile>();
  for (const writer of writers) {
    const path = writer.locate(context);
    const earlier = planned.get(path);
    const current = earlier ? earlier.content : await context.files.read(path);
    const content = render(writer, current, input, path);
    planned.set(path, {
      path,
      exists: earlier ? earlier.exists : current !== undefined,
      changed: (earlier?.changed ?? false) || content !== current,
      content,
    });
  }
  return [...planned.values()];
}

function render(writer: ConfigFileWriter, current: string | undefined, input: LoginInput, path: string): string {
  try {
    return writer.render(current, input);
  } catch (error) {
    if (error instanceof ConfigSyntaxError) throw new ValidationError(`${path} ${error.problem}.`, { hint: error.hint });
    throw error;
  }
}

export async function writePlannedFiles(planned: PlannedFile[], context: LoginContext): Promise<WrittenFile[]> {
  const written: WrittenFile[] = [];
  for (const file of planned) {
    if (!file.changed) {
      written.push({ path: file.path, status: 'unchanged' });
      continue;
    }
    const outcome = await context.files.write(file.path, file.content);
    written.push({ path: outcome.path, status: file.exists ? 'updated' : 'created', ...(outcome.backup ? { backup: outcome.backup } : {}) });
  }
  return written;
}
