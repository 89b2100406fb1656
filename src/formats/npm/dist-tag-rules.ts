/** What a dist-tag name may be (npm's rules plus what keeps it harmless as a JSON key). */
import semver from 'semver';
import { ValidationError } from '../../errors.js';

const TAG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function checkTagName(tag: string): string {
  if (!TAG_PATTERN.test(tag)) {
    throw new ValidationError(
      `The dist-tag ${JSON.stringify(tag.slice(0, 100))} is not valid: use up to 100 letters, digits, '.', '_' and '-', starting with a letter or digit.`,
    );
  }
  // npm refuses these too: `npm install pkg@1.x` must mean the range, never a tag.
  if (semver.validRange(tag) !== null) {
    throw new ValidationError(`The dist-tag ${JSON.stringify(tag)} is also a semver range, so it cannot be a tag.`, {
      hint: 'Pick a name such as "beta" or "next".',
    });
  }
  return tag;
}

// Real packages have a few dozen tags at most. Every packument carries them all, so without a
// bound one publish of 200,000 tags made each install of the package download 3.5 MB.
export const MAX_DIST_TAGS = 1000;

/** Refuses a change that would leave a package with more than MAX_DIST_TAGS tags. */
export function checkTagCount(tags: Record<string, string>): void {
  const count = Object.keys(tags).length;
  if (count > MAX_DIST_TAGS) {
    throw new ValidationError(`A package may have at most ${MAX_DIST_TAGS} dist-tags; this change would leave it with ${count}.`, {
      hint: 'Remove tags that are no longer used with `npm dist-tag rm`.',
    });
  }
}
