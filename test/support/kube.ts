/**
 * kubectl and @kubernetes/client-node against an end-to-end stack: a kubeconfig in a temp dir
 * (bearer token; `insecure-skip-tls-verify`, which client-node needs to accept http://), and a
 * bounded kubectl runner.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Kube {
  dir: string;
  kubeconfig: string;
  cleanup(): void;
}

/** A kubeconfig for `server` with `token`, namespace default. */
export function kubeconfigFor(server: string, token = 'podgate-dev-admin'): Kube {
  const dir = mkdtempSync(join(tmpdir(), 'podgate-kube-'));
  const kubeconfig = join(dir, 'config');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'podgate', cluster: { server, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'dev', user: { token } }],
      contexts: [
        { name: 'podgate', context: { cluster: 'podgate', user: 'dev', namespace: 'default' } },
      ],
      'current-context': 'podgate',
    }),
  );
  return { dir, kubeconfig, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningKubectl {
  child: ChildProcess;
  /** Output so far. */
  stdout(): string;
  /** Resolves when kubectl exits; kills it (and rejects) after `timeoutMs`. */
  done: Promise<KubectlResult>;
}

export interface KubectlOptions {
  input?: string;
  timeoutMs?: number;
  /** Another kubectl binary (1.20). */
  binary?: string;
  /** Variables added to kubectl's environment (e.g. KUBE_EDITOR). */
  env?: Record<string, string>;
}

/** Starts kubectl with the kubeconfig and a private cache dir; `input` goes to its stdin. */
export function startKubectl(
  kube: Kube,
  args: string[],
  options: KubectlOptions = {},
): RunningKubectl {
  const child = spawn(
    options.binary ?? '/usr/bin/kubectl',
    ['--kubeconfig', kube.kubeconfig, '--cache-dir', join(kube.dir, 'cache'), ...args],
    { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdin?.end(options.input ?? '');
  const timeoutMs = options.timeoutMs ?? 20_000;
  const done = new Promise<KubectlResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `kubectl ${args.join(' ')} did not finish in ${timeoutMs} ms:\n${stdout}\n${stderr}`,
        ),
      );
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  return { child, stdout: () => stdout, done };
}

/** Runs kubectl to completion (bounded); `binary` picks another kubectl (1.20). */
export function kubectl(
  kube: Kube,
  args: string[],
  options: KubectlOptions = {},
): Promise<KubectlResult> {
  return startKubectl(kube, args, options).done;
}

/** Polls `condition` every 50 ms until it holds; throws after `timeoutMs`. */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  what: string | (() => string),
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
