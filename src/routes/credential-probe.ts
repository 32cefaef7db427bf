/**
 * Whether JD Cloud accepts podgate's credentials, for `/readyz`: one cheap signed call
 * (describePods, one pod per page) in the first configured namespace's region. An acceptance is
 * remembered for half a minute per isolate, so frequent readiness probes cost JD Cloud almost
 * nothing; a refusal is not, so the gateway is ready again as soon as an operator fixes it.
 * Only a refusal of the credentials makes the gateway unready; JD Cloud being slow or down is
 * the business of each request (and its retries), not a reason to take the gateway out.
 */
import type { Config } from '../config';
import { jdClientFromConfig } from '../jdcloud/client';
import { isJdCloudFailure } from '../jdcloud/errors';
import { isCredentialFailure, statusFromJdFailure } from '../store/jd-failure';

const PROBE_TTL_MS = 30_000;

let accepted: { at: number; config: Config } | undefined;

/** JD Cloud's refusal of podgate's credentials, as the Status message, or undefined. */
export async function credentialsRefused(
  config: Config,
  now = Date.now(),
): Promise<string | undefined> {
  if (accepted && accepted.config === config && now - accepted.at < PROBE_TTL_MS) return undefined;
  const jd = jdClientFromConfig(config.jdcloud);
  const regionId = [...config.namespaces.values()][0]?.regionId;
  if (!jd || !regionId) return undefined;
  try {
    await jd.describePods(regionId, { pageSize: 1 });
  } catch (error) {
    if (isJdCloudFailure(error) && isCredentialFailure(error)) {
      return statusFromJdFailure(error, 'readiness').message;
    }
    return undefined;
  }
  accepted = { at: now, config };
  return undefined;
}
