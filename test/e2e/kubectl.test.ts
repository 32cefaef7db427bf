/**
 * kubectl 1.32 against podgate (gateway + emulator under wrangler dev): discovery, validation
 * through /openapi/v3, Table output, watch, and the mutations kubectl makes. Pod transitions
 * happen when the test moves the emulator's clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack';
import { eventually, type Kube, kubeconfigFor, kubectl, startKubectl } from '../support/kube';
import { startTlsFront, type TlsFront } from '../support/kube-tls';

let stack: Stack;
let kube: Kube;
let tls: TlsFront;
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

const manifest = (name: string, image = 'nginx:1.25', extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  containers:
  - name: app
    image: ${image}${extra}
`;

const HOUR = 3_600_000;

async function ok(args: string[], input?: string): Promise<string> {
  const result = await kubectl(kube, args, input === undefined ? {} : { input });
  if (result.code !== 0) {
    throw new Error(
      `kubectl ${args.join(' ')} exited ${result.code}:\n${result.stderr}\n${stack.logs().slice(-2000)}`,
    );
  }
  return result.stdout;
}

async function phaseOf(name: string): Promise<string> {
  return ok(['get', 'pod', name, '-o', 'jsonpath={.status.phase}']);
}

/** Moves the emulator clock until the pod reports `phase` (the gateway polls every 100 ms). */
async function until(name: string, phase: string): Promise<void> {
  await stack.advance(HOUR);
  await eventually(async () => (await phaseOf(name)) === phase, `${name} ${phase}`);
}

describe('kubectl', () => {
  it('creates from a file with server-side validation, and reads pods as tables', async () => {
    expect(await ok(['create', '-f', '-'], manifest('web'))).toBe('pod/web created\n');
    await until('web', 'Running');

    const table = await ok(['get', 'pods']);
    const [header, row] = table.trim().split('\n');
    expect(header?.split(/\s+/)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(row?.split(/\s+/).slice(0, 4)).toEqual(['web', '1/1', 'Running', '0']);

    const wide = await ok(['get', 'pods', '-o', 'wide']);
    expect(wide.split('\n')[0]?.split(/\s{2,}/)).toEqual([
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE',
      'IP',
      'NODE',
      'NOMINATED NODE',
      'READINESS GATES',
    ]);
    expect(wide).toMatch(/web\s+1\/1\s+Running\s+0\s+\S+\s+10\.0\.\d+\.\d+/);

    expect(await ok(['get', 'po', '-A', '--show-labels'])).toMatch(/default\s+web\s+1\/1.*app=web/);

    const yaml = await ok(['get', 'pod', 'web', '-o', 'yaml']);
    expect(yaml).toContain('kind: Pod');
    expect(yaml).toContain('name: web');
    expect(yaml).toContain('phase: Running');
  });

  it('prints apiserver errors as kubectl does', async () => {
    const missing = await kubectl(kube, ['get', 'pod', 'missing']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Error from server (NotFound): pods "missing" not found');

    const unknown = await kubectl(kube, ['create', '-f', '-'], {
      input: manifest('typo', 'nginx:1.25', '\n    imagePullPolice: Always'),
    });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      'strict decoding error: unknown field "spec.containers[0].imagePullPolice"',
    );

    const invalid = await kubectl(kube, ['create', '-f', '-'], { input: manifest('Bad_Name') });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain(
      'The Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"',
    );
  });

  it('serves logs', async () => {
    const logs = await kubectl(kube, ['logs', 'web']);
    expect(logs.code).toBe(0);
  });

  it('watches with get -w and sees an image change roll out', async () => {
    const watch = startKubectl(kube, ['get', 'pod', 'web', '-w', '--output-watch-events'], {
      timeoutMs: 30_000,
    });
    await eventually(() => /ADDED\s+web\s+1\/1\s+Running/.test(watch.stdout()), 'the initial row');
    expect(await ok(['set', 'image', 'pod/web', 'app=nginx:1.27'])).toBe('pod/web image updated\n');
    // Each step of the rollout (stop, rebuild, start) completes when the emulator clock moves.
    await eventually(
      async () => {
        await stack.advance(HOUR);
        const image = await ok([
          'get',
          'pod',
          'web',
          '-o',
          'jsonpath={.status.containerStatuses[0].image}',
        ]);
        // Ready again on the new image (the phase stays Running throughout a rollout).
        const ready = await ok([
          'get',
          'pod',
          'web',
          '-o',
          'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
        ]);
        return image === 'nginx:1.27' && ready === 'True';
      },
      'the rollout to finish',
      20_000,
    );
    await eventually(
      // RESTARTS as the apiserver prints it: `1 (5s ago)` once the rollout restarted the pod.
      () => /MODIFIED\s+web\s+1\/1\s+Running\s+\d+(?: \(\S+ ago\))?\s+\S+\s*$/.test(watch.stdout()),
      () => `the rolled-out row in:\n${watch.stdout()}`,
    );
    // kubectl printed the rollout's intermediate states too (the pod stopped, then started).
    expect(watch.stdout()).toMatch(/MODIFIED\s+web\s+0\/1\s+/);
    watch.child.kill('SIGINT');
    await watch.done;
  });

  it('patches with json, merge and strategic patches', async () => {
    expect(
      await ok([
        'patch',
        'pod',
        'web',
        '--type=json',
        '-p',
        '[{"op":"add","path":"/metadata/labels/tier","value":"front"}]',
      ]),
    ).toBe('pod/web patched\n');
    expect(
      await ok([
        'patch',
        'pod',
        'web',
        '--type=merge',
        '-p',
        '{"metadata":{"labels":{"team":"a"}}}',
      ]),
    ).toBe('pod/web patched\n');
    expect(
      await ok(['patch', 'pod', 'web', '-p', '{"metadata":{"annotations":{"note":"x"}}}']),
    ).toBe('pod/web patched\n');
    const labels = await ok(['get', 'pod', 'web', '-o', 'jsonpath={.metadata.labels}']);
    expect(JSON.parse(labels)).toEqual({ app: 'web', tier: 'front', team: 'a' });
  });

  it('replaces and applies from files', async () => {
    const current = await ok(['get', 'pod', 'web', '-o', 'jsonpath={.spec.containers[0].image}']);
    const withLabel = manifest('web', current).replace(
      '    app: web\n',
      '    app: web\n    replaced: "yes"\n',
    );
    expect(await ok(['replace', '-f', '-'], withLabel)).toBe('pod/web replaced\n');

    expect(await ok(['apply', '-f', '-'], manifest('applied'))).toBe('pod/applied created\n');
    const relabelled = manifest('applied').replace(
      '    app: applied\n',
      '    app: applied\n    stage: two\n',
    );
    expect(await ok(['apply', '-f', '-'], relabelled)).toBe('pod/applied configured\n');
    expect(
      await ok(
        ['apply', '--server-side', '-f', '-'],
        relabelled.replace('stage: two', 'stage: three'),
      ),
    ).toBe('pod/applied serverside-applied\n');
    expect(await ok(['get', 'pod', 'applied', '-o', 'jsonpath={.metadata.labels.stage}'])).toBe(
      'three',
    );
  });

  it('deletes, returning once the pod is gone', async () => {
    const del = startKubectl(kube, ['delete', 'pod', 'web'], { timeoutMs: 20_000 });
    // kubectl waits for DELETED; JD Cloud finishes the delete when its clock moves.
    await eventually(
      async () => {
        await stack.advance(HOUR);
        return del.child.exitCode !== null;
      },
      'kubectl delete to return',
      15_000,
    );
    const result = await del.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('pod "web" deleted\n');
    const gone = await kubectl(kube, ['get', 'pod', 'web']);
    expect(gone.stderr).toContain('pods "web" not found');
  });
});
