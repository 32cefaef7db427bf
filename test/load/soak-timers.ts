/**
 * The runtime cost behind the soak's RSS allowance, without podgate: a 20-line Worker whose
 * Durable Object makes one loopback fetch per request, once as is and once wrapped in a timeout
 * that is set and then cleared (what podgate's JD Cloud client does around every call). Both run
 * in Miniflare under the same load, garbage collected through the inspector every half second;
 * the script prints the workerd process's anonymous RSS every 10 000 requests and the growth per
 * request. On the development container the cleared timers cost ~250–300 bytes each, for good;
 * without them the process stays flat.
 *
 *   node test/load/soak-timers.ts            # 60 000 requests per variant
 *   SOAK_TIMER_REQUESTS=150000 node test/load/soak-timers.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { Pool } from 'undici';
import { connectInspector, heapAfterGc, type Inspector } from '../support/inspector.ts';
import { COMPATIBILITY_DATE } from '../support/miniflare-workers.ts';
import { workerdChildren } from '../support/workerd-processes.ts';

const REQUESTS = Number(process.env.SOAK_TIMER_REQUESTS ?? 60_000);
const CONNECTIONS = 20;

const script = `
import { DurableObject } from 'cloudflare:workers';
export class Store extends DurableObject {
  async call(target, timer) {
    const handle = timer ? setTimeout(() => {}, 10000) : undefined;
    try {
      const res = await fetch(target);
      return await res.text();
    } finally {
      if (timer) clearTimeout(handle);
    }
  }
}
export default {
  async fetch(request, env) {
    const timer = new URL(request.url).pathname === '/timer';
    const stub = env.STORE.get(env.STORE.idFromName('one'));
    return new Response(await stub.call(env.TARGET, timer));
  },
};`;

/** Anonymous resident memory (MiB) of the workerd process this script started. */
function anonRssMb(): number {
  const [workerd] = workerdChildren();
  return workerd ? workerd.kib('RssAnon') / 1024 : Number.NaN;
}

async function variant(path: '/plain' | '/timer', target: string): Promise<void> {
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      name: 'timers',
      modules: true,
      script,
      compatibilityDate: COMPATIBILITY_DATE,
      bindings: { TARGET: target },
      durableObjects: { STORE: { className: 'Store', useSQLite: true } },
      host: '127.0.0.1',
      port: 0,
      inspectorPort: 0,
    }),
  );
  const sessions: Inspector[] = [];
  try {
    const url = await mf.ready;
    const port = Number((await mf.getInspectorURL()).port);
    for (const id of ['core:user:timers', 'core:entry', 'outbound:0']) {
      sessions.push(await connectInspector(port, id));
    }
    const pool = new Pool(url.origin, { connections: CONNECTIONS });
    const get = async () => (await pool.request({ method: 'GET', path })).body.text();
    let sent = 0;
    let running = true;
    const marks: number[] = [];
    const collecting = (async () => {
      while (running) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        for (const session of sessions) await heapAfterGc(session, get);
        while (sent >= (marks.length + 1) * 10_000) marks.push(anonRssMb());
      }
    })();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (sent < REQUESTS) {
          sent++;
          await get();
        }
      }),
    );
    running = false;
    await collecting;
    for (const session of sessions) await heapAfterGc(session, get);
    marks.push(anonRssMb());
    await pool.close();
    // From 10 000 requests on (after the first allocations) to the end.
    const first = marks[0] ?? Number.NaN;
    const last = marks[marks.length - 1] ?? Number.NaN;
    const perRequest = ((last - first) * 1024 * 1024) / (REQUESTS - 10_000);
    console.log(
      `${path.slice(1).padEnd(5)} anon RSS (MiB) every 10k requests: ${marks.map((m) => m.toFixed(0)).join(' ')}; ${perRequest.toFixed(0)} bytes per request`,
    );
  } finally {
    for (const session of sessions) session.close();
    await mf.dispose();
  }
}

const server = createServer((_req, res) => res.end('{"result":{}}'));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
try {
  await variant('/plain', target);
  await variant('/timer', target);
} finally {
  server.close();
}
