/**
 * The YAML of pnpm-lock.yaml and Yarn 2+'s yarn.lock, read with js-yaml: a 3,000-package pnpm
 * lockfile (730 KB) parses in 30-90 ms where the `yaml` package took 660-900 ms
 * (docs/upstreams.md, sync). Every scalar stays a string (the failsafe schema), so a version
 * such as 1.10 is never read as the number 1.1. Aliases stay shared references and the parsers
 * read only each entry's own fields, so a lockfile full of aliases cannot make them walk more
 * than the file holds.
 */
import { FAILSAFE_SCHEMA, load } from 'js-yaml';
import { ValidationError } from '../../../errors.js';

export function parseLockfileYaml(text: string, file: string): unknown {
  try {
    return load(text, { schema: FAILSAFE_SCHEMA });
  } catch {
    // A nesting too deep for the parser's recursion lands here too (a RangeError).
    throw new ValidationError(`${file} is not valid YAML.`);
  }
}
