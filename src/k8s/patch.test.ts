import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { statusOf } from '../../test/support/status-of';
import { applyPatch } from './patch';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', resourceVersion: '7', labels: { app: 'web' }, finalizers: ['a'] },
  spec: {
    containers: [
      { name: 'a', image: 'nginx:1', env: [{ name: 'X', value: '1' }], command: ['run', 'x'] },
      { name: 'b', image: 'redis:7', ports: [{ containerPort: 80 }] },
    ],
    tolerations: [{ key: 'k', operator: 'Exists' }],
    volumes: [{ name: 'v', emptyDir: {} }],
  },
};

const JSON_PATCH = 'application/json-patch+json';
const MERGE = 'application/merge-patch+json';
const SMP = 'application/strategic-merge-patch+json';

describe('applyPatch dispatch', () => {
  it('strips charset and rejects unknown media types with 415', () => {
    expect(
      applyPatch(pod, `${MERGE}; charset=utf-8`, '{"metadata":{"labels":null}}').metadata,
    ).not.toHaveProperty('labels');
    const s = statusOf(() => applyPatch(pod, 'application/json', '{}'));
    expect(s.code).toBe(415);
    expect(s.message).toMatch(
      /^the body of the request was in an unknown format - accepted media types include: application\/json-patch\+json, /,
    );
  });

  it('does not mutate the current object', () => {
    const before = structuredClone(pod);
    applyPatch(pod, JSON_PATCH, [{ op: 'replace', path: '/spec/containers/0/image', value: 'x' }]);
    applyPatch(pod, SMP, { spec: { containers: [{ name: 'a', image: 'y' }] } });
    expect(pod).toEqual(before);
  });
});

describe('json-patch', () => {
  it('applies operations', () => {
    const out = applyPatch(
      pod,
      JSON_PATCH,
      '[{"op":"replace","path":"/spec/containers/0/image","value":"nginx:2"}]',
    );
    expect((out.spec as typeof pod.spec).containers[0]?.image).toBe('nginx:2');
  });

  it('turns any operation failure into the generic 422', () => {
    for (const ops of [
      [{ op: 'test', path: '/metadata/resourceVersion', value: '6' }],
      [{ op: 'replace', path: '/spec/nope/x', value: 1 }],
      [{ op: 'remove', path: '/spec/containers/9' }],
      [{ op: 'frobnicate', path: '/x' }],
    ]) {
      expect(statusOf(() => applyPatch(pod, JSON_PATCH, ops))).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'the server rejected our request due to an error in our request',
        reason: 'Invalid',
        code: 422,
      });
    }
  });

  it('answers 400 for an undecodable patch and 413 beyond 10000 ops', () => {
    expect(statusOf(() => applyPatch(pod, JSON_PATCH, '{not json')).code).toBe(400);
    expect(statusOf(() => applyPatch(pod, JSON_PATCH, '{"op":"add"}')).code).toBe(400);
    const many = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/kind', value: 'Pod' }));
    expect(statusOf(() => applyPatch(pod, JSON_PATCH, many)).code).toBe(413);
  });
});

describe('merge-patch', () => {
  it('replaces lists wholesale and deletes with null', () => {
    const out = applyPatch(pod, MERGE, {
      spec: { containers: [{ name: 'a', image: 'x' }] },
      metadata: { labels: { app: null, t: '1' } },
    });
    expect((out.spec as typeof pod.spec).containers).toEqual([{ name: 'a', image: 'x' }]);
    expect((out.metadata as typeof pod.metadata).labels).toEqual({ t: '1' });
  });
});

describe('strategic-merge-patch', () => {
  const smp = (patch: unknown) => applyPatch(pod, SMP, patch) as typeof pod;

  it('handles the body kubectl set image sends', () => {
    const out = smp({
      spec: {
        '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }],
        containers: [{ image: 'redis:8', name: 'b' }],
      },
    });
    expect(out.spec.containers.map((c) => [c.name, c.image])).toEqual([
      ['a', 'nginx:1'],
      ['b', 'redis:8'],
    ]);
    expect(out.spec.containers[1]?.ports).toEqual([{ containerPort: 80 }]);
  });

  it('merges nested keyed lists and replaces atomic ones', () => {
    const out = smp({
      spec: {
        containers: [{ name: 'a', env: [{ name: 'Y', value: '2' }], command: ['other'] }],
        tolerations: [{ key: 'z', operator: 'Exists' }],
      },
    });
    expect(out.spec.containers[0]?.env).toEqual([
      { name: 'X', value: '1' },
      { name: 'Y', value: '2' },
    ]);
    expect(out.spec.containers[0]?.command).toEqual(['other']);
    expect(out.spec.tolerations).toEqual([{ key: 'z', operator: 'Exists' }]);
  });

  it('understands $patch delete/replace, $retainKeys, $deleteFromPrimitiveList and new elements', () => {
    expect(
      smp({ spec: { containers: [{ name: 'b', $patch: 'delete' }] } }).spec.containers.map(
        (c) => c.name,
      ),
    ).toEqual(['a']);
    expect(
      smp({ spec: { containers: [{ name: 'c', image: 'x' }, { $patch: 'replace' }] } }).spec
        .containers,
    ).toEqual([{ name: 'c', image: 'x' }]);
    expect(
      smp({ spec: { containers: [{ name: 'c', image: 'x' }] } }).spec.containers.map((c) => c.name),
    ).toEqual(['a', 'b', 'c']);
    expect(
      smp({
        spec: {
          volumes: [{ name: 'v', $retainKeys: ['name', 'hostPath'], hostPath: { path: '/d' } }],
        },
      }).spec.volumes,
    ).toEqual([{ name: 'v', hostPath: { path: '/d' } }]);
    expect(
      smp({ metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }).metadata.finalizers,
    ).toEqual([]);
    expect(smp({ metadata: { finalizers: ['b', 'a'] } }).metadata.finalizers).toEqual(['a', 'b']);
    expect(smp({ metadata: { labels: { $patch: 'replace', x: '1' } } }).metadata.labels).toEqual({
      x: '1',
    });
    expect(smp({ spec: { containers: null } }).spec).not.toHaveProperty('containers');
  });

  it('rejects list items without their merge key', () => {
    const s = statusOf(() => smp({ spec: { containers: [{ image: 'x' }] } }));
    expect(s.code).toBe(400);
    expect(s.message).toBe('map: {"image":"x"} does not contain declared merge key: name');
  });

  it('agrees with merge-patch on documents without lists (property)', () => {
    const scalar = fc.oneof(fc.string(), fc.integer(), fc.boolean());
    const tree = fc.dictionary(
      fc.constantFrom('a', 'b', 'c'),
      fc.oneof(
        scalar,
        fc.constant(null),
        fc.dictionary(fc.constantFrom('x', 'y'), fc.oneof(scalar, fc.constant(null))),
      ),
    );
    fc.assert(
      fc.property(tree, tree, (base, patch) => {
        const current = JSON.parse(JSON.stringify(base, (_k, v) => v ?? undefined));
        expect(applyPatch(current, SMP, patch)).toEqual(applyPatch(current, MERGE, patch));
      }),
    );
  });
});
