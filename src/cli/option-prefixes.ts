/**
 * Long options shortened to any unambiguous prefix (`--repo` for `--repository`), as the AWS
 * CLI's argument parser allows and its own docs write. An exact name always wins; a prefix that
 * fits several options is refused with the candidates named. Commander has no such feature, so
 * the words are rewritten before it parses them.
 */
import type { Command, Option } from 'commander';
import { ValidationError } from '../errors.js';

// Commander adds these to every command without listing them in `options`.
const IMPLICIT = ['--help'];

/**
 * argv with every shortened long option written out in full. Options before the command name
 * are the program's; after it, the command's and the program's. Words after the command are
 * left alone when `program` does not hold the command (only its group is loaded later).
 */
export function expandOptionPrefixes(argv: string[], program: Command): string[] {
  const result = argv.slice(0, 2);
  let options = [...program.options];
  let command: Command | undefined;
  for (let index = 2; index < argv.length; index++) {
    const word = argv[index];
    if (word === '--') {
      result.push(...argv.slice(index));
      break;
    }
    if (!word.startsWith('--') || word === '--') {
      if (!command && !word.startsWith('-')) {
        command = program.commands.find((candidate) => candidate.name() === word || candidate.aliases().includes(word));
        if (!command) {
          result.push(...argv.slice(index));
          break;
        }
        options = [...command.options, ...program.options];
      }
      result.push(word);
      continue;
    }
    const equals = word.indexOf('=');
    const written = equals < 0 ? word : word.slice(0, equals);
    const option = resolve(written, options);
    const name = option?.long ?? written;
    result.push(equals < 0 ? name : `${name}${word.slice(equals)}`);
    // A value that follows its option is the option's, even when it starts with '--', as
    // commander reads it: `--description --repo` describes, it does not name a repository.
    if (option && equals < 0 && (option.required || (option.optional && index + 1 < argv.length && !argv[index + 1].startsWith('-')))) {
      if (index + 1 < argv.length) result.push(argv[++index]);
    }
  }
  return result;
}

function resolve(written: string, options: Option[]): Option | undefined {
  const exact = options.find((option) => option.long === written);
  if (exact || IMPLICIT.includes(written)) return exact;
  const matches = options.filter((option) => option.long?.startsWith(written));
  const implicit = IMPLICIT.filter((name) => name.startsWith(written));
  const names = [...new Set([...matches.map((option) => option.long as string), ...implicit])];
  if (names.length > 1) {
    throw new ValidationError(`Ambiguous option ${written}: it could be ${names.join(', ')}.`, { hint: 'Write more of the option name.' });
  }
  if (implicit.length === 1 && matches.length === 0) return { long: implicit[0] } as Option;
  return matches[0];
}
