/**
 * Every command of the CLI, in the order of its groups: the one table that main.ts registers,
 * help and shell completion list, and scripts/generate-command-docs.mjs writes into the docs.
 * A new command is an entry in its group's file under command-specs/ and a handler it loads.
 */
import { COMMAND_GROUPS, type CommandSpec } from './command-spec.js';
import { DOMAIN_COMMANDS } from './command-specs/domains.js';
import { LOCAL_SERVER_COMMANDS } from './command-specs/local-server.js';
import { MAINTENANCE_COMMANDS } from './command-specs/maintenance.js';
import { PACKAGE_GROUP_COMMANDS } from './command-specs/package-groups.js';
import { PACKAGE_COMMANDS } from './command-specs/packages.js';
import { POLICY_COMMANDS } from './command-specs/policies.js';
import { REPOSITORY_COMMANDS } from './command-specs/repositories.js';
import { TOKEN_COMMANDS } from './command-specs/tokens.js';

export const COMMANDS: readonly CommandSpec[] = [
  ...DOMAIN_COMMANDS,
  ...REPOSITORY_COMMANDS,
  ...PACKAGE_COMMANDS,
  ...PACKAGE_GROUP_COMMANDS,
  ...POLICY_COMMANDS,
  ...TOKEN_COMMANDS,
  ...LOCAL_SERVER_COMMANDS,
  ...MAINTENANCE_COMMANDS,
].sort((a, b) => COMMAND_GROUPS.indexOf(a.group) - COMMAND_GROUPS.indexOf(b.group));

/** The command a word names (its name or an alias), if any. */
export function findCommand(word: string): CommandSpec | undefined {
  return COMMANDS.find((spec) => spec.name === word || spec.aliases?.includes(word));
}
