/** Virtual nodes: one per JD availability zone, named in each placed pod's spec.nodeName. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Pod } from '../../src/k8s/pod';
import { api, apiJson, emulator, podManifest, resetGateway, VIEWER } from '../support/gateway';

const NS = '/api/v1/namespaces/default/pods';
type NodeList = {
  kind: string;
  items: { metadata: { name: string; labels: Record<string, string> } }[];
};

beforeEach(async () => {
  await emulator.reset();
  await resetGateway();
});

describe('virtual nodes', () => {
  it("lists one read-only node per configured zone, and places a pod on its zone's node", async () => {
    const nodes = await apiJson<NodeList>('GET', '/api/v1/nodes', 200);
    expect(nodes.kind).toBe('NodeList');
    expect(nodes.items.map((n) => n.metadata.name)).toEqual([
      'jdcloud-cn-east-2a',
      'jdcloud-cn-north-1a',
    ]);
    expect(nodes.items[1]?.metadata.labels['topology.kubernetes.io/zone']).toBe('cn-north-1a');
    const one = await apiJson<{ kind: string }>('GET', '/api/v1/nodes/jdcloud-cn-north-1a', 200);
    expect(one.kind).toBe('Node');
    expect((await api('GET', '/api/v1/nodes/elsewhere')).status).toBe(404);
    expect((await api('DELETE', '/api/v1/nodes/jdcloud-cn-north-1a')).status).toBe(404);

    const created = await apiJson<Pod>('POST', NS, 201, { body: podManifest('web') });
    expect(created.spec.nodeName).toBe('jdcloud-cn-north-1a');
    // A replace that leaves nodeName out (as a manifest does) keeps it.
    const { nodeName: _, ...spec } = created.spec;
    const replaced = await apiJson<Pod>('PUT', `${NS}/web`, 200, {
      body: { ...created, metadata: { ...created.metadata, labels: { app: 'web', x: 'y' } }, spec },
    });
    expect(replaced.spec.nodeName).toBe('jdcloud-cn-north-1a');
  });

  it('takes a cluster-wide grant, as listing every pod does', async () => {
    expect((await api('GET', '/api/v1/nodes', { token: VIEWER })).status).toBe(403);
  });
});
