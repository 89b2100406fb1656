/**
 * Whether to colour what goes to a stream: never with --no-color or a non-empty NO_COLOR (the
 * no-color.org convention), never on a pipe or file, and on a terminal as deep as it supports.
 * FORCE_COLOR=1..3 forces colour where NO_COLOR and --no-color do not forbid it.
 * chalk's own guess looks at stdout and ignores NO_COLOR, and errors go to stderr.
 */
export type ColorLevel = 0 | 1 | 2 | 3;

export function colorLevel(
  stream: Pick<NodeJS.WriteStream, 'isTTY'> & Partial<Pick<NodeJS.WriteStream, 'getColorDepth'>>,
  env: NodeJS.ProcessEnv = process.env,
  argv: readonly string[] = process.argv,
): ColorLevel {
  if (argv.includes('--no-color')) return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const forced = env.FORCE_COLOR;
  if (forced !== undefined) {
    if (forced === '0' || forced === 'false') return 0;
    const level = forced === '' || forced === 'true' ? 1 : Number.parseInt(forced, 10);
    if (level >= 1 && level <= 3) return level as ColorLevel;
  }
  if (!stream.isTTY || env.TERM === 'dumb') return 0;
  const depth = stream.getColorDepth?.(env) ?? 4;
  return depth >= 24 ? 3 : depth >= 8 ? 2 : depth >= 4 ? 1 : 0;
}
