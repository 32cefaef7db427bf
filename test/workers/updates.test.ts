/**
 * PUT and PATCH semantics (reference §1, §3, §4): every patch type, the update rules, the
 * optimistic lock, the apiserver's refusals word for word, dry runs.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Pod } from '../../src/k8s/pod';
import type { Status } from '../../src/k8s/status';
import {
  api,
  apiJson,
  createRunningPod,
  emulator,
  jdOperations,
  podManifest,
  resetGateway,
  runAlarm,
  VIEWER,
} from '../support/gateway';

const NS = '/api/v1/namespaces/default/pods';
const WEB = `${NS}/web`;
const JSON_PATCH = 'application/json-patch+json';
const MERGE = 'application/merge-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';

beforeEach(async () => {
  await emulator.reset();
  await resetGateway();
});

async function runningPod(): Promise<Pod> {
  const pod = (await createRunningPod()).running;
  await emulator.clearCalls();
  return pod;
}

/** Drives the rollout to its end (each step after JD Cloud's transition completes). */
async function rollOut(): Promise<Pod> {
  for (let step = 0; step < 8; step++) {
    await emulator.settle();
    if (!(await runAlarm('default'))) return apiJson('GET', WEB, 200);
  }
  throw new Error('the rollout did not finish in 8 steps');
}

describe('image updates reach Running with the new image', () => {
  const patches: [string, string, unknown][] = [
    [
      'json-patch',
      JSON_PATCH,
      [{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.26' }],
    ],
    ['merge patch', MERGE, { spec: { containers: [{ name: 'app', image: 'nginx:1.26' }] } }],
    [
      'strategic merge patch (as kubectl set image sends it)',
      STRATEGIC,
      {
        spec: {
          '$setElementOrder/containers': [{ name: 'app' }],
          containers: [{ image: 'nginx:1.26', name: 'app' }],
        },
      },
    ],
  ];
  for (const [label, contentType, body] of patches) {
    it(label, async () => {
      await runningPod();
      const patched = await apiJson('PATCH', WEB, 200, { contentType, body });
      expect(patched.spec.containers[0]?.image).toBe('nginx:1.26');
      expect(patched.status.containerStatuses?.[0]?.image).toBe('nginx:1.25');
      const pod = await rollOut();
      expect(pod.status.phase).toBe('Running');
      expect(pod.status.containerStatuses?.[0]?.image).toBe('nginx:1.26');
      expect(pod.status.observedGeneration).toBe(2);
    });
  }

  it('PUT with the image changed', async () => {
    const current = await runningPod();
    const body = structuredClone(current);
    (body.spec.containers[0] as { image: string }).image = 'nginx:1.26';
    const replaced = await apiJson('PUT', WEB, 200, { body });
    expect(replaced.spec.containers[0]?.image).toBe('nginx:1.26');
    expect(Number(replaced.metadata.resourceVersion)).toBeGreaterThan(
      Number(current.metadata.resourceVersion),
    );
    const pod = await rollOut();
    expect(pod.status.containerStatuses?.[0]?.image).toBe('nginx:1.26');
  });

  it('keeps every other container field through the rebuild (command, args, env)', async () => {
    await apiJson('POST', NS, 201, {
      body: podManifest('web', {
        containers: [
          {
            name: 'app',
            image: 'nginx:1.25',
            command: ['nginx'],
            args: ['-g', 'daemon off;'],
            env: [{ name: 'MODE', value: 'edge' }],
          },
        ],
      }),
    });
    await emulator.settle();
    await apiJson('PATCH', WEB, 200, {
      contentType: JSON_PATCH,
      body: [{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.26' }],
    });
    await rollOut();
    expect((await jdOperations()).filter((op) => op === 'rebuildPod')).toHaveLength(1);
    // What JD Cloud now runs, read back from JD Cloud alone (podgate's state forgotten).
    await resetGateway();
    const pod = await apiJson('GET', WEB, 200);
    expect(pod.spec.containers[0]).toMatchObject({
      image: 'nginx:1.26',
      command: ['nginx'],
      args: ['-g', 'daemon off;'],
      env: [{ name: 'MODE', value: 'edge' }],
    });
    expect(pod.status.containerStatuses?.[0]?.image).toBe('nginx:1.26');
  });
});

describe('the documented refusals', () => {
  it('a forbidden change → 422 Invalid on field spec, FieldValueForbidden', async () => {
    await runningPod();
    const status = await apiJson<Status>('PATCH', WEB, 422, {
      contentType: JSON_PATCH,
      body: [{ op: 'replace', path: '/spec/restartPolicy', value: 'Never' }],
    });
    expect(status.reason).toBe('Invalid');
    expect(status.details).toMatchObject({ name: 'web', kind: 'Pod' });
    const cause = status.details?.causes?.[0];
    expect(cause).toMatchObject({ field: 'spec', reason: 'FieldValueForbidden' });
    expect(cause?.message).toMatch(/^Forbidden: pod updates may not change fields other than/);
    expect(status.message).toMatch(/^Pod "web" is invalid: spec: Forbidden: pod updates/);
    expect(await jdOperations()).toEqual([]);
  });

  it('adding a container → 422 on spec.containers', async () => {
    await runningPod();
    const status = await apiJson<Status>('PATCH', WEB, 422, {
      contentType: JSON_PATCH,
      body: [{ op: 'add', path: '/spec/containers/-', value: { name: 'b', image: 'redis' } }],
    });
    expect(status.details?.causes?.[0]).toMatchObject({
      field: 'spec.containers',
      message: 'Forbidden: pod updates may not add or remove containers',
    });
  });

  it('activeDeadlineSeconds may be set and decreased, never raised', async () => {
    await runningPod();
    const set = (value: number) => ({
      contentType: MERGE,
      body: { spec: { activeDeadlineSeconds: value } },
    });
    const pod = await apiJson('PATCH', WEB, 200, set(600));
    expect(pod.metadata.generation).toBe(2);
    expect(pod.status.observedGeneration).toBe(2);
    await apiJson('PATCH', WEB, 200, set(300));
    const status = await apiJson<Status>('PATCH', WEB, 422, set(900));
    expect(status.details?.causes?.[0]).toMatchObject({
      field: 'spec.activeDeadlineSeconds',
      message: 'Invalid value: 900: must be less than or equal to previous value',
    });
    expect(await jdOperations()).toEqual([]);
  });

  it('a stale resourceVersion → 409 with the optimistic-lock message (PUT and patch)', async () => {
    const current = await runningPod();
    await apiJson('PATCH', WEB, 200, {
      contentType: MERGE,
      body: { metadata: { labels: { a: 'b' } } },
    });
    const message =
      'Operation cannot be fulfilled on pods "web": the object has been modified; please apply your changes to the latest version and try again';
    const put = await apiJson<Status>('PUT', WEB, 409, { body: current });
    expect(put).toMatchObject({ reason: 'Conflict', message, code: 409 });
    const patch = await apiJson<Status>('PATCH', WEB, 409, {
      contentType: MERGE,
      body: { metadata: { resourceVersion: current.metadata.resourceVersion } },
    });
    expect(patch.message).toBe(message);
  });

  it('an empty resourceVersion updates unconditionally; status in the body is ignored', async () => {
    const current = await runningPod();
    const body = structuredClone(current);
    delete body.metadata.resourceVersion;
    body.metadata.labels = { tier: 'front' };
    body.status = { phase: 'Failed', reason: 'Made up' };
    const pod = await apiJson('PUT', WEB, 200, { body });
    expect(pod.metadata.labels).toEqual({ tier: 'front' });
    expect(pod.status.phase).toBe('Running');
    expect(pod.status.reason).toBeUndefined();
  });

  it('a failed json-patch test op → 422 with the generic message', async () => {
    await runningPod();
    const status = await apiJson<Status>('PATCH', WEB, 422, {
      contentType: JSON_PATCH,
      body: [
        { op: 'test', path: '/spec/containers/0/image', value: 'nginx:9' },
        { op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.26' },
      ],
    });
    // The apiserver also sends an empty `details: {}`; status.ts omits empty details.
    expect(status).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      message: 'the server rejected our request due to an error in our request',
      reason: 'Invalid',
      code: 422,
    });
    expect(status.details?.causes).toBeUndefined();
    const missing = await apiJson<Status>('PATCH', WEB, 422, {
      contentType: JSON_PATCH,
      body: [{ op: 'remove', path: '/metadata/labels/nope' }],
    });
    expect(missing.message).toBe('the server rejected our request due to an error in our request');
  });

  it('an unknown patch type → 415 with the apiserver message', async () => {
    await runningPod();
    const status = await apiJson<Status>('PATCH', WEB, 415, {
      contentType: 'application/json',
      body: { metadata: { labels: { a: 'b' } } },
    });
    expect(status).toMatchObject({
      reason: 'UnsupportedMediaType',
      message:
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
    });
  });

  it('an undecodable patch → 400', async () => {
    await runningPod();
    const status = await apiJson<Status>('PATCH', WEB, 400, {
      contentType: MERGE,
      body: '{"metadata":',
    });
    expect(status.message).toMatch(/^error decoding patch: /);
  });

  it('name and namespace mismatches → 400 with the apiserver texts', async () => {
    const current = await runningPod();
    const renamed = { ...current, metadata: { ...current.metadata, name: 'other' } };
    const name = await apiJson<Status>('PUT', WEB, 400, { body: renamed });
    expect(name.message).toBe(
      'the name of the object (other) does not match the name on the URL (web)',
    );
    const moved = { ...current, metadata: { ...current.metadata, namespace: 'staging' } };
    const ns = await apiJson<Status>('PUT', WEB, 400, { body: moved });
    expect(ns.message).toBe(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
    const patched = await apiJson<Status>('PATCH', WEB, 400, {
      contentType: MERGE,
      body: { metadata: { name: 'other' } },
    });
    expect(patched.reason).toBe('BadRequest');
  });

  it('a missing pod → 404; a viewer → 403', async () => {
    await apiJson<Status>('PATCH', `${NS}/ghost`, 404, { contentType: MERGE, body: {} });
    await runningPod();
    const res = await api('PATCH', WEB, { contentType: MERGE, body: {}, token: VIEWER });
    expect(res.status).toBe(403);
  });
});

describe('dry run', () => {
  it('dryRun=All answers with the result and changes nothing', async () => {
    const current = await runningPod();
    const dry = await apiJson('PATCH', `${WEB}?dryRun=All`, 200, {
      contentType: JSON_PATCH,
      body: [{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.26' }],
    });
    expect(dry.spec.containers[0]?.image).toBe('nginx:1.26');
    expect(await jdOperations()).toEqual([]);
    const after = await apiJson('GET', WEB, 200);
    expect(after.spec.containers[0]?.image).toBe('nginx:1.25');
    expect(after.metadata.resourceVersion).toBe(current.metadata.resourceVersion);
  });
});
