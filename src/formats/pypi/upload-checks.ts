/**
 * The checks an upload passes before anything is stored, in the order PyPI makes them: the
 * form says what it is (action, name, version, file), the digests it sent match the bytes, the
 * file name belongs to that project and version, and the core metadata inside the file agrees.
 */
import { normalizePypiName } from './pep503.js';
import { ValidationError } from '../../errors.js';
import { readDistributionMetadata, type DistributionMetadata } from './distribution-metadata.js';
import { canonicalVersion, requireVersion } from './pep440.js';
import { checkUploadFileName, requireProjectName, type DistributionKind } from './project-name.js';
import type { UploadedFile, UploadForm } from './upload-form.js';

export interface CheckedUpload {
  project: string;
  /** PEP 440 normal form of the form's version. */
  version: string;
  kind: DistributionKind;
  file: UploadedFile;
  contents: DistributionMetadata;
}

const HEX = /^[0-9a-f]+$/i;

function field(form: UploadForm, name: string): string | undefined {
  const value = form.fields.get(name)?.[0]?.trim();
  return value ? value : undefined;
}

function requireField(form: UploadForm, name: string): string {
  const value = field(form, name);
  if (value === undefined)
    throw new ValidationError(`The upload form has no ${name} field.`, { hint: 'Upload with twine, which sends every field the upload API needs.' });
  return value;
}

export async function checkUpload(form: UploadForm): Promise<CheckedUpload> {
  const action = requireField(form, ':action');
  if (action !== 'file_upload') throw new ValidationError(`The upload action ${JSON.stringify(action.slice(0, 40))} is not supported; only file_upload is.`);
  const protocol = field(form, 'protocol_version');
  if (protocol !== undefined && protocol !== '1')
    throw new ValidationError(`Upload protocol version ${JSON.stringify(protocol.slice(0, 10))} is not supported; only 1 is.`);
  const project = requireProjectName(requireField(form, 'name'));
  const version = requireVersion(requireField(form, 'version'));
  const file = form.file;
  if (!file) throw new ValidationError('The upload form has no content part with the file.');
  if (file.size === 0) throw new ValidationError(`The uploaded file ${file.fileName} is empty.`);
  checkDigests(form, file);
  const { kind } = checkUploadFileName(file.fileName, { project, version, fileType: field(form, 'filetype') });
  const contents = await readDistributionMetadata(file.tempPath, file.fileName, kind, project);
  const inside = contents.metadata;
  if (normalizePypiName(inside.name) !== project || canonicalVersion(inside.version) !== canonicalVersion(version)) {
    const source = kind === 'wheel' ? 'METADATA' : 'PKG-INFO';
    throw new ValidationError(`The ${source} in ${file.fileName} is for ${inside.name} ${inside.version}, but the upload is for ${project} ${version}.`, {
      hint: 'Rebuild the distribution; its metadata must name the project and version it is uploaded as.',
    });
  }
  // pip installs a wheel only from the .dist-info folder that starts with the project's name.
  if (kind === 'wheel' && !contents.inProjectDistInfo) {
    throw new ValidationError(`${file.fileName} has no .dist-info folder named for ${project}; pip refuses to install such a wheel.`, {
      hint: `Its METADATA belongs in ${project.replace(/-/g, '_')}-${version}.dist-info/; rebuild the wheel.`,
    });
  }
  return { project, version, kind, file, contents };
}

/** Every digest the client sent must match; PyPI also insists on at least one. */
function checkDigests(form: UploadForm, file: UploadedFile): void {
  const sent = { sha256: field(form, 'sha256_digest'), md5: field(form, 'md5_digest'), blake2_256: field(form, 'blake2_256_digest') };
  if (!sent.sha256 && !sent.md5 && !sent.blake2_256) {
    throw new ValidationError('The upload sent no digest of the file; send sha256_digest (twine does).');
  }
  const compare = (name: string, given: string | undefined, actual: string | undefined) => {
    // A digest sent but not computed (undefined) matches nothing: refused, never let through unchecked.
    if (given === undefined) return;
    if (!HEX.test(given) || given.toLowerCase() !== actual) {
      throw new ValidationError(`The ${name} sent with the upload does not match the file ${file.fileName}; it was changed or cut off on the way.`, {
        hint: `The server computed ${actual ?? 'no such digest'}.`,
      });
    }
  };
  compare('sha256_digest', sent.sha256, file.sha256);
  compare('md5_digest', sent.md5, file.md5);
  compare('blake2_256_digest', sent.blake2_256, file.blake2_256);
}
