/**
 * DELETE /api/v1/gems/yank (`gem yank`): the version becomes Unlisted in this repository, so it
 * leaves the compact index while its files stay downloadable for lockfiles that name it. A
 * version's status covers all its platforms: yanking one platform yanks the version
 * (docs/formats/ruby.md, "Yank").
 */
import { withRevision } from '../../core/revision.js';
import { ResourceNotFoundError, ValidationError } from '../../errors.js';
import { readBody } from '../../server/body.js';
import type { RequestContext } from '../../server/route.js';
import { sendWriteError, sendWriteOk } from './error-response.js';
import { isGemName, isGemPlatform, isGemVersion, RUBY_PLATFORM, versionAndPlatform } from './gem-names.js';
import { gemKey } from './gem-sources.js';

const MAX_FORM_BYTES = 64 * 1024;

export async function handleYank(context: RequestContext): Promise<void> {
  try {
    const form = new URLSearchParams((await readBody(context.req, MAX_FORM_BYTES)).toString('utf8'));
    for (const [key, value] of context.query) if (!form.has(key)) form.set(key, value);
    const name = form.get('gem_name') ?? '';
    const version = form.get('version') ?? '';
    const platform = form.get('platform') || RUBY_PLATFORM;
    if (!isGemName(name) || !isGemVersion(version) || !isGemPlatform(platform)) {
      throw new ValidationError('Yank needs gem_name and version (and optionally platform) with valid values.');
    }
    await context.deps.store.index.updatePackage(gemKey(context, name), (current) => {
      const record = current && Object.hasOwn(current.versions, version) ? current.versions[version] : undefined;
      if (!current || !record || (record.status !== 'Published' && record.status !== 'Unlisted')) {
        throw new ResourceNotFoundError(
          `The version ${versionAndPlatform(version, platform)} of ${name} does not exist in repository ${context.repository.name}.`,
        );
      }
      if (record.status === 'Unlisted') return current;
      const next = structuredClone(current);
      next.versions[version] = withRevision({ ...record, status: 'Unlisted' });
      return next;
    });
    sendWriteOk(context, `Successfully deleted gem: ${name} (${versionAndPlatform(version, platform)})`);
  } catch (error) {
    sendWriteError(context, error);
  }
}
