/** A login input shared by the writer tests; each test overrides what it is about. */
import type { LoginInput } from '../../src/login/login-writer.js';

export const TOKEN = 'acat_TESTtoken-123_abc';

export function sampleInput(overrides: Partial<LoginInput> = {}): LoginInput {
  return {
    domain: 'acme',
    repository: 'main',
    endpoint: 'http://127.0.0.1:8573/acme/npm/main/',
    token: TOKEN,
    mirrorAll: true,
    ...overrides,
  };
}
