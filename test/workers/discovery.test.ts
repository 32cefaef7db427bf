import { describe, expect, it } from 'vitest';
import { api, apiJson } from '../support/gateway';

interface Resource {
  name: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

describe('discovery', () => {
  it('lists the legacy v1 API, the self-review groups and events.k8s.io', async () => {
    const versions = await apiJson<{ kind: string; versions: string[] }>('GET', '/api', 200);
    expect(versions).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = await apiJson<{ kind: string; groups: { name: string }[] }>('GET', '/apis', 200);
    expect(groups.kind).toBe('APIGroupList');
    // Pods are in the legacy group; the named ones hold kubectl auth's reviews and Events.
    expect(groups.groups.map((g) => g.name)).toEqual([
      'authentication.k8s.io',
      'authorization.k8s.io',
      'events.k8s.io',
    ]);
    const events = await apiJson<{ resources: Resource[] }>('GET', '/apis/events.k8s.io/v1', 200);
    expect(events.resources).toEqual([
      expect.objectContaining({
        name: 'events',
        namespaced: true,
        verbs: ['get', 'list', 'watch'],
      }),
    ]);
  });

  it('describes pods with their verbs, short name and category, and the subresources', async () => {
    const list = await apiJson<{ kind: string; groupVersion: string; resources: Resource[] }>(
      'GET',
      '/api/v1',
      200,
    );
    expect(list).toMatchObject({ kind: 'APIResourceList', groupVersion: 'v1' });
    const pods = list.resources.find((r) => r.name === 'pods');
    expect(pods).toMatchObject({ shortNames: ['po'], categories: ['all'], namespaced: true });
    expect(pods?.verbs).toEqual(
      expect.arrayContaining(['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']),
    );
    expect(list.resources.map((r) => r.name)).toEqual(
      expect.arrayContaining(['pods/log', 'pods/status']),
    );
    const events = list.resources.find((r) => r.name === 'events');
    expect(events).toMatchObject({ kind: 'Event', namespaced: true, shortNames: ['ev'] });
    expect(events?.verbs).toEqual(['get', 'list', 'watch']);
  });

  it('serves the pods/status it lists (the whole Pod, read-only)', async () => {
    await api('POST', '/api/v1/namespaces/default/pods', {
      body: { metadata: { name: 'st' }, spec: { containers: [{ name: 'a', image: 'nginx' }] } },
    });
    const pod = await apiJson<{ metadata: { name: string } }>(
      'GET',
      '/api/v1/namespaces/default/pods/st/status',
      200,
    );
    expect(pod.metadata.name).toBe('st');
    await api('DELETE', '/api/v1/namespaces/default/pods/st');
  });

  it('answers discovery only to authenticated callers, and /version to anyone', async () => {
    expect((await api('GET', '/api/v1', { token: null })).status).toBe(401);
    expect((await api('GET', '/openapi/v3', { token: null })).status).toBe(401);
    const version = await apiJson<{ major: string; gitVersion: string }>('GET', '/version', 200, {
      token: null,
    });
    expect(version.major).toBe('1');
    expect(version.gitVersion).toMatch(/^v1\.\d+\.\d+\+podgate/);
  });

  it('serves the pod GVK with fieldValidation on PATCH-able paths in /openapi/v3/api/v1', async () => {
    const index = await apiJson<{ paths: Record<string, { serverRelativeURL: string }> }>(
      'GET',
      '/openapi/v3',
      200,
    );
    const url = index.paths['api/v1']?.serverRelativeURL ?? '';
    expect(url).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9a-f]{64}$/);
    const doc = await apiJson<{
      paths: Record<string, Record<string, Record<string, unknown>>>;
      components: { schemas: Record<string, Record<string, unknown>> };
    }>('GET', url, 200);
    const create = doc.paths['/api/v1/namespaces/{namespace}/pods']?.post;
    expect(create?.['x-kubernetes-group-version-kind']).toEqual({
      group: '',
      version: 'v1',
      kind: 'Pod',
    });
    expect(create?.['x-kubernetes-action']).toBe('post');
    const params = create?.parameters as { name: string; in: string }[];
    expect(params).toContainEqual(
      expect.objectContaining({ name: 'fieldValidation', in: 'query' }),
    );
    expect(doc.components.schemas.Pod?.['x-kubernetes-group-version-kind']).toEqual([
      { group: '', version: 'v1', kind: 'Pod' },
    ]);
  });

  it('serves /openapi/v2 as a protobuf Document', async () => {
    const res = await api('GET', '/openapi/v2', {
      headers: { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toContain('protobuf');
    const bytes = new Uint8Array(await res.arrayBuffer());
    // Field 1 (swagger), length 3, "2.0".
    expect([...bytes.slice(0, 5)]).toEqual([0x0a, 3, 0x32, 0x2e, 0x30]);
  });
});
