/** The formats `serve` has routes for, as the commands that point clients at the server see them. */
import type { PackageFormat } from '../core/model.js';
import { ValidationError } from '../errors.js';
import { servedFormatNames } from '../formats/registry.js';

/**
 * Refuses a format the server has no routes for (yet): an endpoint or a public connection for
 * it would only lead clients to 404s. Read from the formats the server mounts, so the refusal
 * ends by itself when a format lands.
 */
export function requireServedFormat(format: PackageFormat, what: string): void {
  const served = servedFormatNames();
  if (served.includes(format)) return;
  throw new ValidationError(`${what} is not supported yet: artifact-cli serve does not serve ${format} packages.`, {
    hint: `The server serves ${served.join(', ')}.`,
  });
}
