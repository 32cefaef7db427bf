/**
 * A stand-in for JD Cloud behind the client's injectable `fetch`, for tests: it records every
 * request and answers from a handler. It honours the abort signal like a real transport, so
 * timeouts can be tested with a handler that never answers.
 */

/** A request as the fake transport received it. */
export interface RecordedRequest {
  method: string;
  url: URL;
  /** Lowercase header name → value. */
  headers: Record<string, string>;
  /** The body text, `undefined` when none was sent. */
  body: string | undefined;
}

/** Answers the `n`-th request (from 1); may return a promise that never settles. */
export type FakeHandler = (request: RecordedRequest, n: number) => Response | Promise<Response>;

/** A JD Cloud success envelope. */
export const jdOk = (result: unknown, requestId = 'req-ok') =>
  Response.json({ requestId, result }, { headers: { 'x-jdcloud-request-id': requestId } });

/** A JD Cloud error envelope. */
export const jdError = (
  code: number,
  status: string,
  message: string,
  requestId = 'req-err',
  headers: Record<string, string> = {},
) =>
  Response.json(
    { requestId, error: { code, status, message } },
    { status: code, headers: { 'x-jdcloud-request-id': requestId, ...headers } },
  );

/** Creates a fake transport; `requests` lists what was sent, in order. */
export function fakeTransport(handler: FakeHandler) {
  const requests: RecordedRequest[] = [];
  const transport = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const body = init?.body === undefined || init.body === null ? undefined : await request.text();
    const recorded: RecordedRequest = {
      method: request.method,
      url: new URL(request.url),
      headers: Object.fromEntries(request.headers),
      body,
    };
    requests.push(recorded);
    const signal = init?.signal;
    const aborted = () => new DOMException('The operation was aborted.', 'AbortError');
    if (signal?.aborted) throw aborted();
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => reject(aborted());
      signal?.addEventListener('abort', onAbort, { once: true });
      // The handler may move a test clock and so fire the timeout while it runs.
      Promise.resolve()
        .then(() => handler(recorded, requests.length))
        .then(resolve, reject)
        .finally(() => signal?.removeEventListener('abort', onAbort));
    });
  };
  return { fetch: transport as typeof fetch, requests };
}
