/**
 * Hardening over HTTP (issue 17), one test per class the security review reproduced: work
 * bounded by size (patch growth, hostile quantities), limits whatever the media type, DeleteOptions
 * checked, own keys in selectors, the namespace's network allow-list, request ids and nosniff.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { PodList } from '../../src/k8s/pod';
import {
  api,
  apiJson,
  emulator,
  jdOperations,
  podManifest,
  resetGateway,
} from '../support/gateway';

const NS = '/api/v1/namespaces/default/pods';

beforeEach(async () => {
  await emulator.reset();
  await resetGateway();
});

async function statusOf(res: Response) {
  const body = (await res.json()) as { kind: string; code: number; message: string };
  expect(body).toMatchObject({ kind: 'Status', code: res.status });
  return body;
}

describe('work bounded by size', () => {
  it('refuses a doubling JSON-patch quickly with 422, while a reader of the namespace is served', async () => {
    await apiJson('POST', NS, 201, { body: podManifest('web', {}, { app: 'web' }) });
    const ops: object[] = [
      { op: 'add', path: '/metadata/annotations', value: { seed: 'x'.repeat(200) } },
    ];
    for (let i = 0; i < 30; i++) {
      ops.push({ op: 'copy', from: '/metadata/annotations', path: `/metadata/annotations/c${i}` });
    }
    const started = Date.now();
    const [patched, listed] = await Promise.all([
      api('PATCH', `${NS}/web`, { body: ops, contentType: 'application/json-patch+json' }),
      api('GET', NS),
    ]);
    expect(patched.status).toBe(422);
    const status = (await patched.json()) as { details?: { causes?: { message: string }[] } };
    expect(status.details?.causes?.[0]?.message).toMatch(/accumulated size increase of copy/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(listed.status).toBe(200);
    const pod = await apiJson('GET', `${NS}/web`, 200);
    expect(pod.metadata.annotations).toBeUndefined();
  });

  it('answers a pod with a hostile quantity of 200 KB with 422, not seconds of CPU', async () => {
    const cpu = `${'1'.repeat(200_000)}x`;
    const started = Date.now();
    const res = await api('POST', NS, {
      body: podManifest('q', {
        containers: [{ name: 'app', image: 'nginx', resources: { limits: { cpu } } }],
      } as never),
    });
    expect(res.status).toBe(422);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses deep apply-patch and DELETE bodies with 400 whatever their Content-Type says', async () => {
    const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
    const apply = await api('PATCH', `${NS}/web?fieldManager=x`, {
      body: deep,
      contentType: 'application/apply-patch+yaml',
    });
    expect(apply.status).toBe(400);
    const del = await api('DELETE', `${NS}/web`, { body: deep, contentType: 'text/plain' });
    expect(del.status).toBe(400);
    expect((await statusOf(del)).message).toMatch(/nested more than 100 levels/);
  });
});

describe('DeleteOptions', () => {
  it('answers a mistyped or out-of-range grace period with 400/422 naming the field', async () => {
    await apiJson('POST', NS, 201, { body: podManifest('web') });
    const typed = await api('DELETE', `${NS}/web`, { body: { gracePeriodSeconds: '30' } });
    expect(typed.status).toBe(400);
    expect((await statusOf(typed)).message).toContain('DeleteOptions.gracePeriodSeconds');
    const huge = await api('DELETE', `${NS}/web?gracePeriodSeconds=99999999999999`);
    expect(huge.status).toBe(422);
    expect((await statusOf(huge)).message).toContain('gracePeriodSeconds: Invalid value');
    const policy = await api('DELETE', `${NS}/web?propagationPolicy=Sideways`);
    expect(policy.status).toBe(422);
    expect((await statusOf(policy)).message).toContain('propagationPolicy: Unsupported value');
    // The pod is untouched by all of these.
    const pod = await apiJson('GET', `${NS}/web`, 200);
    expect(pod.metadata.deletionTimestamp).toBeUndefined();
  });
});

describe('own keys only', () => {
  it('does not match labelSelector=constructor against every pod', async () => {
    await apiJson('POST', NS, 201, { body: podManifest('web', {}, { app: 'web' }) });
    for (const selector of ['constructor', 'toString', '__proto__']) {
      const res = await api('GET', `${NS}?labelSelector=${selector}`);
      if (res.status === 200) expect(((await res.json()) as PodList).items).toEqual([]);
      else expect(res.status).toBe(400);
    }
    const all = await apiJson<PodList>('GET', `${NS}?labelSelector=!constructor`, 200);
    expect(all.items.map((p) => p.metadata.name)).toEqual(['web']);
  });
});

describe('network allow-list', () => {
  it("refuses another namespace's subnet with 422 naming the annotation and namespace, before JD", async () => {
    await emulator.clearCalls();
    const manifest = podManifest('web') as { metadata: Record<string, unknown> };
    manifest.metadata.annotations = {
      'jdcloud.com/subnet-id': 'subnet-dev0east',
      'jdcloud.com/security-group-ids': 'sg-dev0east',
    };
    const res = await api('POST', NS, { body: manifest });
    expect(res.status).toBe(422);
    const { message } = await statusOf(res);
    expect(message).toContain('metadata.annotations[jdcloud.com/subnet-id]');
    expect(message).toContain('metadata.annotations[jdcloud.com/security-group-ids]');
    expect(message).toContain('namespace "default"');
    expect(await jdOperations()).not.toContain('createPods');
  });
});

describe('request ids and nosniff', () => {
  it('keeps its own request id and says nosniff on every kind of response', async () => {
    const paths: [string, string, string | null][] = [
      ['GET', '/healthz', null],
      ['GET', NS, 'podgate-dev-admin'],
      ['GET', NS, null],
      ['GET', '/nowhere', null],
      ['GET', '/docs', null],
      ['GET', '/openapi/v3', 'podgate-dev-admin'],
      ['GET', `${NS}?watch=true&timeoutSeconds=1`, 'podgate-dev-admin'],
    ];
    for (const [method, path, token] of paths) {
      const res = await api(method, path, { token, headers: { 'X-Request-Id': 'caller-chosen' } });
      expect(res.headers.get('X-Content-Type-Options'), path).toBe('nosniff');
      expect(res.headers.get('X-Request-Id'), path).toMatch(/^[0-9a-f-]{36}$/);
      await res.body?.cancel();
    }
  });
});
