/**
 * `aws codeartifact login --tool twine` and `--tool pip` against `serve`, then a real twine
 * upload and a real pip install with nothing but what the AWS CLI configured.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findAwsClients, runAws } from '../helpers/aws-clients.js';
import type { AccessKey } from '../helpers/aws-sign.js';
import { findPythonClients } from '../helpers/pypi-clients.js';
import { buildWheel } from '../helpers/pypi-dist.js';
import { runCliJson } from '../helpers/run-cli.js';
import { runClient } from '../helpers/run-client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const clients = findAwsClients();
const python = findPythonClients();

let root: string;
let server: TestServer;
let key: AccessKey;

beforeAll(async () => {
  root = makeTempDir('artifact-cli-api-python-');
  key = (await runCliJson<{ AccessKey: AccessKey }>(['create-access-key', '--principal', 'py'], { root })).AccessKey;
  await runCliJson(['create-domain', '--domain', 'pyteam'], { root });
  server = await startTestServer({ root });
});

describe.runIf(python.python && python.twine && clients.length > 0).each(clients)('$label', (client) => {
  it('logs twine and pip in, then twine uploads and pip installs', async () => {
    const repository = `wheels-${client.major}`;
    await runCliJson(['create-repository', '--domain', 'pyteam', '--repository', repository], { root });
    const home = makeTempDir('artifact-cli-api-python-home-');
    const venv = path.join(home, 'venv');
    const env: NodeJS.ProcessEnv = {
      PATH: `${path.join(venv, 'bin')}${path.delimiter}${process.env.PATH}`,
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      PIP_CACHE_DIR: path.join(home, 'pip-cache'),
      PIP_DISABLE_PIP_VERSION_CHECK: '1',
      PIP_NO_INPUT: '1',
      PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring',
      COLUMNS: '300',
    };
    const made = await runClient('python3', ['-m', 'venv', venv], home, env);
    expect(made.code, made.stderr).toBe(0);
    const run = {
      client,
      home,
      env: { PATH: env.PATH, XDG_CONFIG_HOME: env.XDG_CONFIG_HOME, AWS_ACCESS_KEY_ID: key.AccessKeyId, AWS_SECRET_ACCESS_KEY: key.SecretAccessKey },
    };
    const target = ['--domain', 'pyteam', '--repository', repository, '--endpoint-url', server.url];

    const twineLogin = await runAws(run, ['codeartifact', 'login', '--tool', 'twine', ...target]);
    expect(twineLogin.code, twineLogin.stderr).toBe(0);
    const name = `api-wheel-${client.major}`;
    const wheel = buildWheel({ name, version: '1.0.0' });
    const dist = path.join(home, 'dist');
    mkdirSync(dist);
    writeFileSync(path.join(dist, wheel.fileName), wheel.bytes);
    const uploaded = await runClient('twine', ['upload', '--repository', 'codeartifact', '--non-interactive', path.join(dist, wheel.fileName)], home, env);
    expect(uploaded.code, `${uploaded.stdout}\n${uploaded.stderr}`).toBe(0);

    const pipLogin = await runAws(run, ['codeartifact', 'login', '--tool', 'pip', ...target]);
    expect(pipLogin.code, pipLogin.stderr).toBe(0);
    const installed = await runClient(path.join(venv, 'bin', 'pip'), ['install', `${name}==1.0.0`], home, env);
    expect(installed.code, `${installed.stdout}\n${installed.stderr}`).toBe(0);
    const imported = await runClient(path.join(venv, 'bin', 'python'), ['-c', `import ${name.replace(/-/g, '_')} as m; print(m.VERSION)`], home, env);
    expect(imported.stdout.trim()).toBe('1.0.0');
  }, 300_000);
});
