import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { coreV1Document } from '../discovery-openapi';
import { buildOpenApiTexts } from '../openapi-document';
import { podRoutes } from '../pods';
import type { FieldDocs } from './annotate';
import { encodeGnosticV2 } from './gnostic-v2';
import { swaggerV2 } from './swagger-v2';

const here = new URL('.', import.meta.url);
const docs = JSON.parse(readFileSync(new URL('field-docs.txt', here), 'utf8')) as FieldDocs;
// biome-ignore lint/suspicious/noExplicitAny: the test walks decoded documents of any shape
type Json = Record<string, any>;
const v3 = coreV1Document(podRoutes, '0.0.0-test', docs) as unknown as Json;

describe('the api/v1 OpenAPI 3 document', () => {
  it('carries the apiserver list/patch metadata kubectl apply merges by', () => {
    const spec = v3.components.schemas.PodSpec.properties;
    expect(spec.containers).toMatchObject({
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    });
    const ports = v3.components.schemas.Container.properties.ports;
    expect(ports['x-kubernetes-list-map-keys']).toEqual(['containerPort', 'protocol']);
    expect(spec.volumes['x-kubernetes-patch-strategy']).toBe('merge,retainKeys');
  });

  it("describes fields in Kubernetes' words, also inside inline objects", () => {
    const pod = v3.components.schemas.Pod;
    expect(pod.description).toMatch(/^Pod is a collection of containers/);
    expect(pod.properties.spec.allOf).toEqual([{ $ref: '#/components/schemas/PodSpec' }]);
    expect(pod.properties.spec.description).toMatch(/^Specification of the desired behavior/);
    const port = v3.components.schemas.Container.properties.ports.items.properties.containerPort;
    expect(port.description).toMatch(/^Number of port to expose/);
  });

  it('leaves the published document (openapi/openapi.json) untouched', () => {
    const committed = readFileSync(new URL('../../../openapi/openapi.json', here), 'utf8');
    expect(buildOpenApiTexts(buildApp()).json).toBe(committed);
  });
});

describe('/openapi/v2', () => {
  const swagger = swaggerV2(v3 as Parameters<typeof swaggerV2>[0]);

  it('is Swagger 2.0 with definitions referenced as #/definitions', () => {
    expect(swagger.swagger).toBe('2.0');
    const pod = (swagger.definitions as Json).Pod;
    expect(pod.properties.spec).toEqual({
      description: expect.stringMatching(/^Specification/),
      $ref: '#/definitions/PodSpec',
    });
    const patch = (swagger.paths as Json)['/api/v1/namespaces/{namespace}/pods/{name}'].patch;
    expect(patch.consumes).toContain('application/strategic-merge-patch+json');
    expect(patch.parameters.map((p: Json) => p.name)).toEqual(
      expect.arrayContaining(['dryRun', 'fieldValidation', 'body']),
    );
  });

  it("decodes with gnostic's OpenAPIv2.proto into the same document", async () => {
    const root = await new protobuf.Root().load(new URL('OpenAPIv2.proto', here).pathname, {
      keepCase: true,
    });
    const Document = root.lookupType('openapi.v2.Document');
    const decoded = Document.toObject(Document.decode(encodeGnosticV2(swagger))) as Json;
    expect(decoded.swagger).toBe('2.0');
    const pod = decoded.definitions.additional_properties.find((d: Json) => d.name === 'Pod');
    const gvk = pod.value.vendor_extension.find(
      (e: Json) => e.name === 'x-kubernetes-group-version-kind',
    );
    expect(JSON.parse(gvk.value.yaml)).toEqual([{ group: '', version: 'v1', kind: 'Pod' }]);
    const spec = decoded.definitions.additional_properties.find((d: Json) => d.name === 'PodSpec');
    const containers = spec.value.properties.additional_properties.find(
      (p: Json) => p.name === 'containers',
    );
    expect(containers.value.items.schema[0]._ref).toBe('#/definitions/Container');
    const key = containers.value.vendor_extension.find(
      (e: Json) => e.name === 'x-kubernetes-patch-merge-key',
    );
    expect(JSON.parse(key.value.yaml)).toBe('name');
  });
});
