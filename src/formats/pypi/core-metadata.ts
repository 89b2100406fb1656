/**
 * Core metadata (a wheel's METADATA, an sdist's PKG-INFO): RFC 822-style headers, one field per
 * line, continuation lines indented, repeated fields allowed, and since metadata 2.1 the
 * description as the message body after the first blank line.
 */
import { ValidationError } from '../../errors.js';
import { isValidProjectName } from './project-name.js';
import { normalizeVersion } from './pep440.js';

export interface CoreMetadata {
  /** Field name in lower case -> every value it had, in order. */
  fields: Map<string, string[]>;
  name: string;
  version: string;
  summary?: string;
  description?: string;
  descriptionContentType?: string;
  homePage?: string;
  license?: string;
  requiresPython?: string;
  requiresDist: string[];
  projectUrls: string[];
}

export function parseCoreMetadata(text: string, what: string): CoreMetadata {
  const fields = new Map<string, string[]>();
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let last: { name: string; index: number } | undefined;
  let lineIndex = 0;
  for (; lineIndex < lines.length; lineIndex += 1) {
    const line = lines[lineIndex];
    if (line === '') break;
    if (/^[ \t]/.test(line)) {
      if (!last) throw new ValidationError(`${what} starts with a continuation line; it is not core metadata.`);
      const values = fields.get(last.name) as string[];
      values[last.index] += `\n${line.replace(/^ {1,8}\|?/, '')}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0 || !/^[A-Za-z0-9-]+$/.test(line.slice(0, colon))) {
      throw new ValidationError(`${what} has a line that is not a "Field: value" header: ${JSON.stringify(line.slice(0, 60))}.`);
    }
    const name = line.slice(0, colon).toLowerCase();
    const values = fields.get(name) ?? [];
    values.push(line.slice(colon + 1).trim());
    fields.set(name, values);
    last = { name, index: values.length - 1 };
  }
  const body = lines
    .slice(lineIndex + 1)
    .join('\n')
    .trim();
  const first = (name: string) => {
    const value = fields.get(name)?.[0];
    return value === undefined || value === '' || value === 'UNKNOWN' ? undefined : value;
  };
  const name = first('name');
  const version = first('version');
  if (!name || !isValidProjectName(name)) throw new ValidationError(`${what} has no valid Name field.`);
  if (!version || normalizeVersion(version) === undefined) {
    throw new ValidationError(`${what} has no valid Version field${version ? ` (${JSON.stringify(version.slice(0, 40))} is not a PEP 440 version)` : ''}.`);
  }
  return {
    fields,
    name,
    version,
    summary: first('summary'),
    description: body || first('description'),
    descriptionContentType: first('description-content-type'),
    homePage: first('home-page'),
    license: first('license-expression') ?? first('license'),
    requiresPython: first('requires-python'),
    requiresDist: fields.get('requires-dist') ?? [],
    projectUrls: fields.get('project-url') ?? [],
  };
}

/** A requirement's project name (PEP 508: the name comes first, before extras and specifiers). */
export function requirementName(requirement: string): string | undefined {
  return /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/.exec(requirement)?.[1];
}
