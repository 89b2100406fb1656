import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { checkNamespace, checkTool, LOGIN_TOOLS, TOOL_LOGINS } from '../../src/login/login-tools.js';

describe('login tools', () => {
  it('accepts each supported tool and refuses others', () => {
    for (const tool of LOGIN_TOOLS) expect(checkTool(tool)).toBe(tool);
    expect(() => checkTool('bower')).toThrow(ValidationError);
  });

  it('points each tool at its format', () => {
    expect(Object.fromEntries(LOGIN_TOOLS.map((tool) => [tool, TOOL_LOGINS[tool].format]))).toEqual({
      npm: 'npm',
      pnpm: 'npm',
      yarn: 'npm',
      pip: 'pypi',
      twine: 'pypi',
      maven: 'maven',
      gradle: 'maven',
      nuget: 'nuget',
      dotnet: 'nuget',
      cargo: 'cargo',
      gem: 'ruby',
      bundler: 'ruby',
      swift: 'swift',
    });
  });

  it("adds the scope's '@' and checks it as aws codeartifact login does", () => {
    expect(checkNamespace('npm', 'acme')).toBe('@acme');
    expect(checkNamespace('yarn', '@my-org.x~')).toBe('@my-org.x~');
    expect(checkNamespace('pip', undefined)).toBeUndefined();
    expect(() => checkNamespace('npm', '@Acme')).toThrow(/not a valid npm scope/);
    expect(() => checkNamespace('npm', '@.x')).toThrow(ValidationError);
    expect(() => checkNamespace('twine', 'acme')).toThrow(/only for npm, pnpm, yarn/);
  });
});
