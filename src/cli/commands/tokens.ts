/** get-authorization-token and get-repository-endpoint. */
import type { CliContext } from '../context.js';

interface TokenOptions {
  domain?: string;
  durationSeconds?: number;
  principal?: string;
  repository?: string;
  format?: string;
}

export async function getAuthorizationToken(options: TokenOptions, context: CliContext): Promise<unknown> {
  const domain = await context.need(options.domain, '--domain', undefined, (await context.config()).domain);
  const { getAuthorizationToken } = await import('../../operations/tokens.js');
  return getAuthorizationToken(await context.store(), { domain, durationSeconds: options.durationSeconds, principal: options.principal });
}

export async function getRepositoryEndpoint(options: TokenOptions, context: CliContext): Promise<unknown> {
  const config = await context.config();
  const domain = await context.need(options.domain, '--domain', undefined, config.domain);
  const repository = await context.need(options.repository, '--repository', undefined, config.repository);
  const format = await context.need(options.format, '--format');
  const { getRepositoryEndpoint } = await import('../../operations/endpoints.js');
  return getRepositoryEndpoint(await context.store(), config, { domain, repository, format });
}
