import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { packageFlags, shellWord } from '../../src/core/command-line.js';

describe('shellWord', () => {
  it.each(['plain', "it's", 'a b', '$HOME', '`x`', 'a"b', '*', ''])('survives a POSIX shell unchanged: %j', (value) => {
    const echoed = spawnSync('sh', ['-c', `printf %s ${shellWord(value)}`], { encoding: 'utf8' });
    expect(echoed.stdout).toBe(value);
  });
});

describe('packageFlags', () => {
  it('names every flag a package command needs, the namespace only when there is one', () => {
    expect(packageFlags({ domain: 'acme', repository: 'main', format: 'npm', namespace: 'acme', name: 'util' })).toBe(
      '--domain acme --repository main --format npm --namespace acme --package util',
    );
    expect(packageFlags({ domain: 'acme', repository: 'main', format: 'pypi', name: 'requests' })).toBe(
      '--domain acme --repository main --format pypi --package requests',
    );
  });
});
