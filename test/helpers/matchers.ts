/**
 * vitest's asymmetric matchers, typed as `unknown` instead of the `any` vitest gives them, so an
 * expected object that holds one does not pass `any` around (no-unsafe-assignment).
 */
import { expect } from 'vitest';

export const anyValue = (constructor: unknown): unknown => expect.any(constructor);
export const stringContaining = (text: string): unknown => expect.stringContaining(text);
export const stringMatching = (pattern: string | RegExp): unknown => expect.stringMatching(pattern);
export const objectContaining = (object: Record<string, unknown>): unknown => expect.objectContaining(object);
