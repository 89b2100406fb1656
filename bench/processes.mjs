// Child processes of the benchmark: every server started here is tracked and killed when the run
// ends, however it ends (normal exit, an exception, Ctrl-C), so no server outlives the bench.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const running = new Set();

function killAll() {
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
}

process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

/** A port free on 127.0.0.1 right now (the OS picks it). */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts a server process with its output going to a log file, not a pipe: a server that logs
 * a line per request must never stall on a full pipe, and reading 100,000 lines in this
 * process would take CPU from the measurement on a 2-core machine.
 */
export function startProcess(command, args, { cwd, env, logFile }) {
  mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'a');
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', fd, fd], detached: false });
  closeSync(fd);
  running.add(child);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  return {
    child,
    pid: child.pid,
    logFile,
    exited,
    log: () => readFileSync(logFile, 'utf8'),
    /** Peak resident memory so far, in MB (Linux VmHWM); undefined elsewhere. */
    peakRssMb: () => peakRssMb(child.pid),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
        if (!done) child.kill('SIGKILL');
      }
      await exited;
      running.delete(child);
    },
  };
}

/** User plus system CPU time of a process so far, in ms (Linux: /proc, in clock ticks of 10 ms). */
export function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/**
 * The process's CPU time in ms, all threads, in nanoseconds from schedstat: finer than cpuMs's
 * 10 ms ticks, for profiles that time a few dozen requests.
 */
export function cpuMsAllThreads(pid) {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return ns / 1e6;
}

/**
 * Resolves once the process has used no CPU for half a second (at most 10 s). A fresh
 * artifact-cli server (and one just after a burst of writes) makes the empty files it will
 * write into (src/store/temp-file-pool.ts), 200-300 ms of CPU; every install row waits for
 * that before its cold and its warm install, so "cold" measures misses, not start-up.
 */
export async function untilIdle(pid) {
  const deadline = Date.now() + 10_000;
  let last = cpuMs(pid);
  let quiet = 0;
  while (quiet < 2 && Date.now() < deadline) {
    await sleep(250);
    const now = cpuMs(pid);
    quiet = now === last ? quiet + 1 : 0;
    last = now;
  }
}

export function peakRssMb(pid) {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Polls until `probe` returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor(what, probe, { timeoutMs = 30_000, process } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (process && process.child.exitCode !== null) throw new Error(`${what}: the process exited early:\n${process.log().slice(-2000)}`);
    await sleep(50);
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms${process ? `:\n${process.log().slice(-2000)}` : ''}`);
}

/** Resolves once an HTTP GET of the URL gets any answer. */
export function waitForHttp(url, options) {
  return waitFor(
    `${url} answering`,
    async () => {
      const response = await fetch(url);
      await response.arrayBuffer();
      return response.status;
    },
    options,
  );
}

/** Stops a server started by a benchmark, first noting its peak RSS under its name in context.rss. */
export async function stopServer(context, server) {
  if (!server) return;
  const peak = server.process.peakRssMb();
  if (peak !== undefined) context.rss[server.name] = Math.max(context.rss[server.name] ?? 0, peak);
  // And by workload (run.mjs names the running one), to tell which one set the peak.
  if (peak !== undefined && context.rssByWorkload && context.workload) {
    const byServer = (context.rssByWorkload[context.workload] ??= {});
    byServer[server.name] = Math.max(byServer[server.name] ?? 0, peak);
  }
  await server.process.stop();
}
