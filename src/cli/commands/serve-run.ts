/** Runs the server in the foreground until SIGINT or SIGTERM. */
import type { Config } from '../../config/config.js';
import { ValidationError } from '../../errors.js';
import { startServer } from '../../server/serve.js';
import type { Store } from '../../store/store.js';

const QUICKSTART_DOMAIN = 'local';
const QUICKSTART_REPOSITORY = 'default';

export async function runServer(config: Config, store: Store, quickstart: boolean): Promise<void> {
  if (!Number.isInteger(config.server.port) || config.server.port < 0 || config.server.port > 65535) {
    throw new ValidationError(`--port must be a whole number from 0 to 65535; got ${config.server.port}.`);
  }
  if (quickstart && (await store.index.listDomains()).length === 0) {
    const { createDomain } = await import('../../operations/domains.js');
    const { createRepository } = await import('../../operations/repositories.js');
    await createDomain(store, { domain: QUICKSTART_DOMAIN });
    await createRepository(store, { domain: QUICKSTART_DOMAIN, repository: QUICKSTART_REPOSITORY, description: 'Created on first start' });
  }
  const running = await startServer({ store, config });
  const publicUrl = config.server.publicUrl?.replace(/\/$/, '') ?? running.url;
  process.stdout.write(`artifact-cli serving ${store.root} at ${publicUrl}\n`);
  for (const domain of await store.index.listDomains()) {
    for (const repository of await store.index.listRepositories(domain)) {
      process.stdout.write(`  ${domain}/${repository}: ${publicUrl}/${domain}/npm/${repository}/ (npm; also /pypi/, /maven/, /nuget/, /cargo/)\n`);
    }
  }
  const [firstDomain] = await store.index.listDomains();
  if (firstDomain) {
    const [firstRepository] = await store.index.listRepositories(firstDomain);
    if (firstRepository) {
      process.stdout.write(`Configure npm with:\n  npx artifact-cli login --tool npm --domain ${firstDomain} --repository ${firstRepository} --endpoint-url ${publicUrl}\n`);
    }
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stdout.write(`${signal} received: finishing in-flight requests\n`);
      void running.close().then(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
