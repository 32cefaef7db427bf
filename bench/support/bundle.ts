/**
 * Bundle size and start-up CPU of the gateway as it would deploy: `wrangler deploy --dry-run
 * --minify` (gzip measured here with node:zlib) and `wrangler check startup`, which profiles
 * the module's start-up in a local workerd (no account or network needed).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundleWorker } from '../../test/support/build-emulator.ts';
import { root } from './paths.ts';

const wrangler = join(root, 'node_modules/wrangler/bin/wrangler.js');
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_UPDATE_NOTIFIER: '1', CI: 'true' };

export interface BundleFigures {
  /** The minified bundle (the benchmarks' gateway serves this very file). */
  path: string;
  minifiedKiB: number;
  gzipKiB: number;
  /** Active (non-idle) CPU of each `wrangler check startup` run, in ms. */
  startupActiveMs: number[];
  startupMedianMs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor((s.length - 1) / 2)] ?? 0) : 0;
};

export function measureBundle(startupRuns = 5): BundleFigures {
  const path = bundleWorker('bench-gateway', ['--minify']);
  const code = readFileSync(path);
  const startupActiveMs: number[] = [];
  // wrangler check startup writes its profile here; a fresh clone has no bench/.tmp yet.
  mkdirSync(join(root, 'bench/.tmp'), { recursive: true });
  for (let i = 0; i < startupRuns; i++) {
    const out = execFileSync(
      process.execPath,
      [
        wrangler,
        'check',
        'startup',
        '--args=--minify',
        '--outfile',
        join(root, 'bench/.tmp/startup.cpuprofile'),
      ],
      { cwd: root, env, stdio: 'pipe' },
    ).toString();
    const active = /Active: ([\d.]+) ms/.exec(out)?.[1];
    if (!active) throw new Error(`wrangler check startup printed no Active time:\n${out}`);
    startupActiveMs.push(Number(active));
  }
  return {
    path,
    minifiedKiB: code.length / 1024,
    gzipKiB: gzipSync(code).length / 1024,
    startupActiveMs,
    startupMedianMs: median(startupActiveMs),
  };
}
