/**
 * The official jdcloud-sdk-js client against the emulator (issue 4's "done when"): the SDK needs
 * Node (node-fetch), so this runs in Node and serves the emulator over HTTP with wrangler's test
 * harness. The emulator clock is frozen and advanced, so no step waits on real time.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHarness } from 'wrangler';

const require = createRequire(import.meta.url);
const JDCloud = require('jdcloud-sdk-js/src/lib/node_loader');
const POD = require('jdcloud-sdk-js/src/repo/pod/v1/pod.js');
JDCloud.config.logger = () => {};

const harness = createTestHarness({
  workers: [
    {
      configPath: './src/emulator/wrangler.toml',
      vars: { EMULATOR_CONTROL: 'on', EMULATOR_TRANSITION_MS: '2000', EMULATOR_POD_QUOTA: '3' },
      secrets: {
        EMULATOR_ACCESS_KEY_ID: 'podgate-dev-ak',
        EMULATOR_SECRET_ACCESS_KEY: 'podgate-dev-sk',
      },
    },
  ],
});

let origin: URL;
// biome-ignore lint/suspicious/noExplicitAny: the SDK is untyped JavaScript
let client: any;

const sdkClient = (secretAccessKey: string) =>
  new POD({
    credentials: { accessKeyId: 'podgate-dev-ak', secretAccessKey },
    regionId: 'cn-north-1',
    endpoint: { host: origin.host, protocol: 'http' },
  });

const control = (method: string, path: string, body?: unknown) =>
  fetch(new URL(`/__emulator/${path}`, origin), {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** Runs an SDK call and returns JD's error object (the SDK rejects with the parsed body). */
async function jdError(call: Promise<unknown>) {
  try {
    await call;
  } catch (rejection) {
    return (rejection as { error?: { code: number; status: string; message: string } }).error;
  }
  throw new Error('the call succeeded');
}

const podSpec = (name: string) => ({
  name,
  instanceType: 'g.n2.medium',
  az: 'cn-north-1a',
  containers: [
    {
      name: 'app',
      image: 'nginx:1.25',
      systemDisk: { category: 'cloud', diskType: 'ssd.gp1', sizeGB: 20 },
    },
  ],
  primaryNetworkInterface: {
    networkInterface: { subnetId: 'subnet-sdk0test', securityGroups: ['sg-sdk0test'] },
  },
  userTags: [{ key: 'suite', value: 'sdk' }],
});

const phase = async (podId: string) =>
  (await client.describePod({ podId })).result.pod.podStatus.phase;

beforeAll(async () => {
  ({ url: origin } = await harness.listen());
  client = sdkClient('podgate-dev-sk');
  await control('POST', 'reset');
  await control('POST', 'clock', { freeze: true });
});

afterAll(async () => {
  await harness.close();
});

describe('jdcloud-sdk-js against the emulator', () => {
  it('drives create → describe → stop → rebuild → start → delete', async () => {
    const created = await client.createPods({
      podSpec: podSpec('sdk-pod'),
      maxCount: 1,
      clientToken: 'sdk-1',
    });
    const [podId] = created.result.podIds;
    expect(created.responseObj.headers.get('x-jdcloud-request-id')).toBe(created.requestId);
    expect(await phase(podId)).toBe('pending');
    await control('POST', 'clock', { advanceMs: 2000 });

    const listed = await client.describePods({
      filters: [{ name: 'phase', values: ['running'] }],
      tags: [{ key: 'suite', values: ['sdk'] }],
    });
    expect(listed.result.totalCount).toBe(1);
    expect(listed.result.pods[0]).toMatchObject({
      podId,
      name: 'sdk-pod',
      podStatus: { phase: 'running' },
    });

    await client.stopPod({ podId });
    await control('POST', 'clock', { advanceMs: 2000 });
    expect(await phase(podId)).toBe('stopped');

    await client.rebuildPod({ podId, containers: [{ name: 'app', image: 'nginx:1.26' }] });
    await control('POST', 'clock', { advanceMs: 2000 });
    const rebuilt = (await client.describePod({ podId })).result.pod;
    expect(rebuilt.podStatus.phase).toBe('stopped');
    expect(rebuilt.containers[0].image).toBe('nginx:1.26');

    await client.startPod({ podId });
    await control('POST', 'clock', { advanceMs: 2000 });
    expect(await phase(podId)).toBe('running');

    await client.deletePod({ podId });
    await control('POST', 'clock', { advanceMs: 2000 });
    expect(await jdError(client.describePod({ podId }))).toMatchObject({
      code: 404,
      status: 'NOT_FOUND',
    });
  });

  it('refuses a bad signature with 401', async () => {
    const error = await jdError(sdkClient('wrong-secret').describeQuota({ resourceType: 'pod' }));
    expect(error).toMatchObject({ code: 401 });
  });

  it('refuses to rebuild a running pod with 400 FAILED_PRECONDITION', async () => {
    const { result } = await client.createPods({ podSpec: podSpec('sdk-running'), maxCount: 1 });
    await control('POST', 'clock', { advanceMs: 2000 });
    const error = await jdError(
      client.rebuildPod({
        podId: result.podIds[0],
        containers: [{ name: 'app', image: 'nginx:2' }],
      }),
    );
    expect(error).toMatchObject({ code: 400, status: 'FAILED_PRECONDITION' });
  });

  it('answers an invalid createPods with 400 naming the field', async () => {
    const spec = {
      ...podSpec('sdk-bad'),
      containers: [{ name: 'app', image: 'nginx', systemDisk: { sizeGB: 25 } }],
    };
    const error = await jdError(client.createPods({ podSpec: spec, maxCount: 1 }));
    expect(error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(error?.message).toContain('podSpec.containers[0].systemDisk.sizeGB');
  });

  it('answers 429 QUOTA_EXCEEDED once the region quota is used', async () => {
    const { result } = await client.describeQuota({ resourceType: 'pod' });
    expect(result.quota).toMatchObject({ limit: 3, used: 1 });
    const error = await jdError(client.createPods({ podSpec: podSpec('sdk-many'), maxCount: 3 }));
    expect(error).toMatchObject({ code: 429, status: 'QUOTA_EXCEEDED' });
  });
});
