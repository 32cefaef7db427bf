import { beforeEach, describe, expect, it } from 'vitest';
import { advanceClock, control, createPod, jd, phaseOf } from './helpers';

beforeEach(async () => {
  await control('POST', 'reset');
  await control('POST', 'clock', { freeze: true });
});

const runningPod = async () => {
  const podId = await createPod();
  await advanceClock(3_600_000);
  return podId;
};

const podAction = async (podId: string, action: string, body?: unknown) => {
  const res =
    action === 'delete'
      ? await control('DELETE', `pods/${podId}`)
      : await control('POST', `pods/${podId}/${action}`, body);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('console actions (out of band)', () => {
  it('stops, starts and deletes a pod through the same phases as the API, unlogged', async () => {
    const podId = await runningPod();
    await control('DELETE', 'calls');
    expect(await podAction(podId, 'stop')).toEqual({
      status: 200,
      body: { podId, phase: 'stopping' },
    });
    await advanceClock(3_600_000);
    expect(await phaseOf(podId)).toBe('stopped');
    expect((await podAction(podId, 'start')).body.phase).toBe('starting');
    await advanceClock(3_600_000);
    const pod = (await jd('GET', `/regions/cn-north-1/pods/${podId}`)).body.result.pod;
    expect(pod.podStatus.phase).toBe('running');
    expect(pod.containers[0].containerStatus.restartCount).toBe(1);
    expect((await podAction(podId, 'delete')).body.phase).toBe('deleting');
    await advanceClock(3_600_000);
    expect((await jd('GET', `/regions/cn-north-1/pods/${podId}`)).status).toBe(404);
    const log = (await (await control('GET', 'calls')).json()) as {
      calls: { operation: string }[];
    };
    expect(log.calls.map((c) => c.operation)).toEqual([
      'describePod',
      'describePod',
      'describePod',
    ]);
  });

  it('refuses what JD would refuse, and a pod it does not have', async () => {
    const podId = await runningPod();
    const start = await podAction(podId, 'start');
    expect(start.status).toBe(400);
    expect(start.body.error).toMatch(/startPod requires phase stopped/);
    expect((await podAction('pod-nothere', 'stop')).status).toBe(404);
  });
});

describe("JD's error phase", () => {
  it('fails a running pod with a reason: phase error, containers terminated, only delete allowed', async () => {
    const podId = await runningPod();
    const failed = await podAction(podId, 'fail', {
      reason: 'OOMKilled',
      message: 'out of memory',
    });
    expect(failed.body).toEqual({
      podId,
      phase: 'error',
      failure: { reason: 'OOMKilled', message: 'out of memory' },
    });
    const pod = (await jd('GET', `/regions/cn-north-1/pods/${podId}`)).body.result.pod;
    expect(pod.podStatus).toMatchObject({
      phase: 'error',
      reason: 'OOMKilled',
      message: 'out of memory',
    });
    expect(pod.podStatus.conditions[0]).toMatchObject({ conditionType: 'Ready', status: 'False' });
    expect(pod.containers[0].containerStatus).toMatchObject({
      ready: false,
      state: { terminated: { exitCode: 1, reason: 'OOMKilled', message: 'out of memory' } },
    });
    const listed = await jd('GET', '/regions/cn-north-1/pods', {
      query: { 'filters.1.name': 'phase', 'filters.1.values.1': 'error' },
    });
    expect(listed.body.result.pods.map((p: { podId: string }) => p.podId)).toEqual([podId]);
    const stop = await jd('POST', `/regions/cn-north-1/pods/${podId}:stopPod`);
    expect(stop.body.error).toMatchObject({ status: 'FAILED_PRECONDITION' });
    expect((await jd('DELETE', `/regions/cn-north-1/pods/${podId}`)).status).toBe(200);
  });

  it('fails a pending pod before it ever ran, with a default reason', async () => {
    const podId = await createPod();
    const failed = await podAction(podId, 'fail');
    expect(failed.body.phase).toBe('error');
    await advanceClock(3_600_000);
    const pod = (await jd('GET', `/regions/cn-north-1/pods/${podId}`)).body.result.pod;
    expect(pod.podStatus).toMatchObject({ phase: 'error', reason: 'Error' });
    expect(pod.containers[0].containerStatus.state.waiting).toMatchObject({ reason: 'Error' });
  });
});
