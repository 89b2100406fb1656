/** Every format the hostile-input test sends its poison to. */
import type { FormatFuzz } from './fuzz-format.js';
import { genericFuzz } from './fuzz-generic.js';
import { mavenFuzz } from './fuzz-maven.js';
import { npmFuzz } from './fuzz-npm.js';
import { nugetFuzz } from './fuzz-nuget.js';
import { pypiFuzz } from './fuzz-pypi.js';
import { rubyFuzz } from './fuzz-ruby.js';

export const FORMAT_FUZZERS: FormatFuzz[] = [npmFuzz, pypiFuzz, nugetFuzz, mavenFuzz, genericFuzz, rubyFuzz];
