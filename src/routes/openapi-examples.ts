/**
 * Realistic examples for the OpenAPI document (docs pages and generated clients show them).
 * Status examples come from the same builders the handlers throw, so their messages are the
 * ones a caller really gets; the linter checks every example against its schema.
 */
import { fieldRequired } from '../k8s/field-errors';
import {
  alreadyExists,
  forbidden,
  invalid,
  notFound,
  tooManyRequests,
  unauthorized,
} from '../k8s/status';

const podSpec = {
  containers: [
    {
      name: 'web',
      image: 'nginx:1.25',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
      resources: { requests: { cpu: '500m', memory: '512Mi' } },
    },
  ],
  restartPolicy: 'Always',
};

/** A pod as a caller creates it. */
export const newPodExample = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: podSpec,
};

/** The same pod as podgate returns it once JD Cloud runs it. */
export const podExample = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web',
    namespace: 'default',
    uid: '6f1c2c8e-3f5a-4d57-9a43-0b8f1e2d7c10',
    resourceVersion: '12',
    generation: 1,
    creationTimestamp: '2026-11-01T09:30:00Z',
    labels: { app: 'web' },
  },
  spec: podSpec,
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-11-01T09:30:41Z' }],
    podIP: '10.0.0.12',
    podIPs: [{ ip: '10.0.0.12' }],
    startTime: '2026-11-01T09:30:05Z',
    containerStatuses: [
      {
        name: 'web',
        ready: true,
        restartCount: 0,
        image: 'nginx:1.25',
        imageID: '',
        state: { running: { startedAt: '2026-11-01T09:30:40Z' } },
      },
    ],
    qosClass: 'Burstable',
  },
};

export const podListExample = {
  kind: 'PodList',
  apiVersion: 'v1',
  metadata: { resourceVersion: '12' },
  items: [podExample],
};

/** Patch bodies, one per patch media type: each rolls the `web` container to nginx 1.27. */
export const patchExamples = {
  'application/json-patch+json': {
    summary: 'Update the image of the first container (JSON patch, RFC 6902)',
    value: [{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.27' }],
  },
  'application/merge-patch+json': {
    summary: 'Add a label (JSON merge patch, RFC 7386: lists are replaced whole)',
    value: { metadata: { labels: { tier: 'front' } } },
  },
  'application/strategic-merge-patch+json': {
    summary: 'Update the image of the container named web (strategic merge: merged by name)',
    value: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
  },
};

export const statusExamples = {
  401: unauthorized().status,
  403: forbidden(
    'web',
    'User "ci" cannot delete resource "pods" in API group "" in the namespace "default"',
  ).status,
  404: notFound('web').status,
  409: alreadyExists('web').status,
  422: invalid('Pod', 'web', [fieldRequired('spec.containers[0].image')]).status,
  429: tooManyRequests('Too many requests, please try again later.', 12).status,
};
