/**
 * The spec of a self-review as kubectl sends it: JSON, or Kubernetes protobuf (what current
 * kubectl's typed clients send) — the "k8s\0" magic, a runtime.Unknown envelope, then the
 * object, decoded by protobufjs' generated decoder (self-reviews.proto).
 */
import { badRequest, StatusError, unsupportedMediaType } from '../../k8s/status';
import { podgate } from './self-reviews.pb.js';

const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const MAGIC = [0x6b, 0x38, 0x73, 0x00];

type Kind = 'SelfSubjectAccessReview' | 'SelfSubjectRulesReview' | 'SelfSubjectReview';

/** Copies the fields protobuf set (the generated classes answer defaults for the rest). */
const own = (message: object | null | undefined): Record<string, unknown> | undefined =>
  message ? Object.fromEntries(Object.entries(message)) : undefined;

function fromProtobuf(kind: Kind, bytes: Uint8Array): unknown {
  if (!MAGIC.every((b, i) => bytes[i] === b)) {
    throw badRequest(`the body of a ${kind} is not Kubernetes protobuf (no "k8s" prefix)`);
  }
  const raw = podgate.kube.Unknown.decode(bytes.subarray(4)).raw ?? new Uint8Array();
  if (kind === 'SelfSubjectAccessReview') {
    const spec = podgate.kube.SelfSubjectAccessReview.decode(raw).spec;
    const resourceAttributes = own(spec?.resourceAttributes);
    const nonResourceAttributes = own(spec?.nonResourceAttributes);
    return {
      ...(resourceAttributes ? { resourceAttributes } : {}),
      ...(nonResourceAttributes ? { nonResourceAttributes } : {}),
    };
  }
  if (kind === 'SelfSubjectRulesReview') {
    return own(podgate.kube.SelfSubjectRulesReview.decode(raw).spec) ?? {};
  }
  return undefined;
}

/** The `spec` of a self-review request body; 400/415 for what cannot be read. */
export function selfReviewSpec(
  contentType: string | undefined,
  body: ArrayBuffer,
  kind: Kind,
): unknown {
  const type = contentType ?? '';
  if (type.startsWith(PROTOBUF)) {
    try {
      return fromProtobuf(kind, new Uint8Array(body));
    } catch (error) {
      if (error instanceof StatusError) throw error;
      throw badRequest(`the body of a ${kind} is not valid protobuf: ${String(error)}`);
    }
  }
  if (!type.startsWith('application/json')) {
    throw unsupportedMediaType(['application/json', PROTOBUF]);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw badRequest(`the body of a ${kind} must be a JSON object`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw badRequest(`the body of a ${kind} must be a JSON object`);
  }
  return (json as { spec?: unknown }).spec;
}
