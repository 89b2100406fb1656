/** Maintenance: garbage collection, integrity checks and shell completion. */
import { inGroup, lazy, type CommandSpec } from '../command-spec.js';

const handlers = () => import('../commands/maintenance.js');

export const MAINTENANCE_COMMANDS: readonly CommandSpec[] = inGroup('Maintenance', [
  {
    name: 'gc',
    summary: 'Remove blobs that no index references, and stale temp files.',
    examples: ['artifact-cli gc --dry-run', 'artifact-cli gc --grace-seconds 0'],
    options: [['dryRun', 'Only list what would be removed.'], 'graceSeconds'],
    run: lazy(async () => (await handlers()).gc),
  },
  {
    name: 'verify',
    summary: 'Re-hash every blob and check every index; exits 10 when it finds a problem.',
    examples: ['artifact-cli verify'],
    options: [],
    run: lazy(async () => (await handlers()).verify),
  },
  {
    name: 'completion',
    summary: 'Print a shell completion script for bash, zsh or fish (docs/completion.md says where to put it).',
    examples: [
      'artifact-cli completion bash > ~/.local/share/bash-completion/completions/artifact-cli',
      'artifact-cli completion fish > ~/.config/fish/completions/artifact-cli.fish',
    ],
    options: [],
    argument: { name: 'shell', description: 'bash, zsh or fish.' },
    run: lazy(async () => (await import('../commands/completion.js')).completion),
  },
]);
