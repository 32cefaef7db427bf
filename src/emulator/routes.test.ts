import { describe, expect, it } from 'vitest';
import { matchRoute } from './routes';

describe('route table', () => {
  it('matches actions spelled raw or percent-encoded', () => {
    const expected = {
      operation: 'rebuildPod',
      params: { regionId: 'cn-north-1', podId: 'pod-abc' },
    };
    expect(matchRoute('POST', '/v1/regions/cn-north-1/pods/pod-abc:rebuild')).toEqual(expected);
    expect(matchRoute('POST', '/v1/regions/cn-north-1/pods/pod-abc%3Arebuild')).toEqual(expected);
    expect(matchRoute('POST', '/v1/regions/cn-north-1/pods/pod-abc%3arebuild')).toEqual(expected);
  });

  it('tells collection, item and action routes apart by method and path', () => {
    expect(matchRoute('GET', '/v1/regions/cn-east-2/pods')?.operation).toBe('describePods');
    expect(matchRoute('POST', '/v1/regions/cn-east-2/pods')?.operation).toBe('createPods');
    expect(matchRoute('POST', '/v1/regions/cn-east-2/pods%3AcheckPodName')?.operation).toBe(
      'checkPodName',
    );
    expect(matchRoute('DELETE', '/v1/regions/cn-east-2/pods/pod-1')?.operation).toBe('deletePod');
    expect(
      matchRoute('PATCH', '/v1/regions/cn-east-2/pods/pod-1:modifyPodAttribute')?.operation,
    ).toBe('modifyPodAttribute');
    expect(matchRoute('GET', '/v1/regions/r/pods/p/containers/c%3AgetContainerLogs')).toEqual({
      operation: 'getContainerLogs',
      params: { regionId: 'r', podId: 'p', containerName: 'c' },
    });
    expect(matchRoute('POST', '/v1/regions/r/configFiles/cf:update')?.operation).toBe(
      'updateConfigFile',
    );
  });

  it('does not match wrong methods, unknown actions or extra segments', () => {
    expect(matchRoute('GET', '/v1/regions/r/pods/p:stopPod')).toBeUndefined();
    expect(matchRoute('POST', '/v1/regions/r/pods/p:explode')).toBeUndefined();
    expect(matchRoute('GET', '/v1/regions/r/pods/p/q')).toBeUndefined();
    expect(matchRoute('GET', '/v2/regions/r/pods')).toBeUndefined();
  });
});
