/**
 * The Maven 2 repository layout for mvn and Gradle (docs/protocols/maven.md):
 * GET/HEAD/PUT of files, checksum sidecars computed from stored digests, and maven-metadata.xml
 * generated from stored versions. Errors are plain text, and their message also becomes the
 * HTTP reason phrase, because Maven prints the status line of a failed transfer, not its body.
 */
import { STATUS_CODES } from 'node:http';
import { ArtifactError } from '../../errors.js';
import type { RequestContext, Route } from '../../server/route.js';
import type { Format } from '../format.js';
import { receiveChecksum } from './checksum-upload.js';
import { serveFile } from './download.js';
import { parseMavenPath } from './maven-path.js';
import { receiveMetadata } from './metadata-upload.js';
import { serveMetadata } from './metadata-view.js';
import { receiveFile } from './upload.js';
import { refuseDeclaredOversize } from './upload-body.js';

const MAX_REASON_LENGTH = 300;

async function read(context: RequestContext): Promise<void> {
  const path = parseMavenPath(context.rawPath, false);
  if (path.kind === 'file') await serveFile(context, path.file, path.checksum);
  else await serveMetadata(context, path.dirs, path.checksum);
}

async function write(context: RequestContext): Promise<void> {
  const path = parseMavenPath(context.rawPath, true);
  if (path.checksum) await receiveChecksum(context, path, path.checksum);
  else if (path.kind === 'file') await receiveFile(context, path.file);
  else await receiveMetadata(context, path.dirs);
}

/** Puts the error's message into the reason phrase the shared error response will use. */
function withReasonPhrase(handle: (context: RequestContext) => Promise<void>): Route['handle'] {
  return async (context) => {
    try {
      await handle(context);
    } catch (error) {
      if (error instanceof ArtifactError && !context.res.headersSent) context.res.statusMessage = reasonPhrase(error);
      throw error;
    }
  };
}

function reasonPhrase(error: ArtifactError): string {
  // A status line carries printable ASCII only.
  const text = `${STATUS_CODES[error.httpStatus] ?? 'Error'}: ${error.message}`.replace(/[^\x20-\x7e]/g, '?');
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 3)}...` : text;
}

export const mavenFormat: Format = {
  name: 'maven',
  storeFailureInReasonPhrase: true,
  routes: () => [
    { method: 'GET', path: /^.+$/s, access: 'read', handle: withReasonPhrase(read) },
    // Uploading maven-metadata.xml (and its checksums) is what CodeArtifact's PutPackageMetadata covers.
    {
      method: 'PUT',
      path: /^.*\/maven-metadata\.xml(\.(md5|sha1|sha256|sha512))?$/s,
      access: 'write',
      action: 'codeartifact:PutPackageMetadata',
      handle: withReasonPhrase(write),
    },
    { method: 'PUT', path: /^.+$/s, access: 'write', refuseDeclaredLength: refuseDeclaredOversize, handle: withReasonPhrase(write) },
  ],
  renderError: (error: ArtifactError) => ({
    contentType: 'text/plain; charset=utf-8',
    body: `${error.message}${error.hint ? `\n${error.hint}` : ''}\n`,
  }),
};
