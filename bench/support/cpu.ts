/**
 * CPU time per request from the operating system: the user and system time of the workerd
 * process that runs one Worker (the bench stack gives each Worker its own process), read from
 * /proc before and after a run of sequential requests, minus that process's idle rate measured
 * just before. It counts everything the process does for the request: the isolate's JavaScript
 * and also workerd's own HTTP, Durable Object and SQLite work — so the pass-through floor
 * Worker is measured the same way, and the difference is podgate's own.
 */
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const ticksPerSecond = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;

/** utime + stime of `pid`, in ms. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/** CPU µs per request of process `pid` over `requests` sequential calls of `run`, idle removed. */
export async function cpuPerRequest(
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
