/**
 * `cargo owner`: the registry has no per-crate owners; who may publish is decided by tokens,
 * permissions policies and package groups. `--list` gets a fixed answer naming the repository's
 * administrator account, and `--add`/`--remove` are refused with that explanation.
 */
import { ValidationError } from '../../errors.js';
import { sendJson } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { crateKey, decode, requireCrateName } from './crate-name.js';
import { crateKeyIn, crateNotFound } from './crate-sources.js';

export async function handleOwnersList(context: RequestContext, match: RegExpExecArray): Promise<void> {
  const name = crateKey(requireCrateName(decode(match[1])));
  if (!(await context.deps.store.index.getPackage(crateKeyIn(context, name)))) throw crateNotFound(context, name);
  const login = context.repository.administratorAccount;
  sendJson(context.req, context.res, 200, { users: [{ id: 1, login, name: null }] });
}

export function handleOwnersChange(): void {
  throw new ValidationError('This registry has no crate owners to change: who may publish is set with tokens, permissions policies and package groups.', {
    hint: 'See `artifact-cli put-repository-permissions-policy --help`.',
  });
}
