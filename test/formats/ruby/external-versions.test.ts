/** Reading the public registry's compact index versions file (src/formats/ruby/external-versions.ts). */
import { describe, expect, it } from 'vitest';
import { parseVersionsFile } from '../../../src/formats/ruby/external-versions.js';

const MD5_A = 'a'.repeat(32);
const MD5_B = 'b'.repeat(32);

describe('parseVersionsFile', () => {
  it('adds up a gem\'s appended lines, applies "-version" removals and keeps the last md5', async () => {
    const text = `created_at: 2026-01-01T00:00:00Z\n---\nrack 1.0.0,2.0.0 ${MD5_A}\nother 0.1.0 ${MD5_A}\nrack 2.1.0,2.1.0-java,-1.0.0 ${MD5_B}\n`;
    expect(await parseVersionsFile(text)).toEqual({
      gems: [
        ['rack', '2.0.0,2.1.0,2.1.0-java', MD5_B],
        ['other', '0.1.0', MD5_A],
      ],
    });
  });

  it('leaves out malformed lines and versions, and gems with no version left', async () => {
    const text = [
      '---',
      `../evil 1.0.0 ${MD5_A}`,
      `short 1.0.0 not-an-md5`,
      `spaces 1.0.0 ${MD5_A} extra`,
      `mixed 1.0.0,x-java,nope!,-,2.0 ${MD5_A}`,
      `gone 1.0.0 ${MD5_A}`,
      `gone -1.0.0 ${MD5_B}`,
      '',
    ].join('\n');
    expect(await parseVersionsFile(text)).toEqual({ gems: [['mixed', '1.0.0,2.0', MD5_A]] });
  });

  it('reads nothing from a body without the --- line', async () => {
    expect(await parseVersionsFile(`rack 1.0.0 ${MD5_A}\n`)).toEqual({ gems: [] });
  });
});
