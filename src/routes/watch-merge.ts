/**
 * The all-namespaces watch (`GET /api/v1/pods?watch=true`): one stream per namespace object,
 * merged line by line. Its resourceVersion is the all-namespaces list's composite
 * `default=12,staging=7` (each namespace has its own counter), so bookmarks are rewritten to the
 * composite the stream has reached, and a Table's column definitions go out once.
 */
import { badRequest, gone, type Status } from '../k8s/status';
import { MAX_WATCH_BUFFER } from '../store/watch-stream';

export interface NamespaceStream {
  namespace: string;
  stream: ReadableStream<Uint8Array>;
}

/** `default=12,staging=7` from versions by namespace, in namespace order. */
export const compositeVersion = (versions: ReadonlyMap<string, string>) =>
  [...versions].map(([ns, rv]) => `${ns}=${rv}`).join(',');

/**
 * Per-namespace starting versions from a watch's resourceVersion: all "" for none or "0", else
 * the composite an all-namespaces list or bookmark returned.
 *
 * @throws StatusError 410 Expired for a bare version (it names no namespace's counter: the client
 *   must list again) or a composite that misses a namespace; 400 for a malformed one.
 */
export function namespaceVersions(
  resourceVersion: string | undefined,
  namespaces: readonly string[],
): Map<string, string> {
  if (!resourceVersion || resourceVersion === '0') {
    return new Map(namespaces.map((ns) => [ns, resourceVersion ?? '']));
  }
  if (/^\d+$/.test(resourceVersion)) {
    throw gone(
      `too old resource version: ${resourceVersion} (an all-namespaces watch resumes from the version an all-namespaces list returned)`,
    );
  }
  const given = new Map<string, string>();
  for (const part of resourceVersion.split(',')) {
    const [ns, rv] = part.split('=');
    if (!ns || !rv || !/^\d+$/.test(rv)) {
      throw badRequest(`resourceVersion: Invalid value: ${JSON.stringify(resourceVersion)}`);
    }
    given.set(ns, rv);
  }
  const missing = namespaces.filter((ns) => !given.has(ns));
  if (missing.length) {
    throw gone(
      `too old resource version: ${resourceVersion} (no version for ${missing.join(', ')})`,
    );
  }
  return new Map(namespaces.map((ns) => [ns, given.get(ns) as string]));
}

/** A stream holding only an ERROR event, for a watch refused before any namespace is asked. */
export function errorStream(status: Status): ReadableStream<Uint8Array> {
  const text = `${JSON.stringify({ type: 'ERROR', object: status })}\n`;
  return new Blob([text]).stream();
}

type WatchLine = {
  type: string;
  object: { metadata?: { resourceVersion?: string }; columnDefinitions?: unknown };
};

/** Merges per-namespace watch streams; an ERROR on one, or its end, ends them all. */
export function mergeWatchStreams(
  sources: readonly NamespaceStream[],
  startVersions: ReadonlyMap<string, string>,
): ReadableStream<Uint8Array> {
  const reached = new Map(startVersions);
  const encoder = new TextEncoder();
  const readers = sources.map((s) => s.stream.pipeThrough(new TextDecoderStream()).getReader());
  let headersSent = false;
  let finished = false;
  const cancelAll = () => {
    for (const reader of readers) reader.cancel().catch(() => {});
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      const emit = (event: WatchLine) => {
        controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
        // The namespace streams are read as fast as they come: a client that does not keep up
        // is ended here, as each namespace ends its own slow readers.
        if ((controller.desiredSize ?? 0) < -MAX_WATCH_BUFFER) finish();
      };
      const finish = () => {
        if (finished) return;
        finished = true;
        cancelAll();
        controller.close();
      };
      const handle = (namespace: string, event: WatchLine) => {
        const rv = event.object.metadata?.resourceVersion;
        if (event.type === 'ERROR') {
          emit(event);
          finish();
          return;
        }
        if (rv) reached.set(namespace, rv);
        if (event.type === 'BOOKMARK') {
          emit({
            ...event,
            object: { ...event.object, metadata: { resourceVersion: compositeVersion(reached) } },
          });
          return;
        }
        if (event.object.columnDefinitions !== undefined) {
          if (headersSent) event.object.columnDefinitions = null;
          headersSent = true;
        }
        emit(event);
      };
      readers.forEach(async (reader, i) => {
        const namespace = sources[i]?.namespace ?? '';
        let buffer = '';
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done || finished) break;
            buffer += value;
            let newline = buffer.indexOf('\n');
            while (newline >= 0 && !finished) {
              const text = buffer.slice(0, newline);
              buffer = buffer.slice(newline + 1);
              if (text.trim()) handle(namespace, JSON.parse(text) as WatchLine);
              newline = buffer.indexOf('\n');
            }
          }
        } catch {
          // A namespace stream that breaks ends the merged watch; the client watches again.
        }
        // All namespaces share one timeout: the first stream to end ends the watch.
        finish();
      });
      if (readers.length === 0) finish();
    },
    cancel() {
      finished = true;
      cancelAll();
    },
  });
}
