/**
 * Commander's usage errors in the shape of every other failure (README, "Exit codes"): one
 * `error Validation: …` line, then a `hint:` line, instead of `error: …` and bracketed notes.
 */
export function usageErrorText(text: string): string {
  const [first = '', ...rest] = text.trimEnd().split('\n');
  const message = first.replace(/^error: /, '');
  const sentence = `${message.charAt(0).toUpperCase()}${message.slice(1)}${/[.?!]$/.test(message) ? '' : '.'}`;
  // Commander adds "(Did you mean --domain?)" when a name is close to one it knows.
  const suggestion = rest.map((line) => /^\((Did you mean .*)\)$/.exec(line.trim())?.[1]).find((found) => found !== undefined);
  const others = rest.filter((line) => !/^\(Did you mean .*\)$/.test(line.trim()));
  const help = message.startsWith('unknown command') ? '`artifact-cli --help` lists the commands.' : 'Run with --help for the options and examples.';
  const hint = suggestion ? `${suggestion} ${help}` : help;
  return [`error Validation: ${sentence}`, ...others, `hint: ${hint}`, ''].join('\n');
}
