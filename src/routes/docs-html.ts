/**
 * Renders the OpenAPI document as one self-contained HTML page: every operation (method, path,
 * parameters, request bodies per media type, responses, examples) and every schema.
 *
 * Server-rendered, with no script at all: it works offline and under the strict `/docs` CSP, and
 * costs the Worker a few KiB, where Scalar or Swagger UI load a megabyte of JavaScript from a CDN.
 */

interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  description?: string;
}
interface Example {
  summary?: string;
  value?: unknown;
}
interface Media {
  schema?: Schema;
  example?: unknown;
  examples?: Record<string, Example>;
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}
interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { description?: string; required?: boolean; content?: Record<string, Media> };
  responses?: Record<string, { description?: string; content?: Record<string, Media> }>;
}
/** The parts of an OpenAPI 3.1 document the page shows. */
export interface DocsInput {
  info: { title: string; version: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

const html = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** Escapes, then shows `code` spans as code (the only markdown our descriptions use). */
const prose = (text = '') => html(text).replace(/`([^`]+)`/g, '<code>$1</code>');

function typeOf(schema: Schema | undefined): string {
  if (!schema) return '';
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() ?? '';
    return `<a href="#schema-${html(name)}">${html(name)}</a>`;
  }
  if (schema.const !== undefined) return `<code>${html(JSON.stringify(schema.const))}</code>`;
  if (schema.enum) return schema.enum.map((v) => `<code>${html(String(v))}</code>`).join(' | ');
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map(typeOf).join(' | ');
  if (schema.type === 'array') return `array of ${typeOf(schema.items)}`;
  if (schema.type === 'object' && typeof schema.additionalProperties === 'object') {
    return `map of ${typeOf(schema.additionalProperties)}`;
  }
  return html([schema.type ?? 'any'].flat().join(' | '));
}

function examples(media: Media): string {
  const all: Example[] = Object.values(media.examples ?? {});
  if (media.example !== undefined) all.push({ value: media.example });
  return all
    .map(
      (ex) =>
        `<details><summary>Example${ex.summary ? `: ${prose(ex.summary)}` : ''}</summary>` +
        `<pre>${html(JSON.stringify(ex.value, null, 2))}</pre></details>`,
    )
    .join('');
}

function content(map: Record<string, Media> = {}): string {
  return Object.entries(map)
    .map(
      ([type, media]) =>
        `<div class="media"><code>${html(type)}</code> ${typeOf(media.schema)}${examples(media)}</div>`,
    )
    .join('');
}

function parameters(list: Parameter[] = []): string {
  if (list.length === 0) return '';
  const rows = list.map(
    (p) =>
      `<tr><td><code>${html(p.name)}</code>${p.required ? ' <b>required</b>' : ''}</td>` +
      `<td>${html(p.in)}</td><td>${typeOf(p.schema)}</td><td>${prose(p.description)}</td></tr>`,
  );
  return `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>type</th><th>description</th></tr>${rows.join('')}</table>`;
}

function operation(method: string, path: string, op: Operation): string {
  const id = html(op.operationId ?? `${method}-${path}`);
  const auth = op.security?.length ? 'bearer token' : 'none';
  const body = op.requestBody
    ? `<h4>Request body${op.requestBody.required ? ' (required)' : ''}</h4><p>${prose(op.requestBody.description)}</p>${content(op.requestBody.content)}`
    : '';
  const responses = Object.entries(op.responses ?? {})
    .map(
      ([code, res]) =>
        `<div class="response"><b>${html(code)}</b> ${prose(res.description)}${content(res.content)}</div>`,
    )
    .join('');
  return `<section class="operation" id="op-${id}" data-operation-id="${id}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${html(path)}</code></h3>
<p class="summary">${prose(op.summary)}</p>${op.description ? `<p>${prose(op.description)}</p>` : ''}
<p class="meta">operationId <code>${id}</code> · auth: ${auth}</p>
${parameters(op.parameters)}${body}<h4>Responses</h4>${responses}</section>`;
}

function schemaSection(name: string, schema: Schema): string {
  const rows = Object.entries(schema.properties ?? {}).map(
    ([prop, s]) =>
      `<tr><td><code>${html(prop)}</code>${schema.required?.includes(prop) ? ' <b>required</b>' : ''}</td><td>${typeOf(s)}</td><td>${prose(s.description)}</td></tr>`,
  );
  const table = rows.length
    ? `<table><tr><th>field</th><th>type</th><th>description</th></tr>${rows.join('')}</table>`
    : `<p>${typeOf(schema)}</p>`;
  return `<section class="schema" id="schema-${html(name)}"><h3>${html(name)}</h3><p>${prose(schema.description)}</p>${table}</section>`;
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0;display:flex;color:#1b1f24}
nav{width:17rem;flex:none;height:100vh;overflow:auto;position:sticky;top:0;background:#f4f6f8;padding:1rem;box-sizing:border-box}
nav a{display:block;color:inherit;text-decoration:none;font-size:13px;padding:2px 0}
main{flex:1;padding:1rem 2rem;min-width:0}
.operation,.schema{border-top:1px solid #d0d7de;padding:.5rem 0 1rem}
.method{display:inline-block;min-width:4.5em;text-align:center;border-radius:4px;color:#fff;font-size:13px;padding:1px 6px;background:#57606a}
.get{background:#0969da}.post{background:#1a7f37}.put{background:#9a6700}.patch{background:#8250df}.delete{background:#cf222e}
table{border-collapse:collapse;font-size:14px}td,th{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
pre{background:#f6f8fa;padding:.5rem;overflow:auto}.media,.response{margin:.3rem 0}.meta{color:#57606a;font-size:13px}`;

/**
 * The HTML reference for `doc`; `nonce` allows its one inline style under the docs CSP.
 *
 * @example renderDocsPage(document, c.get('secureHeadersNonce'))
 */
export function renderDocsPage(doc: DocsInput, nonce = ''): string {
  const ops = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({ method: m, path, op: item[m] as Operation })),
  );
  const tagNames = [
    ...new Set([...(doc.tags ?? []).map((t) => t.name), ...ops.flatMap((o) => o.op.tags ?? [])]),
  ];
  const byTag = (tag: string) => ops.filter((o) => (o.op.tags?.[0] ?? '') === tag);
  const nav = tagNames
    .map(
      (tag) =>
        `<h4>${html(tag)}</h4>${byTag(tag)
          .map(
            (o) =>
              `<a href="#op-${html(o.op.operationId ?? '')}">${o.method.toUpperCase()} ${html(o.op.operationId ?? o.path)}</a>`,
          )
          .join('')}`,
    )
    .join('');
  const sections = tagNames
    .map((tag) => {
      const description = doc.tags?.find((t) => t.name === tag)?.description;
      return `<h2 id="tag-${html(tag)}">${html(tag)}</h2><p>${prose(description)}</p>${byTag(tag)
        .map((o) => operation(o.method, o.path, o.op))
        .join('\n')}`;
    })
    .join('\n');
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .map(([name, schema]) => schemaSection(name, schema))
    .join('\n');
  const title = `${html(doc.info.title)} ${html(doc.info.version)}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style nonce="${html(nonce)}">${STYLE}</style></head>
<body><nav><b>${title}</b><p><a href="/openapi.json">openapi.json</a><a href="/openapi.yaml">openapi.yaml</a></p>${nav}<h4>schemas</h4>${Object.keys(
    doc.components?.schemas ?? {},
  )
    .map((name) => `<a href="#schema-${html(name)}">${html(name)}</a>`)
    .join('')}</nav>
<main><h1>${title}</h1><p>${prose(doc.info.description).replace(/\n\n/g, '</p><p>')}</p>
${sections}<h2 id="schemas">schemas</h2>${schemas}</main></body></html>
`;
}
