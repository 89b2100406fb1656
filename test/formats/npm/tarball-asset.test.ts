import { describe, expect, it } from 'vitest';
import type { AssetRecord } from '../../../src/core/model.js';
import { genericRules } from '../../../src/formats/generic/rules.js';
import { npmRules } from '../../../src/formats/npm/rules.js';
import { NPM_ASSET_NAME, npmTarballAsset } from '../../../src/formats/npm/tarball-asset.js';

const asset = (name: string): AssetRecord => ({ name, size: 1, hashes: { 'SHA-256': name.length.toString(16).padStart(64, '0') } });

describe('npm asset names', () => {
  const current = [asset('package.tgz')];
  const legacy = [asset('util-1.0.0.tgz')];
  const find = (assets: AssetRecord[], requested: string) => npmRules.findAsset('util', { version: '1.0.0', assets }, requested);

  it('finds the tarball by package.tgz and by its file name, in old and new records', () => {
    expect(find(current, 'package.tgz')).toBe(current[0]);
    expect(find(current, 'util-1.0.0.tgz')).toBe(current[0]);
    expect(find(legacy, 'package.tgz')).toBe(legacy[0]);
    expect(find(legacy, 'util-1.0.0.tgz')).toBe(legacy[0]);
    expect(npmTarballAsset(legacy)).toBe(legacy[0]);
  });

  it('finds nothing for another name', () => {
    expect(find(current, 'other-1.0.0.tgz')).toBeUndefined();
    expect(find(legacy, 'util-2.0.0.tgz')).toBeUndefined();
    expect(find(legacy, 'package.json')).toBeUndefined();
  });

  it("shows an old record's tarball as package.tgz and leaves the stored record alone", () => {
    expect(npmRules.presentAssets(legacy).map((item) => item.name)).toEqual([NPM_ASSET_NAME]);
    expect(legacy[0].name).toBe('util-1.0.0.tgz');
  });

  it('gives other formats no alias: a generic asset called package.tgz is only itself', () => {
    const generic = [asset('tool-1.0.tgz')];
    expect(genericRules.findAsset('tool', { version: '1.0', assets: generic }, 'package.tgz')).toBeUndefined();
    expect(genericRules.presentAssets(generic)).toEqual(generic);
  });
});
