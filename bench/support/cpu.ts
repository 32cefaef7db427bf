/**
 * CPU time per request from the operating system: the user and system time of the workerd
 * process that runs the gateway Worker (and its Durable Objects), read from /proc before and
 * after a run of sequential requests, minus that process's idle rate measured just before.
 * workerd under `wrangler dev` reports no per-request CPU, and its inspector sits behind
 * wrangler's proxy; process CPU is the honest alternative. It is an upper bound on the isolate's
 * CPU: it also counts workerd's HTTP parsing, the Durable Object call, SQLite and TLS-free
 * socket work that the Workers platform does not bill.
 */
import { execSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const ticksPerSecond = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;

function processTable(): { pid: number; ppid: number; cmd: string }[] {
  const rows = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      rows.push({ pid: Number(entry), ppid, cmd });
    } catch {
      // the process ended while we looked
    }
  }
  return rows;
}

/**
 * The workerd process that runs the user Worker under the `wrangler dev` process `root`
 * (wrangler starts two: its proxy, listening on the public port, and the Worker's own runtime,
 * listening on an ephemeral `entry=127.0.0.1:0`).
 */
export function workerProcess(root: number): number {
  const table = processTable();
  const descendants = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of table) {
      if (!descendants.has(p.pid) && descendants.has(p.ppid)) {
        descendants.add(p.pid);
        grew = true;
      }
    }
  }
  const worker = table.find(
    (p) =>
      descendants.has(p.pid) && p.cmd.includes('workerd') && p.cmd.includes('entry=127.0.0.1:0 '),
  );
  if (!worker) throw new Error(`no workerd worker process under pid ${root}`);
  return worker.pid;
}

/** utime + stime of `pid`, in ms. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/**
 * CPU µs per request of the process `pid()` names over `requests` sequential calls of `run`,
 * idle rate removed. If the process changed meanwhile (wrangler restarted it), measures again.
 */
export async function cpuPerRequest(
  pid: () => number,
  requests: number,
  run: (i: number) => Promise<void>,
): Promise<{ cpuUs: number; requests: number; idleMsPerS: number }> {
  for (let attempt = 1; ; attempt++) {
    const id = pid();
    try {
      return await cpuOf(id, requests, run);
    } catch (error) {
      if (attempt >= 2 || (error as { code?: string }).code !== 'ENOENT') throw error;
    }
  }
}

async function cpuOf(
  pid: number,
  requests: number,
  run: (i: number) => Promise<void>,
): Promise<{ cpuUs: number; requests: number; idleMsPerS: number }> {
  const idleStart = cpuMs(pid);
  const idleT0 = performance.now();
  await new Promise((r) => setTimeout(r, 1000));
  const idleRate = (cpuMs(pid) - idleStart) / (performance.now() - idleT0);
  const before = cpuMs(pid);
  const t0 = performance.now();
  for (let i = 0; i < requests; i++) await run(i);
  const elapsed = performance.now() - t0;
  const used = cpuMs(pid) - before - idleRate * elapsed;
  return {
    cpuUs: Math.max(0, (used * 1000) / requests),
    requests,
    idleMsPerS: idleRate * 1000,
  };
}
