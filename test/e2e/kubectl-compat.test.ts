/**
 * kubectl current (/usr/bin/kubectl) and Debian's kubectl 1.20 (.ci/install-clients puts it in
 * /opt/kubectl-1.20) with client-side validation on: the OpenAPI documents each generation
 * reads (/openapi/v3 with patch metadata and descriptions; /openapi/v2 in protobuf), so that
 * create, apply twice, replace, diff and explain behave as against an apiserver.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack';
import { type Kube, kubeconfigFor, kubectl } from '../support/kube';
import { startTlsFront, type TlsFront } from '../support/kube-tls';

const KUBECTL_1_20 = '/opt/kubectl-1.20/usr/bin/kubectl';
const binaries = [
  { version: 'current', binary: '/usr/bin/kubectl' },
  { version: '1.20', binary: KUBECTL_1_20 },
];

let stack: Stack;
let tls: TlsFront;
let admin: Kube;
let viewer: Kube;
beforeAll(async () => {
  stack = await startStack();
  tls = await startTlsFront(stack.gateway);
  admin = kubeconfigFor(tls.url);
  viewer = kubeconfigFor(tls.url, 'podgate-dev-viewer');
}, 90_000);
afterAll(async () => {
  admin?.cleanup();
  viewer?.cleanup();
  await tls?.stop();
  await stack?.stop();
});

const manifest = (name: string, image = 'nginx:1.25') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  containers:
  - name: app
    image: ${image}
    ports:
    - containerPort: 80
    env:
    - name: MODE
      value: test
`;

describe('kubectl auth whoami (current only: 1.20 predates it)', () => {
  it('names the user podgate authenticated', async () => {
    const result = await kubectl(viewer, ['auth', 'whoami']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/Username\s+dev-viewer/);
    expect(result.stdout).toMatch(/system:authenticated/);
  });
});

describe.each(binaries)('kubectl $version', ({ version, binary }) => {
  if (!existsSync(binary)) throw new Error(`${binary} missing: run .ci/install-clients`);
  const name = `compat-${version.replace('.', '-')}`;
  const run = async (args: string[], input?: string) =>
    kubectl(admin, args, { binary, ...(input === undefined ? {} : { input }) });
  const ok = async (args: string[], input?: string) => {
    const result = await run(args, input);
    if (result.code !== 0) {
      throw new Error(`kubectl ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
    }
    return result.stdout;
  };

  it('creates with validation on, applies twice (unchanged), diffs and replaces', async () => {
    expect(await ok(['create', '--validate=true', '-f', '-'], manifest(name))).toBe(
      `pod/${name} created\n`,
    );
    expect(await ok(['apply', '-f', '-'], manifest(name))).toContain(`pod/${name}`);
    expect(await ok(['apply', '-f', '-'], manifest(name))).toBe(`pod/${name} unchanged\n`);
    // diff: exit 0 when the server would change nothing, 1 with the change shown.
    const same = await run(['diff', '-f', '-'], manifest(name));
    expect(same.code, `${same.stdout}${same.stderr}`).toBe(0);
    const changed = await run(['diff', '-f', '-'], manifest(name, 'nginx:1.27'));
    expect(changed.code, changed.stderr).toBe(1);
    expect(changed.stdout).toContain('+    image: nginx:1.27');
    expect(await ok(['replace', '-f', '-'], manifest(name))).toBe(`pod/${name} replaced\n`);
  });

  it('edits in the editor kubectl starts (KUBE_EDITOR), and the change is stored', async () => {
    // The "editor" adds a label under metadata.labels (4 spaces in kubectl's YAML).
    const editor = join(admin.dir, `edit-${version}.sh`);
    writeFileSync(
      editor,
      `#!/bin/sh\nsed -i 's/^    app: ${name}$/    app: ${name}\\n    edited: "yes"/' "$1"\n`,
      { mode: 0o755 },
    );
    const result = await kubectl(admin, ['edit', 'pod', name], {
      binary,
      env: { KUBE_EDITOR: editor },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`pod/${name} edited\n`);
    expect(await ok(['get', 'pod', name, '-o', 'jsonpath={.metadata.labels.edited}'])).toBe('yes');
  });

  it('refuses an unknown field client-side, naming it', async () => {
    const bad = manifest(`${name}-bad`).replace('    image:', '    imagex: oops\n    image:');
    const result = await run(['create', '-f', '-'], bad);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/imagex/);
  });

  it('answers auth can-i for the admin and the viewer', async () => {
    const canI = async (kube: Kube, ...args: string[]) => {
      const result = await kubectl(kube, ['auth', 'can-i', ...args], { binary });
      return `${result.stdout}${result.stderr}`.trim();
    };
    expect(await canI(admin, 'delete', 'pods')).toBe('yes');
    expect(await canI(viewer, 'get', 'pods')).toBe('yes');
    expect(await canI(viewer, 'create', 'pods')).toBe('no');
    expect(await canI(viewer, 'get', 'pods', '-n', 'staging')).toBe('no');
    const list = await kubectl(viewer, ['auth', 'can-i', '--list'], { binary });
    expect(list.stdout).toMatch(/^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
  });

  it("explains fields with Kubernetes' descriptions", async () => {
    const text = await ok(['explain', 'pods.spec.containers']);
    expect(text).toContain('List of containers belonging to the pod');
    const ports = await ok(['explain', 'pods.spec.containers.ports.containerPort']);
    expect(ports).toContain('Number of port to expose on the pod');
  });
});
