import { describe, expect, it } from 'vitest';
import type { AssetRecord } from '../../src/core/model.js';
import { findAssetByName, NPM_ASSET_NAME, npmTarballAsset, presentedAssets } from '../../src/core/npm-asset-name.js';

const asset = (name: string): AssetRecord => ({ name, size: 1, hashes: { 'SHA-256': name.length.toString(16).padStart(64, '0') } });

describe('npm asset names', () => {
  const current = [asset('package.tgz')];
  const legacy = [asset('util-1.0.0.tgz')];
  const npmKey = { format: 'npm' as const, name: 'util' };
  const find = (assets: AssetRecord[], requested: string) => findAssetByName(npmKey, { version: '1.0.0', assets }, requested);

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

  it('shows an old record\'s tarball as package.tgz and leaves the stored record alone', () => {
    expect(presentedAssets('npm', legacy).map((item) => item.name)).toEqual([NPM_ASSET_NAME]);
    expect(legacy[0].name).toBe('util-1.0.0.tgz');
  });

  it('gives other formats no alias: a generic asset called package.tgz is only itself', () => {
    const generic = [asset('tool-1.0.tgz')];
    expect(findAssetByName({ format: 'generic', name: 'tool' }, { version: '1.0', assets: generic }, 'package.tgz')).toBeUndefined();
    expect(presentedAssets('generic', generic)).toEqual(generic);
  });
});
