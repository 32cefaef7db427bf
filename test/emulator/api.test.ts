import { beforeEach, describe, expect, it } from 'vitest';
import { advanceClock, control, createPod, jd, podSpec } from './helpers';

beforeEach(async () => {
  await control('POST', 'reset');
  await control('POST', 'clock', { freeze: true });
});

const pods = '/regions/cn-north-1/pods';

describe('createPods', () => {
  it('answers 400 INVALID_ARGUMENT naming the offending field', async () => {
    const cases: [unknown, RegExp][] = [
      [{ podSpec: podSpec(), maxCount: 0 }, /maxCount/],
      [{ podSpec: podSpec(), maxCount: 101 }, /maxCount/],
      [{ maxCount: 1 }, /podSpec: is required/],
      [{ podSpec: podSpec({ name: 'Bad_Name' }), maxCount: 1 }, /podSpec\.name/],
      [{ podSpec: podSpec({ az: 'cn-east-2a' }), maxCount: 1 }, /podSpec\.az/],
      [{ podSpec: podSpec({ instanceType: 'x.huge' }), maxCount: 1 }, /podSpec\.instanceType/],
      [
        {
          podSpec: podSpec({
            primaryNetworkInterface: { networkInterface: { subnetId: 'net-1' } },
          }),
          maxCount: 1,
        },
        /podSpec\.primaryNetworkInterface\.networkInterface\.subnetId/,
      ],
      [
        {
          podSpec: podSpec({
            containers: [
              { name: 'app', image: 'nginx', systemDisk: { sizeGB: 110 }, env: [{ name: 'A-B' }] },
            ],
          }),
          maxCount: 1,
        },
        /podSpec\.containers\[0\]\.env\[0\]\.name/,
      ],
    ];
    for (const [body, field] of cases) {
      const answer = await jd('POST', pods, { body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error?.status).toBe('INVALID_ARGUMENT');
      expect(answer.body.error?.message).toMatch(field);
    }
    expect((await jd('GET', pods)).body.result.totalCount).toBe(0);
  });

  it('tolerates Go/Python bodies: path params in the body and nulls', async () => {
    const body = {
      regionId: 'cn-north-1',
      podSpec: { ...podSpec(), description: null, hostAliases: null },
      maxCount: 1,
      clientToken: null,
    };
    const answer = await jd('POST', pods, { body });
    expect(answer.status).toBe(200);
  });

  it('returns the first result for a repeated clientToken and creates nothing more', async () => {
    const body = { podSpec: podSpec(), maxCount: 2, clientToken: 'once-only' };
    const first = await jd('POST', pods, { body });
    const again = await jd('POST', pods, { body });
    expect(first.body.result.podIds).toHaveLength(2);
    expect(again.body.result).toEqual(first.body.result);
    expect((await jd('GET', pods)).body.result.totalCount).toBe(2);
  });

  it('answers 429 QUOTA_EXCEEDED past the region quota, and describeQuota agrees', async () => {
    await control('PUT', 'quota', { regionId: 'cn-north-1', resourceType: 'pod', limit: 2 });
    await createPod({ name: 'a' });
    const over = await jd('POST', pods, { body: { podSpec: podSpec({ name: 'b' }), maxCount: 2 } });
    expect(over.status).toBe(429);
    expect(over.body.error?.status).toBe('QUOTA_EXCEEDED');
    await createPod({ name: 'b' });
    const quota = await jd('GET', '/regions/cn-north-1/quotas', { query: { resourceType: 'pod' } });
    expect(quota.body.result.quota).toEqual({ resourceType: 'pod', limit: 2, used: 2 });
    const otherRegion = await createPod({ name: 'c', az: 'cn-south-1a' }, 'cn-south-1');
    expect(otherRegion).toMatch(/^pod-/);
  });

  it('refuses a duplicate name in the region', async () => {
    await createPod({ name: 'same' });
    const dup = await jd('POST', pods, {
      body: { podSpec: podSpec({ name: 'same' }), maxCount: 1 },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error?.status).toBe('ALREADY_EXISTS');
  });
});

describe('describePods', () => {
  it('filters exact and fuzzy, by tags, and paginates with totalCount', async () => {
    for (let i = 0; i < 12; i++) {
      await createPod({
        name: `svc-${i}`,
        userTags: [{ key: 'tier', value: i % 2 ? 'odd' : 'even' }],
      });
    }
    await createPod({ name: 'other', az: 'cn-north-1b' });
    const page2 = await jd('GET', pods, { query: { pageNumber: 2, pageSize: 10 } });
    expect(page2.body.result.totalCount).toBe(13);
    expect(page2.body.result.pods).toHaveLength(3);

    const fuzzy = await jd('GET', pods, {
      query: { 'filters.1.name': 'name', 'filters.1.values.1': 'svc-1' },
    });
    expect(fuzzy.body.result.pods.map((p: { name: string }) => p.name).sort()).toEqual([
      'svc-1',
      'svc-10',
      'svc-11',
    ]);

    const exact = await jd('GET', pods, {
      query: {
        'filters.1.name': 'az',
        'filters.1.values.1': 'cn-north-1b',
        'filters.1.values.2': 'cn-north-1c',
      },
    });
    expect(exact.body.result.totalCount).toBe(1);
    const partialAz = await jd('GET', pods, {
      query: { 'filters.1.name': 'az', 'filters.1.values.1': 'cn-north' },
    });
    expect(partialAz.body.result.totalCount).toBe(0);

    const tagged = await jd('GET', pods, {
      query: { 'tags.1.key': 'tier', 'tags.1.values.1': 'odd' },
    });
    expect(tagged.body.result.totalCount).toBe(6);

    const phase = await jd('GET', pods, {
      query: { 'filters.1.name': 'phase', 'filters.1.values.1': 'running' },
    });
    expect(phase.body.result.totalCount).toBe(0);
    await advanceClock(2000);
    const running = await jd('GET', pods, {
      query: { 'filters.1.name': 'phase', 'filters.1.values.1': 'running' },
    });
    expect(running.body.result.totalCount).toBe(13);
  });

  it('refuses pageSize outside [10,100] and unknown filters', async () => {
    for (const pageSize of [9, 101]) {
      const answer = await jd('GET', pods, { query: { pageSize } });
      expect(answer.status).toBe(400);
      expect(answer.body.error?.message).toMatch(/pageSize/);
    }
    const unknown = await jd('GET', pods, {
      query: { 'filters.1.name': 'color', 'filters.1.values.1': 'x' },
    });
    expect(unknown.body.error?.message).toMatch(/filters\.1\.name/);
  });
});

describe('containers, logs and catalogue', () => {
  it('serves deterministic logs honouring tailLines and limitBytes', async () => {
    const podId = await createPod();
    await advanceClock(2000 + 9000);
    const path = `${pods}/${podId}/containers/app:getContainerLogs`;
    const tail = await jd('GET', path, { query: { tailLines: 2 } });
    const lines = tail.body.result.logs.content.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/Z nginx:1\.25 app: line 10$/);
    const limited = await jd('GET', path, { query: { limitBytes: 16 } });
    expect(new TextEncoder().encode(limited.body.result.logs.content)).toHaveLength(16);
    const tooMuch = await jd('GET', path, { query: { limitBytes: 4097 } });
    expect(tooMuch.body.error?.message).toMatch(/limitBytes/);
  });

  it('describes a container and 404s an unknown one', async () => {
    const podId = await createPod();
    const ok = await jd('GET', `${pods}/${podId}/containers/app`);
    expect(ok.body.result.container.containerStatus.state.waiting.reason).toBe('ContainerCreating');
    expect((await jd('GET', `${pods}/${podId}/containers/nope`)).status).toBe(404);
  });

  it('lists instance types filtered by name', async () => {
    const answer = await jd('GET', '/regions/cn-east-2/instanceTypes', {
      query: { 'filters.1.name': 'instanceTypes', 'filters.1.values.1': 'g.n2.large' },
    });
    expect(answer.body.result.instanceTypes).toEqual([
      expect.objectContaining({ instanceType: 'g.n2.large', cpu: 2, memoryMB: 8192 }),
    ]);
    expect(answer.body.result.instanceTypes[0].state.map((s: { az: string }) => s.az)).toEqual([
      'cn-east-2a',
      'cn-east-2b',
    ]);
  });

  it('refuses an unknown region', async () => {
    const answer = await jd('GET', '/regions/us-west-1/pods');
    expect(answer.status).toBe(400);
    expect(answer.body.error?.message).toMatch(/regionId/);
  });
});
