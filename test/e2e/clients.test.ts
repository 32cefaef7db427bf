/**
 * Clients nobody here wrote, from Debian (.ci/install-clients): the official Python client
 * (/usr/bin/python3, python3-kubernetes) and Ruby's kubeclient (ruby-kubeclient), each run as a
 * script (test/e2e/clients/) while the test moves the emulator's clock.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KubeConfig, type V1Pod, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack';
import { eventually, type Kube, kubeconfigFor, kubectl } from '../support/kube';
import { startTlsFront, type TlsFront } from '../support/kube-tls';

const here = fileURLToPath(new URL('clients/', import.meta.url));
let stack: Stack;
let tls: TlsFront;
let kube: Kube;
beforeAll(async () => {
  stack = await startStack();
  tls = await startTlsFront(stack.gateway);
  kube = kubeconfigFor(tls.url);
}, 90_000);
afterAll(async () => {
  kube?.cleanup();
  await tls?.stop();
  await stack?.stop();
});

/** Runs a client script to completion (bounded), moving the emulator's clock meanwhile. */
function runScript(command: string, args: string[], timeoutMs = 90_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const clock = setInterval(() => void stack.advance(3_600_000).catch(() => {}), 300);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearInterval(clock);
      clearTimeout(timer);
      if (code !== 0 || !stdout.trim())
        reject(new Error(`${command} exited ${code}:\n${stdout}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop() ?? 'null'));
    });
  });
}

describe('the official Python client', () => {
  it('creates, lists, JSON-patches the image, watches the rollout and deletes', async () => {
    const out = (await runScript('/usr/bin/python3', [
      `${here}python-client.py`,
      kube.kubeconfig,
    ])) as {
      listed: string[];
      patched_image: string;
      watch: { type: string; phase: string; image: string | null; reason: string | null }[];
      deleted: boolean;
    };
    expect(out.listed).toEqual(['py']);
    expect(out.patched_image).toBe('nginx:1.27');
    // watch=True was a watch: it streamed the rollout to the new image, Running at the end.
    expect(out.watch.length).toBeGreaterThan(1);
    expect(out.watch.every((e) => e.type === 'MODIFIED')).toBe(true);
    expect(out.watch.at(-1)).toMatchObject({ phase: 'Running', image: 'nginx:1.27' });
    expect(out.deleted).toBe(true);
  });
});

describe("Ruby's kubeclient", () => {
  it('lists, gets and watches on the /api/v1/watch paths', async () => {
    const manifest = `apiVersion: v1
kind: Pod
metadata:
  name: rb
  labels:
    app: rb
spec:
  containers:
  - name: app
    image: nginx:1.25
`;
    expect((await kubectl(kube, ['create', '-f', '-'], { input: manifest })).code).toBe(0);
    const out = (await runScript(
      '/usr/bin/ruby',
      [`${here}ruby-client.rb`, tls.url, 'podgate-dev-admin'],
      40_000,
    )) as {
      listed: string[];
      got: string;
      watched: { type: string; name: string; seen: string };
    };
    expect(out.listed).toEqual(['rb']);
    expect(out.got).toBe('nginx:1.25');
    expect(out.watched).toEqual({ type: 'MODIFIED', name: 'rb', seen: 'yes' });
  });
});

describe('a watch-list (client-go >= 1.35 informers), through client-node Watch', () => {
  it('sends the current pods, the initial-events-end bookmark, then changes', async () => {
    const plain = kubeconfigFor(stack.gateway);
    try {
      const manifest =
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: wl\nspec:\n  containers:\n  - name: app\n    image: nginx:1.25\n';
      expect((await kubectl(kube, ['create', '-f', '-'], { input: manifest })).code).toBe(0);
      const config = new KubeConfig();
      config.loadFromFile(plain.kubeconfig);
      const seen: { type: string; name?: string; end?: string }[] = [];
      const request = await new Watch(config).watch(
        '/api/v1/namespaces/default/pods',
        {
          sendInitialEvents: true,
          resourceVersionMatch: 'NotOlderThan',
          allowWatchBookmarks: true,
        },
        (type: string, object: V1Pod) => {
          seen.push({
            type,
            ...(object.metadata?.name ? { name: object.metadata.name } : {}),
            ...(type === 'BOOKMARK'
              ? { end: object.metadata?.annotations?.['k8s.io/initial-events-end'] }
              : {}),
          });
        },
        () => {},
      );
      try {
        await eventually(() => seen.some((e) => e.type === 'BOOKMARK'), 'the bookmark');
        const end = seen.findIndex((e) => e.type === 'BOOKMARK');
        expect(seen[end]?.end).toBe('true');
        expect(seen.slice(0, end).filter((e) => e.name === 'wl')).toEqual([
          { type: 'ADDED', name: 'wl' },
        ]);
        await kubectl(kube, ['label', 'pod', 'wl', 'seen=yes']);
        await eventually(
          () => seen.slice(end).some((e) => e.type === 'MODIFIED' && e.name === 'wl'),
          'the label change after the bookmark',
        );
      } finally {
        request.abort();
      }
    } finally {
      plain.cleanup();
    }
  });
});
