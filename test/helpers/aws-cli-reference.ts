/**
 * The AWS CLI's own Python code as the reference for --query, --output text and --output table:
 * test/fixtures/aws-cli-reference.py runs awscli's formatters and the `jmespath` module it uses
 * on the cases a test sends. Debian's `awscli` package provides both for /usr/bin/python3 (.ci/run
 * installs it); a python3 on PATH that has them will do too. Missing: a loud skip, or under CI a failure.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'aws-cli-reference.py');

export interface ReferenceRequest {
  queries?: { data: unknown; expression: string }[];
  text?: unknown[];
  table?: { title: string; data: unknown; width: number }[];
}

export interface ReferenceAnswer {
  versions: { jmespath: string };
  queries: ({ result: unknown } | { error: string })[];
  text: string[];
  /** null where the AWS CLI itself fails to lay the table out. */
  table: (string | null)[];
}

export function findAwsCliPython(): string | undefined {
  // ARTIFACT_CLI_TEST_AWS_PYTHON picks another one, e.g. a Python with awscli v1 rather than Debian's v2.
  const candidates = process.env.ARTIFACT_CLI_TEST_AWS_PYTHON ? [process.env.ARTIFACT_CLI_TEST_AWS_PYTHON] : ['/usr/bin/python3', 'python3'];
  for (const python of candidates) {
    const found = spawnSync(python, ['-c', 'import jmespath, awscli.formatter, awscli.text'], { stdio: 'ignore', timeout: 60_000 });
    if (found.status === 0) return python;
  }
  const message =
    "no python3 with the awscli module: the comparisons with the AWS CLI's formatters and JMESPath are skipped (.ci/run installs Debian's awscli).";
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`WARNING: ${message}`);
  return undefined;
}

export function askAwsCli(python: string, request: ReferenceRequest): ReferenceAnswer {
  const run = spawnSync(python, [SCRIPT], { input: JSON.stringify(request), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
  if (run.status !== 0) throw new Error(`${python} ${SCRIPT} exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as ReferenceAnswer;
}
