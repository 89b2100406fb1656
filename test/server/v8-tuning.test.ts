/**
 * The server raises V8's interrupt budget when it starts (src/server/serve.ts): a burst of
 * cold misses then spends less CPU optimizing code it runs a few dozen times
 * (docs/performance.md, "Where a cold NuGet restore's time goes").
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('node:v8', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:v8')>();
  return { ...actual, setFlagsFromString: vi.fn() };
});

const { setFlagsFromString } = await import('node:v8');
const { startInProcessServer } = await import('../helpers/in-process-server.js');

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

describe('serve', () => {
  it("sets the interrupt budget to four times V8's default before it listens", async () => {
    const { server } = await startInProcessServer({ tempPrefix: 'artifact-cli-v8-' });
    servers.push(server);
    expect(setFlagsFromString).toHaveBeenCalledWith('--interrupt-budget=270336');
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
  });
});
