/**
 * DeleteOptions as the apiserver reads them: a JSON body (kubectl sends
 * `{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Background"}`) and the query
 * parameters, decoded with a 400 naming the field whose type is wrong, then
 * `ValidateDeleteOptions` (422 `DeleteOptions.meta.k8s.io "" is invalid: …`). Pure.
 */
import * as z from 'zod';
import { fieldInvalid, fieldNotSupported } from './field-errors';
import { decodeBoundedJson } from './json-budget';
import type { DeleteOptions } from './pod';
import { badRequest, type FieldError, invalid } from './status';

/**
 * The longest grace period podgate accepts (int32's maximum, about 68 years): the apiserver takes
 * any int64, but a deletionTimestamp that far out is not a time JavaScript can write.
 */
export const MAX_GRACE_PERIOD_SECONDS = 2_147_483_647;

const PROPAGATION = ['Foreground', 'Background', 'Orphan'] as const;

/** The body's shape: types only; values are judged by `validateDeleteOptions`. */
const bodySchema = z.looseObject({
  kind: z.string().optional(),
  apiVersion: z.string().optional(),
  gracePeriodSeconds: z.number().int().nullable().optional(),
  preconditions: z
    .looseObject({
      uid: z.string().nullable().optional(),
      resourceVersion: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
  orphanDependents: z.boolean().nullable().optional(),
  propagationPolicy: z.string().nullable().optional(),
  dryRun: z.array(z.string()).nullable().optional(),
});

/** What the query may add; the router has already checked its types. */
export interface DeleteQuery {
  gracePeriodSeconds?: number | undefined;
  propagationPolicy?: string | undefined;
  dryRun?: string | undefined;
}

const GO_TYPES: Record<string, string> = {
  gracePeriodSeconds: 'int64',
  orphanDependents: 'bool',
  propagationPolicy: 'v1.DeletionPropagation',
  dryRun: '[]string',
  preconditions: 'v1.Preconditions',
};

/** `json: cannot unmarshal string into Go struct field DeleteOptions.gracePeriodSeconds of type int64`. */
function decodeError(issue: z.core.$ZodIssue, body: Record<string, unknown>): never {
  const field = issue.path.map(String).join('.');
  const top = String(issue.path[0] ?? '');
  const value = top ? body[top] : body;
  const got = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  throw badRequest(
    `json: cannot unmarshal ${got} into Go struct field DeleteOptions.${field} of type ${GO_TYPES[top] ?? 'string'}`,
  );
}

/**
 * DeleteOptions from a DELETE request's body text and query; the query wins where both speak.
 *
 * @throws StatusError 400 for a body that is not a DeleteOptions object or has a wrong type,
 *   422 for values `ValidateDeleteOptions` refuses (and a grace period JavaScript cannot date).
 */
export function decodeDeleteOptions(text: string, query: DeleteQuery = {}): DeleteOptions {
  let body: Record<string, unknown> = {};
  if (text.trim()) {
    const parsed = decodeBoundedJson(text, 'DeleteOptions');
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw badRequest('the body of a delete must be a DeleteOptions JSON object');
    }
    body = parsed as Record<string, unknown>;
  }
  const checked = bodySchema.safeParse(body);
  if (!checked.success) decodeError(checked.error.issues[0] as z.core.$ZodIssue, body);
  const b = checked.data;
  if (b.kind !== undefined && b.kind !== 'DeleteOptions') {
    throw badRequest(`decoded object of kind ${JSON.stringify(b.kind)} is not DeleteOptions`);
  }
  const options: DeleteOptions = {};
  const grace = query.gracePeriodSeconds ?? b.gracePeriodSeconds ?? undefined;
  if (grace !== undefined) options.gracePeriodSeconds = grace;
  const pre = b.preconditions;
  if (pre && (pre.uid || pre.resourceVersion)) {
    options.preconditions = {
      ...(pre.uid ? { uid: pre.uid } : {}),
      ...(pre.resourceVersion ? { resourceVersion: pre.resourceVersion } : {}),
    };
  }
  if (b.orphanDependents != null) options.orphanDependents = b.orphanDependents;
  const policy = query.propagationPolicy ?? b.propagationPolicy ?? undefined;
  const dryRun = query.dryRun !== undefined ? [query.dryRun] : (b.dryRun ?? undefined);
  const errors = validateDeleteOptions({ grace, policy, orphan: b.orphanDependents, dryRun });
  if (errors.length) throw invalid('DeleteOptions.meta.k8s.io', '', errors);
  if (policy !== undefined) options.propagationPolicy = policy as (typeof PROPAGATION)[number];
  if (dryRun !== undefined) options.dryRun = dryRun;
  // A negative grace period means "now" to the apiserver's BeforeDelete: it becomes 1 s.
  if (grace !== undefined && grace < 0) options.gracePeriodSeconds = 1;
  return options;
}

function validateDeleteOptions(o: {
  grace: number | undefined;
  policy: string | undefined;
  orphan: boolean | null | undefined;
  dryRun: string[] | undefined;
}): FieldError[] {
  const errors: FieldError[] = [];
  if (o.grace !== undefined && o.grace > MAX_GRACE_PERIOD_SECONDS) {
    errors.push(
      fieldInvalid('gracePeriodSeconds', o.grace, `must be at most ${MAX_GRACE_PERIOD_SECONDS}`),
    );
  }
  if (o.orphan != null && o.policy !== undefined) {
    errors.push(
      fieldInvalid(
        'propagationPolicy',
        o.policy,
        'orphanDependents and deletionPropagation cannot be both set',
      ),
    );
  }
  if (o.policy !== undefined && !(PROPAGATION as readonly string[]).includes(o.policy)) {
    errors.push(fieldNotSupported('propagationPolicy', o.policy, [...PROPAGATION, 'nil']));
  }
  if (o.dryRun?.some((v) => v !== 'All')) {
    errors.push(fieldNotSupported('dryRun', o.dryRun, ['All']));
  }
  return errors;
}
