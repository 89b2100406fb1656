/** Which paths are API calls: every path of the model, and never a package endpoint, even of a domain named v1. */
import { describe, expect, it } from 'vitest';
import { isApiPath } from '../../src/api/api-path.js';
import { PACKAGE_FORMATS } from '../../src/formats/registry.js';
import { OPERATIONS } from './model-shapes.js';

const formats = new Set<string>(PACKAGE_FORMATS);

describe('isApiPath', () => {
  it('takes every path of the service model, with or without a query', () => {
    for (const operation of Object.values(OPERATIONS)) {
      expect(isApiPath(operation.http.requestUri, formats), operation.name).toBe(true);
      expect(isApiPath(`${operation.http.requestUri}?domain=v1`, formats), operation.name).toBe(true);
    }
  });

  it('leaves the package endpoints of a domain named v1 to the formats', () => {
    expect(formats.size).toBeGreaterThan(0);
    for (const format of formats) {
      expect(isApiPath(`/v1/${format}/repo/some-package`, formats), format).toBe(false);
      expect(isApiPath(`/v1/${format}?x=1`, formats), format).toBe(false);
    }
    expect(isApiPath('/acme/npm/repo/x', formats)).toBe(false);
    expect(isApiPath('/v1', formats)).toBe(false);
  });
});
