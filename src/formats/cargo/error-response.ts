/**
 * Cargo prints `errors[].detail` of any answer that carries it, whatever the status
 * (docs/formats/cargo.md, "Errors"); the hint goes into the same detail so people see it too.
 */
import type { ArtifactError } from '../../errors.js';
import type { ErrorBody } from '../format.js';

export function renderCargoError(error: ArtifactError): ErrorBody {
  const detail = error.hint ? `${error.message} ${error.hint}` : error.message;
  return { contentType: 'application/json', body: JSON.stringify({ errors: [{ detail }] }) };
}
