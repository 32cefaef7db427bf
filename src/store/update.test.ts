import { describe, expect, it } from 'vitest';
import type { Pod } from '../k8s/pod';
import { prepareForCreate } from '../k8s/prepare-create';
import { StatusError } from '../k8s/status';
import { preparePodUpdate } from './update';

const stored: Pod = {
  ...prepareForCreate(
    {
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
      status: {},
    } as Pod,
    { uid: 'u-1', now: new Date('2026-01-01T00:00:00Z'), namespace: 'default' },
  ),
};
stored.metadata.resourceVersion = '7';
const target = { namespace: 'default', name: 'web' };
const jsonPatch = (patch: unknown) =>
  ({ kind: 'patch', contentType: 'application/json-patch+json', patch }) as const;

function refusal(run: () => unknown): { code: number; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof StatusError) return { code: error.code, message: error.status.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('preparePodUpdate', () => {
  it('applies an image change and bumps generation, keeping the stored resourceVersion', () => {
    const next = preparePodUpdate(
      stored,
      jsonPatch([{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.26' }]),
      target,
    );
    expect(next?.spec.containers[0]?.image).toBe('nginx:1.26');
    expect(next?.metadata).toMatchObject({ generation: 2, resourceVersion: '7', uid: 'u-1' });
  });

  it('answers undefined for a change that changes nothing (a retried PATCH)', () => {
    const same = jsonPatch([
      { op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.25' },
    ]);
    expect(preparePodUpdate(stored, same, target)).toBeUndefined();
  });

  it('keeps generation for label changes', () => {
    const next = preparePodUpdate(
      stored,
      {
        kind: 'patch',
        contentType: 'application/merge-patch+json',
        patch: { metadata: { labels: { a: 'b' } } },
      },
      target,
    );
    expect(next?.metadata.generation).toBe(1);
    expect(next?.metadata.labels).toEqual({ app: 'web', a: 'b' });
  });

  it('treats a resourceVersion in the patch as a precondition', () => {
    const stale = {
      kind: 'patch',
      contentType: 'application/merge-patch+json',
      patch: { metadata: { resourceVersion: '6' } },
    } as const;
    expect(refusal(() => preparePodUpdate(stored, stale, target)).code).toBe(409);
    const current = { ...stale, patch: { metadata: { resourceVersion: '7', labels: { x: 'y' } } } };
    expect(preparePodUpdate(stored, current, target)?.metadata.labels).toMatchObject({ x: 'y' });
  });

  it('refuses another uid with the storage precondition message', () => {
    const body = { ...stored, metadata: { ...stored.metadata, uid: 'u-2', resourceVersion: '' } };
    const { code, message } = refusal(() =>
      preparePodUpdate(stored, { kind: 'put', body }, target),
    );
    expect(code).toBe(409);
    expect(message).toMatch(
      /Precondition failed: UID in precondition: u-2, UID in object meta: u-1$/,
    );
  });

  it('refuses an image JD Cloud cannot take with 422', () => {
    const huge = `nginx:${'x'.repeat(700)}`;
    const { code } = refusal(() =>
      preparePodUpdate(
        stored,
        jsonPatch([{ op: 'replace', path: '/spec/containers/0/image', value: huge }]),
        target,
      ),
    );
    expect(code).toBe(422);
  });
});
