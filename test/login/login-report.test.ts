import { describe, expect, it } from 'vitest';
import { describeDuration, formatLoginReport } from '../../src/login/login-report.js';
import type { LoginResult } from '../../src/login/perform-login.js';

const NOW = new Date('2030-01-01T00:00:00.000Z');
const result: LoginResult = {
  tool: 'npm',
  repositoryEndpoint: 'http://127.0.0.1:8573/acme/npm/main/',
  expiration: '2030-01-01T12:00:00.000Z',
  dryRun: false,
  files: [{ path: '/home/u/.npmrc', status: 'updated', backup: '/home/u/.npmrc.bak' }],
};

describe('login report', () => {
  it('says what was written, then the lines aws codeartifact login prints', () => {
    expect(formatLoginReport(result, NOW)).toBe(
      [
        'Updated /home/u/.npmrc (the previous file is kept as /home/u/.npmrc.bak)',
        'Successfully configured npm to use artifact-cli repository http://127.0.0.1:8573/acme/npm/main/',
        'Login expires in 12 hours at 2030-01-01T12:00:00.000Z',
        '',
      ].join('\n'),
    );
  });

  it('on a dry run shows the content and claims no success', () => {
    const text = formatLoginReport({ ...result, dryRun: true, files: [{ path: '/home/u/.npmrc', status: 'created', content: 'registry=x\n' }] }, NOW);
    expect(text).toContain('Would write /home/u/.npmrc:\n\nregistry=x\n');
    expect(text).not.toContain('Successfully');
    expect(text).toContain('Dry run: no file was changed and no token was issued; DRY-RUN-NO-TOKEN-ISSUED stands where login puts a new token.');
    expect(text).toContain('A login now would expire in 12 hours');
  });

  it('describes the real duration', () => {
    expect(describeDuration(43_200_000)).toBe('12 hours');
    expect(describeDuration(3_600_000)).toBe('1 hour');
    expect(describeDuration(900_000 - 200)).toBe('15 minutes');
    expect(describeDuration(5_400_000)).toBe('90 minutes');
  });
});
