// How `npm start` tells whether a port is free and whether a Worker answers yet.
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';

/** Whether nothing listens on 127.0.0.1:`port`. */
export function portFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Whether `url` answers below 500 (https verified against `ca`); false while nothing listens. */
export function answers(url, ca) {
  if (!url.startsWith('https:')) {
    // Long: wrangler accepts connections before the Worker is loaded and holds the request.
    return fetch(url, { signal: AbortSignal.timeout(120_000) }).then(
      async (res) => {
        await res.body?.cancel();
        return res.status < 500;
      },
      () => false,
    );
  }
  return new Promise((resolve) => {
    const req = httpsRequest(url, { ca, timeout: 120_000 }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 500) < 500);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}
