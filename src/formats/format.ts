/** The shape every format folder exports, so the server and CLI treat all formats alike. */
import type { PackageFormat } from '../core/model.js';
import type { ArtifactError } from '../errors.js';
import type { Route } from '../server/route.js';

export interface ErrorBody {
  contentType: string;
  body: string;
  /** Headers every error of the format carries, the door's refusals too (SwiftPM's Content-Version). */
  headers?: Record<string, string>;
}

export interface Format {
  readonly name: PackageFormat;
  /** Routes mounted under /<domain>/<format>/<repo>/. */
  routes(): Route[];
  /** The error envelope this format's clients show to people. */
  renderError(error: ArtifactError): ErrorBody;
  /**
   * Its clients print the status line's reason phrase, not the body (pip, Maven, NuGet): the
   * words of a store failure go there too. (Errors of its own routes may set one themselves.)
   */
  readonly storeFailureInReasonPhrase?: boolean;
}
