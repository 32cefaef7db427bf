import { describe, expect, it } from 'vitest';
import { decodePod, type Pod } from './pod';
import { prepareForCreate } from './prepare-create';
import { formatFieldError, invalid } from './status';
import { prepareForUpdate, validatePodUpdate } from './validate-update';

const stored: Pod = {
  ...prepareForCreate(
    decodePod({
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        activeDeadlineSeconds: 100,
        tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }],
        containers: [
          { name: 'a', image: 'nginx:1.24' },
          { name: 'b', image: 'redis:7' },
        ],
      },
    }),
    { uid: 'u-1', now: new Date('2024-01-01T00:00:00Z'), namespace: 'default' },
  ),
  status: { phase: 'Running', podIP: '10.0.0.5' },
};

/** Applies `edit` to a copy of the stored pod and runs prepare + validate, like an update. */
function update(edit: (p: Pod) => void) {
  const next = structuredClone(stored);
  edit(next);
  const prepared = prepareForUpdate(next, stored);
  return { prepared, errors: validatePodUpdate(prepared, stored).map(formatFieldError) };
}

describe('prepareForUpdate', () => {
  it('keeps the stored status and resets the §1a metadata', () => {
    const { prepared, errors } = update((p) => {
      p.status = { phase: 'Failed' };
      p.metadata.generation = 99;
      p.metadata.creationTimestamp = '2030-01-01T00:00:00Z';
      delete p.metadata.uid;
    });
    expect(errors).toEqual([]);
    expect(prepared.status).toEqual(stored.status);
    expect(prepared.metadata).toMatchObject({
      generation: 1,
      uid: 'u-1',
      creationTimestamp: '2024-01-01T00:00:00Z',
    });
  });

  it('bumps generation only when the spec changed', () => {
    expect(update((p) => (p.metadata.labels = { app: 'x' })).prepared.metadata.generation).toBe(1);
    const { prepared } = update((p) => {
      (p.spec.containers[0] as { image: string }).image = 'nginx:1.25';
    });
    expect(prepared.metadata.generation).toBe(2);
  });
});

describe('validatePodUpdate', () => {
  it('allows image, label, annotation changes, deadline decrease and toleration additions', () => {
    const { errors } = update((p) => {
      (p.spec.containers[1] as { image: string }).image = 'redis:8';
      p.metadata.labels = { app: 'web', tier: 'front' };
      p.metadata.annotations = { note: 'x' };
      p.spec.activeDeadlineSeconds = 50;
      p.spec.tolerations = [
        { key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 },
        { key: 'new', operator: 'Equal', value: 'v' },
      ];
    });
    expect(errors).toEqual([]);
  });

  it('rejects bad images', () => {
    expect(update((p) => (p.spec.containers[0] = { name: 'a', image: '' })).errors).toContain(
      'spec.containers[0].image: Required value',
    );
    expect(
      update((p) => (p.spec.containers[0] = { ...p.spec.containers[0], name: 'a', image: 'x ' }))
        .errors,
    ).toEqual([
      'spec.containers[0].image: Invalid value: "x ": must not have leading or trailing whitespace',
    ]);
  });

  it('stops at added or removed containers', () => {
    expect(update((p) => p.spec.containers.pop()).errors).toEqual([
      'spec.containers: Forbidden: pod updates may not add or remove containers',
    ]);
  });

  it('rejects immutable metadata, generation decrement aside', () => {
    expect(update((p) => (p.metadata.name = 'other')).errors).toEqual([
      'metadata.name: Invalid value: "other": field is immutable',
    ]);
    expect(update((p) => (p.metadata.uid = 'u-2')).errors).toEqual([
      'metadata.uid: Invalid value: "u-2": field is immutable',
    ]);
    expect(update((p) => (p.metadata.labels = { 'a b': 'x' })).errors[0]).toMatch(
      /^metadata\.labels: Invalid value: "a b"/,
    );
  });

  it('enforces activeDeadlineSeconds rules', () => {
    expect(update((p) => (p.spec.activeDeadlineSeconds = 200)).errors).toEqual([
      'spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value',
    ]);
    expect(update((p) => delete p.spec.activeDeadlineSeconds).errors).toEqual([
      'spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value',
    ]);
    expect(update((p) => (p.spec.activeDeadlineSeconds = -1)).errors).toEqual([
      'spec.activeDeadlineSeconds: Invalid value: -1: must be between 0 and 2147483647, inclusive',
    ]);
  });

  it('forbids modifying an existing toleration', () => {
    expect(
      update((p) => (p.spec.tolerations = [{ key: 'other', operator: 'Exists' }])).errors,
    ).toEqual([
      'spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds',
    ]);
  });

  it('forbids any other spec change with the recent-release message and a diff', () => {
    const { errors } = update((p) => {
      p.spec.restartPolicy = 'Never';
      (p.spec.containers[0] as { image: string }).image = 'nginx:2';
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBe(
      'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n  core.PodSpec{\n- \trestartPolicy: "Always",\n+ \trestartPolicy: "Never",\n  }',
    );
    const status = invalid(
      'Pod',
      'web',
      validatePodUpdate(update((p) => (p.spec.nodeName = 'n1')).prepared, stored),
    ).status;
    expect(status.details?.causes?.[0]).toMatchObject({
      reason: 'FieldValueForbidden',
      field: 'spec',
    });
    expect(status.message).toMatch(
      /^Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than /,
    );
  });

  it('accepts a body without the defaults the server added (they are re-applied)', () => {
    const { errors } = update((p) => {
      p.spec = {
        containers: p.spec.containers.map(({ name, image }) => ({ name, image })),
        activeDeadlineSeconds: 100,
        tolerations: p.spec.tolerations,
      };
    });
    expect(errors).toEqual([]);
  });
});
