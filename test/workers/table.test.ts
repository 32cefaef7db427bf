import { beforeEach, describe, expect, it } from 'vitest';
import type { Pod, PodList, Table } from '../../src/k8s/pod';
import { apiJson, emulator, podManifest, resetGateway } from '../support/gateway';

const NS = '/api/v1/namespaces/default/pods';
/** What kubectl 1.20–1.32 `get` sends. */
const TABLE_ACCEPT =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const asTable = { headers: { Accept: TABLE_ACCEPT } };

beforeEach(async () => {
  await emulator.reset();
  await resetGateway();
});

describe('server-side Table output', () => {
  it('renders a list as kubectl columns, with PartialObjectMetadata rows', async () => {
    await apiJson('POST', NS, 201, { body: podManifest('web', {}, { app: 'web' }) });
    await emulator.settle();
    const table = await apiJson<Table>('GET', `${NS}?limit=500`, 200, asTable);
    expect(table).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    expect(table.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(table.columnDefinitions?.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0],
      ['Ready', 0],
      ['Status', 0],
      ['Restarts', 0],
      ['Age', 0],
      ['IP', 1],
      ['Node', 1],
      ['Nominated Node', 1],
      ['Readiness Gates', 1],
    ]);
    const [row] = table.rows;
    expect(row?.cells.slice(0, 4)).toEqual(['web', '1/1', 'Running', '0']);
    expect(row?.cells[4]).toMatch(/^\d+s$/);
    expect(row?.cells[5]).toMatch(/^10\.0\.\d+\.\d+$/);
    expect(row?.object).toMatchObject({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    });
  });

  it('renders a single pod as a one-row Table, Terminating while it is deleted', async () => {
    await apiJson('POST', NS, 201, { body: podManifest('web') });
    await emulator.settle();
    await apiJson('GET', `${NS}/web`, 200);
    await apiJson('DELETE', `${NS}/web`, 200);
    const table = await apiJson<Table>('GET', `${NS}/web`, 200, asTable);
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0]?.cells.slice(0, 3)).toEqual(['web', '0/1', 'Terminating']);
  });

  it('renders the all-namespaces list and honours includeObject', async () => {
    await apiJson('POST', '/api/v1/namespaces/staging/pods', 201, { body: podManifest('b') });
    const table = await apiJson<Table>('GET', '/api/v1/pods?includeObject=Object', 200, asTable);
    expect(table.rows[0]?.object).toMatchObject({
      kind: 'Pod',
      metadata: { namespace: 'staging' },
    });
    const none = await apiJson<Table>('GET', '/api/v1/pods?includeObject=None', 200, asTable);
    expect(none.rows[0]?.object).toBeUndefined();
    await apiJson('GET', '/api/v1/pods?includeObject=Everything', 400, asTable);
  });

  it('keeps PodList and Pod for every other Accept', async () => {
    await apiJson('POST', NS, 201, { body: podManifest('web') });
    const list = await apiJson<PodList>('GET', NS, 200, {
      headers: { Accept: 'application/json' },
    });
    expect(list.kind).toBe('PodList');
    const pod = await apiJson<Pod>('GET', `${NS}/web`, 200, {
      headers: { Accept: 'application/json, */*' },
    });
    expect(pod.kind).toBe('Pod');
  });
});
