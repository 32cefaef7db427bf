/**
 * A small Chrome DevTools Protocol client for workerd's inspector (Node 22's global WebSocket,
 * no dependency): connect to one isolate, send commands, listen to events, close.
 *
 *   const inspector = await connectInspector(9229, 'core:user:podgate');
 *   const { usedSize } = await heapAfterGc(inspector, () => fetch(workerUrl));
 *   inspector.close();
 *
 * workerd lists one target per Worker (id `core:user:<worker name>`) at /json/list on its
 * `--inspector-addr` (Miniflare's `inspectorPort`), and accepts one session per target at a time.
 * Runtime.evaluate cannot reach a Worker's globals there; heap snapshots can (`takeHeapSnapshot`).
 */
import { createWriteStream } from 'node:fs';

export interface Inspector {
  /** Sends one command and resolves with its result (rejects with the protocol's error). */
  send<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Calls `listener` with the params of every `method` event; returns the function that stops it. */
  on(method: string, listener: (params: Record<string, unknown>) => void): () => void;
  close(): void;
}

interface Target {
  id: string;
  webSocketDebuggerUrl?: string;
}

/** The inspector's targets (one per Worker). */
export async function listTargets(port: number, host = '127.0.0.1'): Promise<Target[]> {
  const res = await fetch(`http://${host}:${port}/json/list`);
  if (!res.ok) throw new Error(`inspector /json/list: ${res.status}`);
  return (await res.json()) as Target[];
}

/** Opens a CDP session on the target `id` of the inspector listening on `port`. */
export async function connectInspector(
  port: number,
  id: string,
  host = '127.0.0.1',
): Promise<Inspector> {
  const targets = await listTargets(port, host);
  const target = targets.find((t) => t.id === id);
  if (!target) {
    throw new Error(`no inspector target ${id}; have ${targets.map((t) => t.id).join(', ')}`);
  }
  const url = target.webSocketDebuggerUrl ?? `ws://${host}:${port}/${id}`;
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error(`inspector: cannot open ${url}`)), {
      once: true,
    });
  });

  let nextId = 1;
  const pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void; method: string }
  >();
  const listeners = new Map<string, Set<(params: Record<string, unknown>) => void>>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as {
      id?: number;
      result?: unknown;
      error?: { code: number; message: string };
      method?: string;
      params?: Record<string, unknown>;
    };
    if (message.id !== undefined) {
      const call = pending.get(message.id);
      pending.delete(message.id);
      if (!call) return;
      if (message.error) {
        call.reject(new Error(`${call.method}: ${message.error.message} (${message.error.code})`));
      } else call.resolve(message.result);
    } else if (message.method) {
      for (const listener of listeners.get(message.method) ?? []) listener(message.params ?? {});
    }
  });
  socket.addEventListener('close', () => {
    for (const call of pending.values()) call.reject(new Error(`${call.method}: inspector closed`));
    pending.clear();
  });

  return {
    send<T>(method: string, params: Record<string, unknown> = {}) {
      if (socket.readyState !== WebSocket.OPEN) {
        return Promise.reject(new Error(`${method}: inspector closed`));
      }
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject, method });
        socket.send(JSON.stringify({ id, method, params }));
      });
    },
    on(method, listener) {
      const set = listeners.get(method) ?? new Set();
      listeners.set(method, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    close() {
      socket.close();
    },
  };
}

/** Runtime.getHeapUsage's answer, in bytes (the last two only from newer V8s). */
export interface HeapUsage {
  /** Live JS objects. */
  usedSize: number;
  /** The JS heap V8 has reserved. */
  totalSize: number;
  embedderHeapUsedSize?: number;
  /** ArrayBuffer backing stores (outside the JS heap). */
  backingStorageSize?: number;
}

/**
 * The isolate's heap after a full garbage collection. workerd runs the collection V8 schedules
 * for HeapProfiler.collectGarbage only when the isolate is next entered: an idle Worker never
 * answers it. `poke` (e.g. one cheap request to the Worker) is called every 100 ms until it does.
 */
export async function heapAfterGc(
  inspector: Inspector,
  poke?: () => Promise<unknown>,
): Promise<HeapUsage> {
  let collected = false;
  const gc = inspector.send('HeapProfiler.collectGarbage').finally(() => {
    collected = true;
  });
  while (poke && !collected) {
    await Promise.race([gc, new Promise((resolve) => setTimeout(resolve, 100))]);
    if (!collected) await poke();
  }
  await gc;
  return inspector.send<HeapUsage>('Runtime.getHeapUsage');
}

/**
 * Writes a heap snapshot of the isolate to `path` (a `.heapsnapshot` file Chrome DevTools
 * opens; `test/load/soak-heapdiff.ts` compares two).
 */
export async function takeHeapSnapshot(inspector: Inspector, path: string): Promise<void> {
  const file = createWriteStream(path);
  const stop = inspector.on('HeapProfiler.addHeapSnapshotChunk', (params) => {
    file.write(String(params.chunk));
  });
  try {
    await inspector.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    stop();
    await new Promise<void>((resolve, reject) =>
      file.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
}
