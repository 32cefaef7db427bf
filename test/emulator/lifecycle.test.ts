import { beforeEach, describe, expect, it } from 'vitest';
import { advanceClock, control, createPod, jd, phaseOf } from './helpers';

beforeEach(async () => {
  await control('POST', 'reset');
  await control('PUT', 'settings', { transitionMs: 1000 });
  await control('POST', 'clock', { freeze: true });
});

describe('pod lifecycle over HTTP', () => {
  it('creates pending, runs after the transition, and describes JD field names', async () => {
    const podId = await createPod({ userTags: [{ key: 'team', value: 'core' }] });
    expect(podId).toMatch(/^pod-[a-z0-9]{10}$/);
    expect(await phaseOf(podId)).toBe('pending');
    await advanceClock(999);
    expect(await phaseOf(podId)).toBe('pending');
    await advanceClock(1);
    const { status, body, requestIdHeader } = await jd('GET', `/regions/cn-north-1/pods/${podId}`);
    expect(status).toBe(200);
    expect(requestIdHeader).toBe(body.requestId);
    const pod = body.result.pod;
    expect(pod.podStatus.phase).toBe('running');
    expect(pod.podStatus.podIP).toBe(pod.privateIpAddress);
    expect(pod.privateIpAddress).toMatch(/^10\.0\.\d+\.\d+$/);
    expect(pod.podStatus.conditions).toEqual([
      expect.objectContaining({ conditionType: 'Ready', status: 'True' }),
    ]);
    expect(pod.createTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(pod.tags).toEqual([{ key: 'team', value: 'core' }]);
    expect(pod.containers[0].containerStatus).toMatchObject({
      name: 'app',
      restartCount: 0,
      ready: true,
      state: { running: { startedAt: expect.any(String) } },
    });
  });

  it('stops, rebuilds only when stopped, starts with restartCount kept, then deletes', async () => {
    const podId = await createPod();
    const pod = `/regions/cn-north-1/pods/${podId}`;
    await advanceClock(1000);

    const early = await jd('POST', `${pod}:rebuild`, {
      body: { containers: [{ name: 'app', image: 'nginx:1.26' }] },
    });
    expect(early.status).toBe(400);
    expect(early.body.error).toMatchObject({ code: 400, status: 'FAILED_PRECONDITION' });

    expect((await jd('POST', `${pod}:stopPod`, { body: {} })).status).toBe(200);
    expect(await phaseOf(podId)).toBe('stopping');
    await advanceClock(1000);
    expect(await phaseOf(podId)).toBe('stopped');

    expect((await jd('POST', `${pod}:startPod`, { body: {} })).status).toBe(200);
    await advanceClock(1000);
    expect((await jd('POST', `${pod}:stopPod`, { body: {} })).status).toBe(200);
    await advanceClock(1000);

    const rebuilt = await jd('POST', `${pod}:rebuild`, {
      body: { containers: [{ name: 'app', image: 'nginx:1.26' }] },
    });
    expect(rebuilt.status).toBe(200);
    expect(await phaseOf(podId)).toBe('rebuilding');
    await advanceClock(1000);
    const stopped = (await jd('GET', pod)).body.result.pod;
    expect(stopped.podStatus.phase).toBe('stopped');
    expect(stopped.containers[0].image).toBe('nginx:1.26');
    expect(stopped.containers[0].containerStatus.restartCount).toBe(1);

    expect((await jd('POST', `${pod}:startPod`, { body: {} })).status).toBe(200);
    await advanceClock(1000);
    const running = (await jd('GET', pod)).body.result.pod;
    expect(running.podStatus.phase).toBe('running');
    expect(running.containers[0].containerStatus.restartCount).toBe(2);
    expect(running.containers[0].containerStatus.lastState.terminated).toBeDefined();

    expect((await jd('DELETE', pod)).status).toBe(200);
    expect(await phaseOf(podId)).toBe('deleting');
    await advanceClock(1000);
    const gone = await jd('GET', pod);
    expect(gone.status).toBe(404);
    expect(gone.body.error).toMatchObject({ code: 404, status: 'NOT_FOUND' });
  });

  it('answers the raw-colon spelling of an action like the %3A one', async () => {
    const podId = await createPod();
    await advanceClock(1000);
    const answer = await jd('POST', `/regions/cn-north-1/pods/${podId}`, { body: {} });
    expect(answer.status).toBe(404);
    const { signRequest } = await import('../../src/jdcloud/signature');
    const url = `http://jdcloud-emulator.test/v1/regions/cn-north-1/pods/${podId}:stopPod`;
    const headers = await signRequest({
      method: 'POST',
      url,
      body: '{}',
      credentials: { accessKeyId: 'podgate-dev-ak', secretAccessKey: 'podgate-dev-sk' },
      region: 'cn-north-1',
    });
    const { send } = await import('./helpers');
    expect((await send(new Request(url, { method: 'POST', headers, body: '{}' }))).status).toBe(
      200,
    );
    expect(await phaseOf(podId)).toBe('stopping');
  });

  it('refuses stopPod on a stopped pod and startPod on a running one', async () => {
    const podId = await createPod();
    await advanceClock(1000);
    const start = await jd('POST', `/regions/cn-north-1/pods/${podId}:startPod`, { body: {} });
    expect(start.body.error?.status).toBe('FAILED_PRECONDITION');
    await jd('POST', `/regions/cn-north-1/pods/${podId}:stopPod`, { body: {} });
    const again = await jd('POST', `/regions/cn-north-1/pods/${podId}:stopPod`, { body: {} });
    expect(again.body.error?.status).toBe('FAILED_PRECONDITION');
  });

  it('keeps pods per region', async () => {
    const podId = await createPod({ az: 'cn-east-2b' }, 'cn-east-2');
    expect((await jd('GET', `/regions/cn-east-2/pods/${podId}`)).status).toBe(200);
    expect((await jd('GET', `/regions/cn-north-1/pods/${podId}`)).status).toBe(404);
  });
});
