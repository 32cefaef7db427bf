/**
 * Events through kubectl (current, and Debian's 1.20 for describe and get) against the real stack: `describe pod` shows them (it lists
 * core/v1 events with an involvedObject field selector), `get events` prints the apiserver's
 * columns, and `get events -w` streams one recorded after it started.
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
  // kubectl sends its bearer token only over TLS.
  tls = await startTlsFront(stack.gateway);
  kube = kubeconfigFor(tls.url);
}, 90_000);
afterAll(async () => {
  kube?.cleanup();
  await tls?.stop();
  await stack?.stop();
});

const HOUR = 3_600_000;

const manifest = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: app
    image: nginx:1.25
`;

async function ok(args: string[], input?: string): Promise<string> {
  const result = await kubectl(kube, args, input === undefined ? {} : { input });
  if (result.code !== 0) {
    throw new Error(
      `kubectl ${args.join(' ')} exited ${result.code}:\n${result.stderr}\n${stack.logs().slice(-2000)}`,
    );
  }
  return result.stdout;
}

describe('kubectl and Events', () => {
  it('describe pod shows the pod events, asked for with its field selector', async () => {
    await ok(['create', '-f', '-'], manifest('ev-web'));
    await stack.advance(HOUR);
    await eventually(
      async () =>
        (await ok(['get', 'pod', 'ev-web', '-o', 'jsonpath={.status.phase}'])) === 'Running',
      'ev-web Running',
    );
    const described = await kubectl(kube, ['describe', 'pod', 'ev-web', '-v=6']);
    expect(described.code).toBe(0);
    // The request describe makes (logged at -v=6): core/v1 events by involvedObject.
    expect(described.stderr).toMatch(
      /GET https?:\/\/\S+\/api\/v1\/namespaces\/default\/events\?fieldSelector=\S*involvedObject\.name%3Dev-web\S* 200/,
    );
    const events = described.stdout.slice(described.stdout.indexOf('Events:'));
    expect(events).toMatch(/Type\s+Reason\s+Age\s+From\s+Message/);
    expect(events).toMatch(
      /Normal\s+Scheduled\s+\S+\s+podgate\s+Successfully assigned default\/ev-web to jdcloud-\S+/,
    );
    expect(events).toMatch(/Normal\s+Pulled\s+.*Successfully pulled image "nginx:1\.25"/);
    expect(events).toMatch(/Normal\s+Started\s+.*Started container app/);
  });

  it("kubectl 1.20 (Debian's) describes the same Events and lists them", async () => {
    const binary = '/opt/kubectl-1.20/usr/bin/kubectl';
    const described = await kubectl(kube, ['describe', 'pod', 'ev-web'], { binary });
    expect(described.code).toBe(0);
    const events = described.stdout.slice(described.stdout.indexOf('Events:'));
    expect(events).toMatch(
      /Normal\s+Scheduled\s+\S+\s+podgate\s+Successfully assigned default\/ev-web/,
    );
    expect(events).toMatch(/Normal\s+Started\s+.*Started container app/);
    const listed = await kubectl(kube, ['get', 'events'], { binary });
    expect(listed.stdout).toMatch(/Normal\s+Started\s+pod\/ev-web\s+Started container app/);
  });

  it('get events prints the apiserver columns, and get events -w streams a new one', async () => {
    const listed = await ok(['get', 'events']);
    expect(listed).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE/);
    expect(listed).toMatch(/Normal\s+Started\s+pod\/ev-web\s+Started container app/);
    const wide = await ok(['get', 'events', '-o', 'wide', '--field-selector', 'reason=Started']);
    expect(wide).toMatch(/SUBOBJECT\s+SOURCE\s+MESSAGE\s+FIRST SEEN\s+COUNT\s+NAME/);
    expect(wide).toMatch(
      /spec\.containers\{app\}\s+podgate, jdcloud-\S+\s+Started container app\s+\S+\s+1\s+ev-web\./,
    );

    // `kubectl events` (client-side printing) reads the same list.
    const forPod = await ok(['events', '--for', 'pod/ev-web']);
    expect(forPod).toMatch(/Normal\s+Scheduled\s+Pod\/ev-web\s+Successfully assigned/);

    const watch = startKubectl(kube, ['get', 'events', '-w'], { timeoutMs: 30_000 });
    await eventually(() => /Started\s+pod\/ev-web/.test(watch.stdout()), 'the listed events');
    await ok(['delete', 'pod', 'ev-web', '--wait=false']);
    await eventually(
      () => /Killing\s+pod\/ev-web\s+Stopping container app/.test(watch.stdout()),
      () => `Killing in the watch:\n${watch.stdout()}`,
    );
    watch.child.kill('SIGTERM');
    await watch.done.catch(() => {});
  });
});
