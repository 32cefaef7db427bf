/**
 * `kubectl auth can-i` (SelfSubjectAccessReview, SelfSubjectRulesReview) and `kubectl auth
 * whoami` (SelfSubjectReview): create-only objects answered from the caller's podgate role
 * (auth/access-review.ts), as the apiserver answers them from RBAC. Nothing is stored.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import {
  type AccessReviewSpec,
  reviewAccess,
  reviewRules,
  userInfoOf,
  validateAccessReview,
} from '../auth/access-review';
import { principalOf } from '../auth/authenticate';
import { selfReviewSpec } from '../auth/proto/self-review-body';
import type { AppEnv } from '../lib/create-app';

const AUTHZ = 'authorization.k8s.io/v1';
const AUTHN = 'authentication.k8s.io/v1';

const created = (kind: string, apiVersion: string, spec: unknown, status: object) => ({
  kind,
  apiVersion,
  metadata: { creationTimestamp: null },
  ...(spec === undefined ? {} : { spec }),
  status,
});

export const accessReviewRoutes = new OpenAPIHono<AppEnv>()
  .post(`/apis/${AUTHZ}/selfsubjectaccessreviews`, async (c) => {
    const spec = selfReviewSpec(
      c.req.header('Content-Type'),
      await c.req.arrayBuffer(),
      'SelfSubjectAccessReview',
    );
    const review = spec as AccessReviewSpec | undefined;
    validateAccessReview(review);
    const status = reviewAccess(principalOf(c), review as AccessReviewSpec);
    return c.json(created('SelfSubjectAccessReview', AUTHZ, spec, status), 201);
  })
  .post(`/apis/${AUTHZ}/selfsubjectrulesreviews`, async (c) => {
    const spec = selfReviewSpec(
      c.req.header('Content-Type'),
      await c.req.arrayBuffer(),
      'SelfSubjectRulesReview',
    );
    const namespace = (spec as { namespace?: unknown } | undefined)?.namespace;
    const status = reviewRules(principalOf(c), typeof namespace === 'string' ? namespace : '');
    return c.json(created('SelfSubjectRulesReview', AUTHZ, spec, status), 201);
  })
  .post(`/apis/${AUTHN}/selfsubjectreviews`, async (c) => {
    selfReviewSpec(c.req.header('Content-Type'), await c.req.arrayBuffer(), 'SelfSubjectReview');
    const status = { userInfo: userInfoOf(principalOf(c)) };
    return c.json(created('SelfSubjectReview', AUTHN, undefined, status), 201);
  });
