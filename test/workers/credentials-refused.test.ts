/**
 * A wrong or rotated JD secret: JD Cloud answers every call 401 ACCESS_ERROR (as its gateway
 * does for a bad signature). A create must fail at once with a Status that names podgate's
 * credentials — never a 201 for a pod that waits forever — nothing is stored, and /readyz says
 * why until the secret is fixed.
 */
import { beforeEach, expect, it } from 'vitest';
import type { PodList } from '../../src/k8s/pod';
import type { Status } from '../../src/k8s/status';
import { api, apiJson, emulator, podManifest } from '../support/gateway';
import { freshCell, journal } from '../support/reliability';

const NS = '/api/v1/namespaces/default/pods';
const REFUSED = { status: 401, errorStatus: 'ACCESS_ERROR', message: 'signature mismatch[gw]' };

beforeEach(freshCell);

it('a create fails clearly, stores nothing, and /readyz says why', async () => {
  await emulator.fault('*', { ...REFUSED, count: 100 });
  const res = await api('POST', NS, { body: podManifest('web') });
  const status = (await res.json()) as Status;
  expect(res.status).toBe(503);
  expect(status.kind).toBe('Status');
  expect(status.message).toMatch(/JD Cloud refused podgate's credentials/);
  expect(status.message).toContain('JDCLOUD_SECRET_ACCESS_KEY');
  expect(await journal()).toEqual([]);

  const ready = await api('GET', '/readyz', { token: null });
  expect(ready.status).toBe(503);
  expect(((await ready.json()) as Status).message).toMatch(
    /not ready: JD Cloud refused podgate's credentials/,
  );

  await emulator.clearFaults();
  expect((await apiJson<PodList>('GET', NS, 200)).items).toEqual([]);
  expect((await api('GET', '/readyz', { token: null })).status).toBe(200);
});
