/**
 * The pip releases users really have, against `artifact-cli serve` through the JSON Simple API:
 * Debian 12's pip 23.0.1 (what `/usr/bin/python3 -m venv` gives there, and which crashes on a
 * `dist-info-metadata` object in JSON) and the newest pip wheel this machine holds, installed
 * into a Debian venv without the network. Each asks for JSON, gets JSON with `core-metadata`,
 * reads the PEP 658 metadata file and installs a wheel from the stand-in public index.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupPypiClients, type PypiClientsSetup } from '../helpers/pypi-clients.js';
import { findNewestPipWheel, findSystemPython } from '../helpers/system-python.js';

const systemPython = findSystemPython();
let setup: PypiClientsSetup;

describe.skipIf(!systemPython)('pip releases users have, on the JSON Simple API', () => {
  beforeAll(async () => {
    setup = await setupPypiClients();
    setup.index.add({ name: 'meta-dep', version: '1.0', files: { 'meta_dep/__init__.py': 'VERSION = "1.0"\n' } });
  });
  afterAll(() => setup?.index.close());

  /** readsCoreMetadata: pip 23.1 and later read `core-metadata`; 23.0 knows only the old key, so it downloads the wheel. */
  async function installsThroughJson(pip: string, python: string, readsCoreMetadata: boolean): Promise<void> {
    // -vv makes pip log the content type of each index page it fetched.
    const result = await setup.runOk(pip, ['install', '-vv', '--no-deps', 'meta-dep']);
    const output = result.stdout + result.stderr;
    expect(output).toMatch(/Fetched page \S+\/acme\/pypi\/app\/simple\/meta-dep\/ as application\/vnd\.pypi\.simple\.v1\+json/);
    expect(output).not.toMatch(/TypeError/);
    const printed = await setup.runOk(python, ['-c', 'import meta_dep; print(meta_dep.VERSION)']);
    expect(printed.stdout.trim()).toBe('1.0');
    if (readsCoreMetadata)
      expect(setup.server.output()).toMatch(/GET \/acme\/pypi\/app\/simple\/meta-dep\/1\.0\/meta_dep-1\.0-py3-none-any\.whl\.metadata 200/);
  }

  it("Debian's pip 23.0.1 (from /usr/bin/python3 -m venv) installs a wheel that has core metadata", async () => {
    const venv = await setup.makeVenv(systemPython);
    const version = (await setup.runOk(venv.pip, ['--version'])).stdout;
    console.info(`pip under test: ${version.trim()}`);
    await installsThroughJson(venv.pip, venv.python, false);
  });

  it('the newest pip this machine holds installs the same way', async (context) => {
    const wheel = findNewestPipWheel();
    if (!wheel) {
      // CI has only Debian's pip and no network to fetch another, so this is a warning there too.
      console.warn('WARNING: no pip wheel newer than the system pip on this machine: the newest-pip test is skipped.');
      context.skip();
      return;
    }
    const venv = await setup.makeVenv(systemPython);
    await setup.runOk(venv.pip, ['install', '--no-index', '--upgrade', wheel.file]);
    const version = (await setup.runOk(venv.pip, ['--version'])).stdout;
    expect(version).toContain(`pip ${wheel.version} `);
    console.info(`pip under test: ${version.trim()}`);
    await installsThroughJson(venv.pip, venv.python, true);
  });
});
