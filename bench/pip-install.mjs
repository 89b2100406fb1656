// pip's row of the per-format table: `pip install --no-cache-dir` of a project of 31 wheels
// (one root, 30 dependencies two levels deep) into a fresh venv, through artifact-cli cold (a
// fresh root whose public:pypi connection points at the static copy), through artifact-cli warm
// (the same server again, the wheels now stored), and from the static copy itself: a PEP 503
// tree with each wheel's PEP 658 metadata file served by nginx, and through the pass-through
// (pass-through.mjs) in front of it, the floor of any proxy. The wheels are generated here, tiny and pure-Python. Median of 3 (ms);
// the server's CPU time per cold package comes from /proc.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { startStaticServer } from './ceiling.mjs';
import { installRounds } from './install-rounds.mjs';

export const name = 'pip-install';
export const description = '`pip install --no-cache-dir` of 31 wheels into a fresh venv, median of 3 (ms)';

const DEPENDENCIES = 30;

function wheel(dir, project, requires) {
  const module = project.replace(/-/g, '_');
  const fileName = `${module}-1.0.0-py3-none-any.whl`;
  const info = `${module}-1.0.0.dist-info`;
  const files = {
    [`${module}/__init__.py`]: `VERSION = "1.0.0"\n`,
    [`${info}/METADATA`]: [
      'Metadata-Version: 2.1',
      `Name: ${project}`,
      'Version: 1.0.0',
      ...requires.map((dependency) => `Requires-Dist: ${dependency}`),
      '',
    ].join('\n'),
    [`${info}/WHEEL`]: 'Wheel-Version: 1.0\nGenerator: artifact-cli-bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n',
  };
  const zip = new AdmZip();
  const record = [];
  for (const [file, text] of Object.entries(files)) {
    const bytes = Buffer.from(text);
    zip.addFile(file, bytes);
    record.push(`${file},sha256=${createHash('sha256').update(bytes).digest('base64url')},${bytes.length}`);
  }
  zip.addFile(`${info}/RECORD`, Buffer.from(`${record.join('\n')}\n${info}/RECORD,,\n`));
  const bytes = zip.toBuffer();
  writeFileSync(path.join(dir, 'files', fileName), bytes);
  // The wheel's METADATA beside it (PEP 658), as the public index offers it for every wheel:
  // without it pip downloads each wheel to resolve, with it pip reads the metadata first.
  const metadata = Buffer.from(files[`${info}/METADATA`]);
  writeFileSync(path.join(dir, 'files', `${fileName}.metadata`), metadata);
  return {
    project,
    fileName,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    metadataSha256: createHash('sha256').update(metadata).digest('hex'),
  };
}

/** The static copy: simple/<project>/index.html per project, files/ beside it. */
export function buildIndex(dir, prefix = 'bp') {
  mkdirSync(path.join(dir, 'files'), { recursive: true });
  const names = Array.from({ length: DEPENDENCIES }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`);
  const wheels = names.map((project, i) => wheel(dir, project, i < 10 ? [names[10 + i], names[20 + i]] : []));
  wheels.push(wheel(dir, `${prefix}-root`, names.slice(0, 10)));
  const links = [];
  for (const built of wheels) {
    const page = path.join(dir, 'simple', built.project);
    mkdirSync(page, { recursive: true });
    writeFileSync(
      path.join(page, 'index.html'),
      `<!DOCTYPE html><html><body><a href="../../files/${built.fileName}#sha256=${built.sha256}" data-core-metadata="sha256=${built.metadataSha256}" data-dist-info-metadata="sha256=${built.metadataSha256}">${built.fileName}</a></body></html>\n`,
    );
    links.push(`<a href="${built.project}/">${built.project}</a>`);
  }
  writeFileSync(path.join(dir, 'simple', 'index.html'), `<!DOCTYPE html><html><body>${links.join('')}</body></html>\n`);
  return wheels.length;
}

/** `onStart` runs once the venv is made, as pip starts: what the server does meanwhile is not the install's. */
export function pipInstall(workDir, indexUrl, label, prefix = 'bp', onStart = () => undefined) {
  const venv = path.join(workDir, `venv-${label.replace(/\W+/g, '-')}-${Date.now()}`);
  const made = spawnSync('python3', ['-m', 'venv', venv], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (made.status !== 0) throw new Error(`python3 -m venv failed: ${made.stderr}`);
  onStart();
  const start = process.hrtime.bigint();
  const result = spawnSync(
    path.join(venv, 'bin', 'pip'),
    ['install', '--no-cache-dir', '--disable-pip-version-check', '--no-input', '--index-url', indexUrl, `${prefix}-root`],
    {
      env: { PATH: process.env.PATH, HOME: workDir, PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring' },
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    },
  );
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`pip install (${label}) exited ${result.status}: ${result.stderr.slice(-2000)}`);
  rmSync(venv, { recursive: true, force: true });
  return ms;
}

export function pythonUsable() {
  return spawnSync('python3', ['-c', 'import venv, ensurepip'], { stdio: 'ignore' }).status === 0;
}

export async function run(context) {
  if (!pythonUsable()) return { rows: [], checks: [], notes: ['python3 with venv is not installed: the pip row is skipped'] };
  const workDir = path.join(context.workDir, 'pip-install');
  const tree = path.join(workDir, 'index');
  const packages = buildIndex(tree);
  const staticCopy = await startStaticServer({ root: tree, workDir: context.workDir, types: { '/simple/': 'text/html' } });
  return installRounds(context, {
    format: 'pypi',
    label: 'pip',
    staticCopy,
    workDir,
    connection: 'public:pypi',
    standinPath: '/',
    packages,
    extensions: ['.whl'],
    // Counted from pip's start: a fresh server makes its ready files while the venv is made.
    install: ({ label, base, token, onStart }) =>
      pipInstall(workDir, `${token ? base.replace('http://', `http://aws:${token}@`) : base}/simple/`, label, undefined, onStart),
  });
}
