/**
 * The completion scripts `artifact-cli completion bash|zsh|fish` prints, written from the
 * completion model: commands, their options, and the values of options with a fixed list.
 * docs/completion.md says where each script goes.
 */
import { valueFlags, type CompletionModel, type CompletionOption } from './completion-model.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export function completionScript(shell: Shell, model: CompletionModel): string {
  if (shell === 'bash') return bashScript(model);
  if (shell === 'zsh') return zshScript(model);
  return fishScript(model);
}

/** A word in single quotes, for any of the three shells. */
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function fishQuote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function flags(options: readonly CompletionOption[]): string {
  return options.map((option) => option.flag).join(' ');
}

function bashScript(model: CompletionModel): string {
  const globalsWithValue = model.globals.filter((option) => option.takesValue).map((option) => option.flag);
  const values = valueFlags(model).map((option) => {
    if (option.choices) return `    ${option.flag}) COMPREPLY=($(compgen -W ${quote(option.choices.join(' '))} -- "$cur")); return ;;`;
    if (option.file) return `    ${option.flag}) COMPREPLY=($(compgen -f -- "$cur")); return ;;`;
    return `    ${option.flag}) COMPREPLY=(); return ;;`;
  });
  const perCommand = model.commands.map((command) => `    ${command.names.join('|')}) options+=${quote(` ${flags(command.options)}`)} ;;`);
  return `# bash completion for artifact-cli, printed by \`artifact-cli completion bash\` (docs/completion.md).
_artifact_cli() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} command= i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case \${COMP_WORDS[i]} in
      ${globalsWithValue.join('|')}) ((i++)) ;;
      -*) ;;
      *) command=\${COMP_WORDS[i]}; break ;;
    esac
  done
  case $prev in
${values.join('\n')}
  esac
  local options=${quote(flags(model.globals))}
  case $command in
    '')
      if [[ $cur != -* ]]; then COMPREPLY=($(compgen -W ${quote(model.commands.flatMap((command) => command.names).join(' '))} -- "$cur")); return; fi ;;
${perCommand.join('\n')}
  esac
  COMPREPLY=($(compgen -W "$options" -- "$cur"))
}
complete -F _artifact_cli artifact-cli
`;
}

/** An _arguments spec: --flag[help]:value:(choices) with the help's brackets and colons escaped. */
function zshSpec(option: CompletionOption): string {
  const help = option.description.replace(/[[\]:\\]/g, (char) => `\\${char}`);
  if (!option.takesValue) return quote(`${option.flag}[${help}]`);
  const action = option.choices ? `(${option.choices.join(' ')})` : option.file ? '_files' : ' ';
  return quote(`${option.flag}[${help}]:value:${action}`);
}

function zshScript(model: CompletionModel): string {
  const described = model.commands.flatMap((command) => command.names.map((name) => quote(`${name}:${command.summary.replace(/:/g, '\\:')}`)));
  const perCommand = model.commands.map(
    (command) => `    ${command.names.join('|')})\n      _arguments -s ${[...command.options, ...model.globals].map(zshSpec).join(' ')} ;;`,
  );
  const globalsWithValue = model.globals.filter((option) => option.takesValue).map((option) => option.flag);
  return `#compdef artifact-cli
# zsh completion for artifact-cli, printed by \`artifact-cli completion zsh\` (docs/completion.md).
_artifact_cli() {
  local -a commands
  commands=(
    ${described.join('\n    ')}
  )
  local command= i
  for ((i = 2; i < CURRENT; i++)); do
    case \${words[i]} in
      ${globalsWithValue.join('|')}) ((i++)) ;;
      -*) ;;
      *) command=\${words[i]}; break ;;
    esac
  done
  if [[ -z $command ]]; then
    if [[ \${words[CURRENT]} == -* ]]; then
      _arguments -s ${model.globals.map(zshSpec).join(' ')}
    else
      _describe -t commands 'artifact-cli command' commands
    fi
    return
  fi
  case $command in
${perCommand.join('\n')}
  esac
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _artifact_cli "$@"
else
  compdef _artifact_cli artifact-cli
fi
`;
}

function fishOption(condition: string, option: CompletionOption): string {
  const parts = ['complete -c artifact-cli', `-n ${fishQuote(condition)}`, `-l ${option.flag.slice(2)}`];
  if (option.choices) parts.push(`-x -a ${fishQuote(option.choices.join(' '))}`);
  else if (option.file) parts.push('-r -F');
  else if (option.takesValue) parts.push('-x');
  parts.push(`-d ${fishQuote(option.description)}`);
  return parts.join(' ');
}

function fishScript(model: CompletionModel): string {
  const allNames = model.commands.flatMap((command) => command.names).join(' ');
  const lines = [
    '# fish completion for artifact-cli, printed by `artifact-cli completion fish` (docs/completion.md).',
    'complete -c artifact-cli -f',
    ...model.globals.map((option) => fishOption('true', option)),
    ...model.commands.flatMap((command) => [
      ...command.names.map(
        (name) => `complete -c artifact-cli -n ${fishQuote(`not __fish_seen_subcommand_from ${allNames}`)} -a ${name} -d ${fishQuote(command.summary)}`,
      ),
      ...command.options.map((option) => fishOption(`__fish_seen_subcommand_from ${command.names.join(' ')}`, option)),
    ]),
  ];
  return `${lines.join('\n')}\n`;
}
