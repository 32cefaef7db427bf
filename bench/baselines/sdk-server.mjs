/**
 * The peer a user would otherwise write: a small Node.js HTTP server that serves GET and LIST
 * of a namespace's pods by calling JD Cloud through the official jdcloud-sdk-js, with the same
 * naming as podgate (`pg.<namespace>.<name>`) so it reads the very same JD pods. No auth, no
 * translation to Kubernetes objects: it returns JD's pod JSON as is, which only flatters it.
 *
 *   GET /namespaces/{ns}/pods          every page of describePods (pageSize 100)
 *   GET /namespaces/{ns}/pods/{name}   describePods filtered by the exact JD name
 *
 * Env: JDCLOUD_ENDPOINT (http://host:port), JDCLOUD_REGIONS (JSON namespace → regionId),
 * JDCLOUD_ACCESS_KEY_ID, JDCLOUD_SECRET_ACCESS_KEY. Prints `listening <port>` when ready.
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const JDCloud = require('jdcloud-sdk-js/src/lib/node_loader');
const POD = require('jdcloud-sdk-js/src/repo/pod/v1/pod.js');
JDCloud.config.logger = () => {};

const endpoint = new URL(process.env.JDCLOUD_ENDPOINT ?? 'http://127.0.0.1:8788');
const regions = JSON.parse(process.env.JDCLOUD_REGIONS ?? '{"default":"cn-north-1"}');
const clients = new Map();

function clientFor(namespace) {
  const regionId = regions[namespace];
  if (!regionId) return undefined;
  let client = clients.get(regionId);
  if (!client) {
    client = new POD({
      credentials: {
        accessKeyId: process.env.JDCLOUD_ACCESS_KEY_ID,
        secretAccessKey: process.env.JDCLOUD_SECRET_ACCESS_KEY,
      },
      regionId,
      endpoint: { host: endpoint.host, protocol: endpoint.protocol.replace(':', '') },
    });
    clients.set(regionId, client);
  }
  return client;
}

async function listPods(client, namespace) {
  const prefix = `pg.${namespace}.`;
  const pods = [];
  for (let pageNumber = 1; pageNumber <= 100; pageNumber++) {
    const { result } = await client.describePods({
      pageNumber,
      pageSize: 100,
      filters: [{ name: 'name', values: [prefix] }],
    });
    pods.push(...result.pods.filter((p) => p.name.startsWith(prefix)));
    if (result.pods.length < 100 || pageNumber * 100 >= result.totalCount) break;
  }
  return pods;
}

async function getPod(client, namespace, name) {
  const jdName = `pg.${namespace}.${name}`;
  const { result } = await client.describePods({
    pageSize: 10,
    filters: [{ name: 'name', values: [jdName] }],
  });
  return result.pods.find((p) => p.name === jdName);
}

const send = (res, status, body) => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
};

const server = createServer(async (req, res) => {
  const match = /^\/namespaces\/([^/]+)\/pods(?:\/([^/?]+))?$/.exec(req.url ?? '');
  const client = match && clientFor(match[1]);
  if (req.method !== 'GET' || !client) return send(res, 404, { error: 'not found' });
  try {
    if (match[2]) {
      const pod = await getPod(client, match[1], match[2]);
      return pod ? send(res, 200, pod) : send(res, 404, { error: 'not found' });
    }
    return send(res, 200, { items: await listPods(client, match[1]) });
  } catch (error) {
    return send(res, 502, { error: error?.error ?? String(error) });
  }
});

server.listen(0, '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
process.on('SIGINT', () => server.close(() => process.exit(0)));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
