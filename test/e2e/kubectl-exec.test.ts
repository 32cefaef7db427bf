/**
 * kubectl exec, attach, logs -f, and what JD Cloud cannot do (debug, port-forward), against
 * podgate (gateway + emulator under wrangler dev, behind the TLS front kubectl needs for bearer
 * tokens). Also client-node's Exec. The emulator runs the commands (src/emulator/exec-programs.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Exec, KubeConfig, type V1Status } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack';
import { eventually, type Kube, kubeconfigFor, kubectl, startKubectl } from '../support/kube';
import { startTlsFront, type TlsFront } from '../support/kube-tls';

let stack: Stack;
let kube: Kube;
let viewer: Kube;
let tls: TlsFront;
const HOUR = 3_600_000;

const manifest = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.25
    env:
    - name: GREETING
      value: hello
`;

beforeAll(async () => {
  stack = await startStack();
  tls = await startTlsFront(stack.gateway);
  kube = kubeconfigFor(tls.url);
  viewer = kubeconfigFor(tls.url, 'podgate-dev-viewer');
  const created = await kubectl(kube, ['create', '-f', '-'], { input: manifest });
  expect(created.stdout).toBe('pod/web created\n');
  await stack.advance(HOUR);
  await eventually(async () => {
    const r = await kubectl(kube, ['get', 'pod', 'web', '-o', 'jsonpath={.status.phase}']);
    return r.stdout === 'Running';
  }, 'web Running');
}, 90_000);
afterAll(async () => {
  kube?.cleanup();
  viewer?.cleanup();
  await tls?.stop();
  await stack?.stop();
});

const liveStreams = async () =>
  ((await (await fetch(`${stack.emulator}/__emulator/streams`)).json()) as { streams: unknown[] })
    .streams.length;

describe('kubectl exec', () => {
  it('prints what the command prints', async () => {
    const r = await kubectl(kube, ['exec', 'web', '--', 'echo', 'hi']);
    expect(r).toMatchObject({ code: 0, stdout: 'hi\n', stderr: '' });
  });

  it('feeds stdin with -i, and ends it when the pipe ends', async () => {
    const r = await kubectl(kube, ['exec', '-i', 'web', '--', 'cat'], { input: 'x\n' });
    expect(r).toMatchObject({ code: 0, stdout: 'x\n' });
  });

  it("exits with the command's exit code", async () => {
    const r = await kubectl(kube, ['exec', 'web', '--', 'sh', '-c', 'echo bad >&2; exit 3']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('bad\n');
    expect(r.stderr).toContain('command terminated with exit code 3');
  });

  it("sees the container's environment and hostname", async () => {
    const env = await kubectl(kube, ['exec', 'web', '--', 'env']);
    expect(env.stdout).toContain('GREETING=hello\n');
    const host = await kubectl(kube, ['exec', 'web', '--', 'hostname']);
    expect(host.stdout).toMatch(/^\S+\n$/);
  });

  it('runs an interactive shell with -it through a pseudo-terminal', async () => {
    const command = [
      '/usr/bin/kubectl',
      '--kubeconfig',
      kube.kubeconfig,
      '--cache-dir',
      join(kube.dir, 'cache'),
      'exec',
      '-it',
      'web',
      '--',
      'sh',
    ].join(' ');
    // script(1) gives kubectl a pty; -e returns kubectl's exit code.
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out = collect(child);
    await eventually(
      () => out().includes('/ # '),
      () => `the prompt, got ${JSON.stringify(out())}`,
    );
    child.stdin?.write('echo typed-$((1))\r');
    child.stdin?.write('stty size\r');
    await eventually(
      () => /\d+ \d+\r\n/.test(out()),
      () => `stty size, got ${JSON.stringify(out())}`,
    );
    child.stdin?.write('exit 5\r');
    const code = await exited(child);
    expect(out()).toContain('echo typed-$((1))\r\n');
    expect(code).toBe(5);
  });

  it("refuses a viewer in the apiserver's words", async () => {
    const r = await kubectl(viewer, ['exec', 'web', '--', 'echo', 'hi']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'Error from server (Forbidden): pods "web" is forbidden: User "dev-viewer" cannot create resource "pods/exec" in API group "" in the namespace "default"',
    );
  });
});

describe('kubectl attach', () => {
  it('shows the output as the container writes it, and lets go when kubectl leaves', async () => {
    const run = startKubectl(kube, ['attach', 'web'], { timeoutMs: 30_000 });
    await eventually(() => / app: line \d+\n/.test(run.stdout()), 'attached output');
    const last = Math.max(...[...run.stdout().matchAll(/line (\d+)\n/g)].map((m) => Number(m[1])));
    await stack.advance(3000);
    await eventually(() => run.stdout().includes(`line ${last + 3}\n`), 'new lines');
    run.child.kill('SIGINT');
    await run.done;
    await eventually(async () => (await liveStreams()) === 0, 'JD stream closed');
  });
});

describe('what JD Cloud cannot do', () => {
  it('kubectl debug prints a clear error (no panic)', async () => {
    const r = await kubectl(kube, ['debug', 'web', '--image=busybox']);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('panic');
    expect(r.stderr).toContain('pods/ephemeralcontainers is not supported');
  });

  it('kubectl port-forward prints a clear error', async () => {
    const r = await kubectl(kube, ['port-forward', 'pod/web', '0:80'], { timeoutMs: 30_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pods/portforward is not supported');
  });
});

describe('kubectl logs', () => {
  it('--timestamps shows the RFC 3339 time of each line', async () => {
    const r = await kubectl(kube, ['logs', '--timestamps', '--tail=2', 'web']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines)
      expect(line).toMatch(
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z \S+ nginx:1\.25 app: line \d+$/,
      );
  });
});

// Debian's kubectl 1.20 (installed by .ci/run into /opt/kubectl-1.20) speaks SPDY only.
const KUBECTL_1_20 = '/opt/kubectl-1.20/usr/bin/kubectl';
describe.runIf(existsSync(KUBECTL_1_20))('kubectl 1.20', () => {
  const old = (args: string[]) => kubectl(kube, args, { binary: KUBECTL_1_20, timeoutMs: 30_000 });

  it('exec says why SPDY cannot work, and what can', async () => {
    const r = await old(['exec', 'web', '--', 'echo', 'hi']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pods/exec over SPDY is not supported by podgate');
    expect(r.stderr).toContain('kubectl 1.30 or newer');
  });

  it('logs --timestamps works', async () => {
    const r = await old(['logs', '--timestamps', '--tail=1', 'web']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z \S+ nginx:1\.25 app: line \d+\n$/);
  });
});

describe('@kubernetes/client-node Exec', () => {
  it('runs a command and reports its status', async () => {
    const config = new KubeConfig();
    config.loadFromFile(kubeconfigFor(stack.gateway).kubeconfig);
    const exec = new Exec(config);
    let stdout = '';
    let stderr = '';
    const sink = (append: (s: string) => void) =>
      new Writable({
        write(chunk, _enc, done) {
          append(chunk.toString());
          done();
        },
      });
    const status = await new Promise<V1Status>((resolve, reject) => {
      exec
        .exec(
          'default',
          'web',
          'app',
          ['sh', '-c', 'echo out; echo err >&2; exit 2'],
          sink((s) => {
            stdout += s;
          }),
          sink((s) => {
            stderr += s;
          }),
          null,
          false,
          resolve,
        )
        .catch(reject);
    });
    expect(stdout).toBe('out\n');
    expect(stderr).toBe('err\n');
    expect(status).toMatchObject({
      status: 'Failure',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '2' }] },
    });
  });
});

function collect(child: ChildProcess): () => string {
  let text = '';
  child.stdout?.on('data', (d: Buffer) => {
    text += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    text += d.toString();
  });
  return () => text;
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

// Last: it stops the pod.
describe('kubectl logs -f', () => {
  it('shows new lines as they come, and ends cleanly when the pod stops', async () => {
    const run = startKubectl(kube, ['logs', '-f', '--tail=1', 'web'], { timeoutMs: 40_000 });
    await eventually(() => /app: line \d+\n/.test(run.stdout()), 'the last line');
    const first = Number(/line (\d+)\n/.exec(run.stdout())?.[1]);
    await stack.advance(2000);
    await eventually(() => run.stdout().includes(`line ${first + 2}\n`), 'new lines');
    const numbers = [...run.stdout().matchAll(/line (\d+)\n/g)].map((m) => Number(m[1]));
    expect(numbers).toEqual(numbers.map((_, i) => first + i));
    const stop = await fetch(`${stack.gateway}/api/v1/namespaces/default/pods/web/stop`, {
      method: 'POST',
      headers: { Authorization: 'Bearer podgate-dev-admin' },
    });
    expect(stop.status).toBe(200);
    // JD stops it; the loop sees the stored phase leave Running within five reads.
    await stack.advance(HOUR);
    const result = await run.done;
    expect(result.code).toBe(0);
  }, 60_000);
});
