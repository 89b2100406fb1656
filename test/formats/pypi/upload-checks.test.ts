/** The digest check on its own: a digest the form sent is refused unless the server computed that same digest. */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import { checkUpload } from '../../../src/formats/pypi/upload-checks.js';
import type { UploadForm } from '../../../src/formats/pypi/upload-form.js';
import { buildWheel } from '../../helpers/pypi-dist.js';
import { twineFields } from '../../helpers/pypi-upload.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

function formFor(blake2Computed: boolean): UploadForm {
  const wheel = buildWheel({ name: 'pkg', version: '1.0' });
  const tempPath = path.join(makeTempDir('pypi-checks-'), 'staged');
  writeFileSync(tempPath, wheel.bytes);
  const sent = twineFields(wheel, 'pkg', '1.0');
  const fields = new Map(Object.entries(sent).map(([name, value]) => [name, [String(value)]]));
  return {
    fields,
    file: {
      fileName: wheel.fileName,
      tempPath,
      size: wheel.bytes.length,
      sha256: wheel.sha256,
      md5: createHash('md5').update(wheel.bytes).digest('hex'),
      blake2_256: blake2Computed ? (sent.blake2_256_digest as string) : undefined,
    },
  };
}

describe('checkUpload digests', () => {
  it('passes a form whose three digests the server computed and matched', async () => {
    await expect(checkUpload(formFor(true))).resolves.toMatchObject({ project: 'pkg', version: '1.0' });
  });

  it('refuses a blake2_256_digest the server has no value for, instead of letting it through unchecked', async () => {
    const refused = checkUpload(formFor(false));
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toThrow(/blake2_256_digest sent with the upload does not match/);
  });
});
