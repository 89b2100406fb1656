// Verdaccio configured like artifact-cli in the bench: the same stand-in as its uplink, storage
// in a temp dir, 127.0.0.1, every package readable and publishable by authenticated users only,
// a user created through the npm adduser call and its token sent on every request (JWT tokens,
// as Verdaccio's docs recommend: its legacy tokens re-check the bcrypt password on every
// request, which would make it look ten times slower than it is when set up well). Logging is
// Verdaccio's default (one line per request), as artifact-cli logs one line per request too.
// Packages published here (bench-pub-*, bench-huge) are not proxied, as artifact-cli's origin
// controls keep published packages from asking upstream.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, startProcess, waitForHttp } from './processes.mjs';

export const VERDACCIO_USER = 'bench';
const PASSWORD = 'bench-password-1';

export function verdaccioInstalled(benchDir) {
  return existsSync(path.join(benchDir, 'node_modules', 'verdaccio', 'bin', 'verdaccio'));
}

function configText({ storage, htpasswd, standinUrl, port }) {
  const local = ['access: $authenticated', 'publish: $authenticated', 'unpublish: $authenticated'];
  const proxied = [...local, 'proxy: standin'];
  const rule = (pattern, lines) => [`  '${pattern}':`, ...lines.map((line) => `    ${line}`)].join('\n');
  return [
    `storage: ${JSON.stringify(storage)}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(htpasswd)}`,
    '    max_users: 1000',
    'uplinks:',
    '  standin:',
    `    url: ${standinUrl}`,
    'packages:',
    rule('bench-pub-*', local),
    rule('bench-huge', local),
    rule('@*/*', proxied),
    rule('**', proxied),
    'security:',
    '  api:',
    '    jwt:',
    '      sign: { expiresIn: 7d }',
    '      verify: {}',
    'server:',
    '  keepAliveTimeout: 60',
    `listen: 127.0.0.1:${port}`,
    'log: { type: stdout, format: pretty, level: http }',
    '',
  ].join('\n');
}

/** The storage directory a fresh Verdaccio in `dir` will use (to seed packages before start). */
export function verdaccioStorage(dir) {
  return path.join(dir, 'storage');
}

/** Starts Verdaccio with its storage in dir (kept if already there) and gets a token. */
export async function startVerdaccio({ benchDir, dir, standinUrl }) {
  mkdirSync(verdaccioStorage(dir), { recursive: true });
  const port = await freePort();
  const configFile = path.join(dir, 'config.yaml');
  writeFileSync(
    configFile,
    configText({ storage: verdaccioStorage(dir), htpasswd: path.join(dir, 'htpasswd'), standinUrl: standinUrl ?? 'http://127.0.0.1:9/', port }),
  );
  const server = startProcess(process.execPath, [path.join(benchDir, 'node_modules', 'verdaccio', 'bin', 'verdaccio'), '--config', configFile], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir, NODE_ENV: 'production' },
    logFile: path.join(dir, `verdaccio-${port}.log`),
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/-/ping`, { process: server, timeoutMs: 60_000 });
  const token = await userToken(base);
  return { name: 'verdaccio', process: server, base, registry: `${base}/`, token };
}

/** npm adduser's call: creates the user on first use, logs in afterwards; either way a token. */
async function userToken(base) {
  const response = await fetch(`${base}/-/user/org.couchdb.user:${VERDACCIO_USER}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: VERDACCIO_USER, password: PASSWORD, type: 'user', roles: [], date: new Date().toISOString() }),
  });
  const body = await response.json();
  if (!body.token) throw new Error(`Verdaccio gave no token (${response.status}): ${JSON.stringify(body)}`);
  return body.token;
}
