/**
 * The workerd processes this Node process started (Miniflare starts one per instance), read
 * from /proc: for the soak's memory figures and the benchmarks' CPU time.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface WorkerdProcess {
  pid: number;
  /** Its command line, arguments separated by spaces. */
  cmdline: string;
  /** A `/proc/<pid>/status` field in KiB (e.g. `VmRSS`, `RssAnon`); 0 when absent. */
  kib(field: string): number;
}

/** workerd children of this process, as they are now. */
export function workerdChildren(): WorkerdProcess[] {
  const found: WorkerdProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      if (!/^Name:\s+workerd/m.test(status)) continue;
      if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) !== process.pid) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      found.push({
        pid: Number(entry),
        cmdline,
        kib: (field) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0),
      });
    } catch {
      // the process ended meanwhile
    }
  }
  return found;
}
