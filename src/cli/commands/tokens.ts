/** get-authorization-token and get-repository-endpoint. */
import type { Command } from 'commander';
import { action } from '../context.js';

interface TokenOptions {
  domain?: string;
  domainOwner?: string;
  durationSeconds?: string;
  principal?: string;
  repository?: string;
  format?: string;
  endpointType?: string;
}

export function register(program: Command): void {
  program
    .command('get-authorization-token')
    .description('Issue a token for a domain (12 hours unless --duration-seconds says otherwise).')
    .option('--domain <name>', 'The domain the token is for.')
    .option('--domain-owner <account>', 'Accepted for AWS CLI compatibility.')
    .option('--duration-seconds <n>', 'Lifetime: 0 (the default of 43200) or 900 to 43200.')
    .option('--principal <name>', 'Who the token speaks for (default: the local user name).')
    .action(
      action<TokenOptions>(async (options, context) => {
        const domain = await context.need(options.domain, '--domain', undefined, (await context.config()).domain);
        const { getAuthorizationToken } = await import('../../operations/tokens.js');
        return getAuthorizationToken(await context.store(), {
          domain,
          durationSeconds: options.durationSeconds === undefined ? undefined : Number(options.durationSeconds),
          principal: options.principal,
        });
      }),
    );

  program
    .command('get-repository-endpoint')
    .description('Print the URL a package manager uses for a repository.')
    .option('--domain <name>', 'The domain.')
    .option('--domain-owner <account>', 'Accepted for AWS CLI compatibility.')
    .option('--repository <name>', 'The repository.')
    .option('--format <format>', 'npm, pypi, maven, nuget, generic, ...')
    .option('--endpoint-type <type>', 'Accepted for AWS CLI compatibility (ipv4 or dualstack); both give the same URL.')
    .action(
      action<TokenOptions>(async (options, context) => {
        const config = await context.config();
        const domain = await context.need(options.domain, '--domain', undefined, config.domain);
        const repository = await context.need(options.repository, '--repository', undefined, config.repository);
        const format = await context.need(options.format, '--format');
        const { getRepositoryEndpoint } = await import('../../operations/endpoints.js');
        return getRepositoryEndpoint(await context.store(), config, { domain, repository, format });
      }),
    );
}
