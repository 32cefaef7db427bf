/** `kubectl auth can-i` and `kubectl auth whoami`, answered from podgate's roles. */
import { describe, expect, it } from 'vitest';
import type { Status } from '../../src/k8s/status';
import { api, apiJson, VIEWER } from '../support/gateway';

const SSAR = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
type Review = {
  status: { allowed: boolean; resourceRules?: { resources: string[]; verbs: string[] }[] };
};

const canI = async (token: string | undefined, attrs: object) =>
  (
    await apiJson<Review>('POST', SSAR, 201, {
      ...(token ? { token } : {}),
      body: {
        kind: 'SelfSubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        spec: { resourceAttributes: attrs },
      },
    })
  ).status.allowed;

describe('SelfSubjectAccessReview', () => {
  it('allows the admin everything podgate does, anywhere', async () => {
    expect(await canI(undefined, { verb: 'delete', resource: 'pods', namespace: 'default' })).toBe(
      true,
    );
    expect(await canI(undefined, { verb: 'list', resource: 'pods' })).toBe(true);
    expect(
      await canI(undefined, {
        verb: 'get',
        resource: 'pods',
        subresource: 'log',
        namespace: 'default',
      }),
    ).toBe(true);
  });

  it('allows the viewer reads in its namespace only, and no writes', async () => {
    expect(await canI(VIEWER, { verb: 'get', resource: 'pods', namespace: 'default' })).toBe(true);
    expect(await canI(VIEWER, { verb: 'watch', resource: 'pods', namespace: 'default' })).toBe(
      true,
    );
    expect(await canI(VIEWER, { verb: 'create', resource: 'pods', namespace: 'default' })).toBe(
      false,
    );
    expect(await canI(VIEWER, { verb: 'list', resource: 'pods' })).toBe(false);
    expect(await canI(VIEWER, { verb: 'get', resource: 'pods', namespace: 'staging' })).toBe(false);
  });

  it('says no for resources podgate does not serve', async () => {
    expect(await canI(undefined, { verb: 'get', resource: 'secrets', namespace: 'default' })).toBe(
      false,
    );
    expect(await canI(undefined, { verb: 'get', group: 'apps', resource: 'deployments' })).toBe(
      false,
    );
  });

  it('refuses a review with neither attribute set, with 422 naming the field', async () => {
    const status = await apiJson<Status>('POST', SSAR, 422, { body: { spec: {} } });
    expect(status.message).toContain('spec.resourceAttributes: Invalid value');
  });

  it('needs a caller', async () => {
    const res = await api('POST', SSAR, { token: null, body: { spec: {} } });
    expect(res.status).toBe(401);
  });
});

describe('SelfSubjectRulesReview and SelfSubjectReview', () => {
  it("lists the viewer's verbs on pods in its namespace, none elsewhere", async () => {
    const path = '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews';
    const rules = async (namespace: string) =>
      (await apiJson<Review>('POST', path, 201, { token: VIEWER, body: { spec: { namespace } } }))
        .status.resourceRules ?? [];
    const pods = (await rules('default')).find((r) => r.resources[0] === 'pods');
    expect(pods?.verbs).toEqual(['get', 'list', 'watch']);
    expect((await rules('staging')).some((r) => r.resources[0] === 'pods')).toBe(false);
  });

  it('tells the caller who podgate thinks it is', async () => {
    const review = await apiJson<{ status: { userInfo: { username: string; groups: string[] } } }>(
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      201,
      { token: VIEWER, body: {} },
    );
    expect(review.status.userInfo.username).toBe('dev-viewer');
    expect(review.status.userInfo.groups).toContain('system:authenticated');
  });

  it('lists both groups in discovery', async () => {
    const groups = await apiJson<{ groups: { name: string }[] }>('GET', '/apis', 200);
    expect(groups.groups.map((g) => g.name)).toEqual(
      expect.arrayContaining(['authentication.k8s.io', 'authorization.k8s.io']),
    );
    const list = await apiJson<{ resources: { name: string; verbs: string[] }[] }>(
      'GET',
      '/apis/authorization.k8s.io/v1',
      200,
    );
    expect(list.resources.map((r) => r.name)).toEqual([
      'selfsubjectaccessreviews',
      'selfsubjectrulesreviews',
    ]);
  });
});
