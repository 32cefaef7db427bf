/**
 * The PATCH rows: image patches through podgate (answered once the rollout is accepted; the
 * stop → rebuild → start runs afterwards in the namespace's Durable Object) against the JD call
 * that begins the same change when made directly (stopPod, then startPod to bring the pod back,
 * alternating over the 1000 pods of the `large` namespace), and CPU per request of a json-patch
 * and a strategic merge patch that change a label (so no rollout adds alarm work to the window).
 * Skipped, saying so, while the gateway has no PATCH route.
 */
import type { cpuPerRequest } from './cpu.ts';
import { cpuPerRequest as measureCpu } from './cpu.ts';
import type { EmulatorControl } from './emulator.ts';
import { gatewayCall, gatewayShot, podsPath } from './gateway.ts';
import { describePodsPath, jdCall, signedShot } from './jd-direct.ts';
import type { LoadResult, Shot } from './load.ts';
import type { BenchStack } from './stack.ts';

type Measure = (
  label: string,
  via: 'podgate' | 'direct' | 'floor' | 'sdk',
  shot: () => Shot | Shot[] | Promise<Shot | Shot[]>,
) => Promise<{ latency: LoadResult; throughput?: LoadResult }>;

const JSON_PATCH = 'application/json-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';
const podName = (i: number) => `p${String(i).padStart(4, '0')}`;

const imagePatch = (i: number): Shot =>
  gatewayShot(
    'PATCH',
    `${podsPath('default')}/${podName(i % 100)}`,
    [{ op: 'replace', path: '/spec/containers/0/image', value: `nginx:1.${20 + (i % 7)}` }],
    JSON_PATCH,
  );

export async function patchTargets(
  stack: BenchStack,
  emulator: EmulatorControl,
  measure: Measure,
  cpuRequests = 200,
) {
  const probe = await fetch(`${stack.gateway}${podsPath('default')}/p0000`, {
    method: 'PATCH',
    headers: gatewayShot('PATCH', '/', {}, STRATEGIC).headers,
    body: JSON.stringify({ metadata: { labels: { probe: 'x' } } }),
  });
  await probe.text();
  if (probe.status !== 200) {
    return {
      available: false as const,
      reason: `PATCH answered ${probe.status}: no patchPod route in this build`,
      overhead: {} as Record<string, never>,
      cpu: async (_pid: number) => ({}),
    };
  }

  const region = 'cn-east-2';
  const large: string[] = [];
  for (let page = 1; page <= 10; page++) {
    const result = await jdCall<{ pods: { podId: string }[] }>(
      stack.emulator,
      region,
      'GET',
      describePodsPath(region, 'large', page),
    );
    large.push(...result.pods.map((p) => p.podId));
    if (result.pods.length < 100) break;
  }
  /** stopPod on a running pod, startPod on the pod stopped one round earlier. */
  const directChange = (i: number) => {
    const podId = large[i % large.length] as string;
    const verb = Math.floor(i / large.length) % 2 === 0 ? 'stopPod' : 'startPod';
    return signedShot(
      stack.emulator,
      region,
      'POST',
      `/v1/regions/${region}/pods/${podId}%3A${verb}`,
      {},
    );
  };
  const patchImage = {
    podgate: await measure(
      'PATCH image',
      'podgate',
      (() => {
        let i = 0;
        return () => imagePatch(i++);
      })(),
    ),
    direct: await measure(
      'stopPod/startPod',
      'direct',
      (() => {
        let i = 0;
        return () => directChange(i++);
      })(),
    ),
  };
  // Let the rollouts the image patches started finish before anything else is measured.
  await emulator.quiet(1500, 60_000);
  await emulator.clearCalls();

  const labelPatch = (type: string) => (i: number) =>
    gatewayCall(
      stack.gateway,
      gatewayShot(
        'PATCH',
        `${podsPath('default')}/p0001`,
        type === JSON_PATCH
          ? [{ op: 'add', path: '/metadata/labels/round', value: `r${i}` }]
          : { metadata: { labels: { round: `r${i}` } } },
        type,
      ),
      200,
    ).then(() => undefined);
  return {
    available: true as const,
    overhead: { patchImage },
    cpu: async (
      pid: number,
    ): Promise<Record<string, Awaited<ReturnType<typeof cpuPerRequest>>>> => ({
      jsonPatch: await measureCpu(pid, cpuRequests, labelPatch(JSON_PATCH)),
      strategicPatch: await measureCpu(pid, cpuRequests, labelPatch(STRATEGIC)),
    }),
  };
}
