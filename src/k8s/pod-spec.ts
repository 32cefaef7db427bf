/**
 * zod schemas for core/v1 `PodSpec` and everything beneath it (containers, probes, volumes,
 * scheduling knobs).
 *
 * The model is deliberately broad: podgate refuses many of these fields, but the translation
 * layer can only name a field in a 422 if decoding kept it. Objects are loose so unknown keys
 * survive a decode; `unknownFields` (unknown-fields.ts) reports them separately.
 */
import * as z from 'zod';

const int = z.number().int();
const str = z.string();
const bool = z.boolean();
/**
 * A required string decoded the way Go does: a missing value is `''`, so validation (not the
 * decoder) reports `Required value` with the field path, as the apiserver does.
 */
const reqStr = str.default('');
/** `IntOrString` in Go, used by probe ports. */
const intOrString = z.union([int, str]);
/** A resource quantity as it appears in JSON: kube serializes strings, clients may send numbers. */
export const quantitySchema = z.union([str, z.number()]);
const stringMap = z.record(str, str);

const keyToPath = z.looseObject({ key: str, path: str, mode: int.optional() });
const localObjectReference = z.looseObject({ name: str.optional() });

/** core/v1 ObjectFieldSelector and ResourceFieldSelector, shared by env and downwardAPI. */
const objectFieldSelector = z.looseObject({ apiVersion: str.optional(), fieldPath: str });
const resourceFieldSelector = z.looseObject({
  containerName: str.optional(),
  resource: str,
  divisor: quantitySchema.optional(),
});

export const envVarSchema = z.looseObject({
  name: reqStr,
  value: str.optional(),
  valueFrom: z
    .looseObject({
      fieldRef: objectFieldSelector.optional(),
      resourceFieldRef: resourceFieldSelector.optional(),
      configMapKeyRef: z
        .looseObject({ name: str.optional(), key: str, optional: bool.optional() })
        .optional(),
      secretKeyRef: z
        .looseObject({ name: str.optional(), key: str, optional: bool.optional() })
        .optional(),
    })
    .optional(),
});
export type EnvVar = z.infer<typeof envVarSchema>;

const envFromSource = z.looseObject({
  prefix: str.optional(),
  configMapRef: z.looseObject({ name: str.optional(), optional: bool.optional() }).optional(),
  secretRef: z.looseObject({ name: str.optional(), optional: bool.optional() }).optional(),
});

const httpHeader = z.looseObject({ name: str, value: str });
const execAction = z.looseObject({ command: z.array(str).optional() });
const httpGetAction = z.looseObject({
  path: str.optional(),
  port: intOrString,
  host: str.optional(),
  scheme: str.optional(),
  httpHeaders: z.array(httpHeader).optional(),
});
const tcpSocketAction = z.looseObject({ port: intOrString, host: str.optional() });
const grpcAction = z.looseObject({ port: int, service: str.optional() });

export const probeSchema = z.looseObject({
  exec: execAction.optional(),
  httpGet: httpGetAction.optional(),
  tcpSocket: tcpSocketAction.optional(),
  grpc: grpcAction.optional(),
  initialDelaySeconds: int.optional(),
  timeoutSeconds: int.optional(),
  periodSeconds: int.optional(),
  successThreshold: int.optional(),
  failureThreshold: int.optional(),
  terminationGracePeriodSeconds: int.optional(),
});
export type Probe = z.infer<typeof probeSchema>;

const lifecycleHandler = z.looseObject({
  exec: execAction.optional(),
  httpGet: httpGetAction.optional(),
  tcpSocket: tcpSocketAction.optional(),
  sleep: z.looseObject({ seconds: int }).optional(),
});

export const resourceRequirementsSchema = z.looseObject({
  limits: z.record(str, quantitySchema).optional(),
  requests: z.record(str, quantitySchema).optional(),
  claims: z.array(z.looseObject({ name: str })).optional(),
});
export type ResourceRequirements = z.infer<typeof resourceRequirementsSchema>;

const seLinuxOptions = z.looseObject({
  user: str.optional(),
  role: str.optional(),
  type: str.optional(),
  level: str.optional(),
});
const seccompProfile = z.looseObject({ type: str, localhostProfile: str.optional() });

const securityContext = z.looseObject({
  capabilities: z
    .looseObject({ add: z.array(str).optional(), drop: z.array(str).optional() })
    .optional(),
  privileged: bool.optional(),
  seLinuxOptions: seLinuxOptions.optional(),
  runAsUser: int.optional(),
  runAsGroup: int.optional(),
  runAsNonRoot: bool.optional(),
  readOnlyRootFilesystem: bool.optional(),
  allowPrivilegeEscalation: bool.optional(),
  procMount: str.optional(),
  seccompProfile: seccompProfile.optional(),
});

export const containerPortSchema = z.looseObject({
  name: str.optional(),
  containerPort: int.default(0),
  hostPort: int.optional(),
  protocol: str.optional(),
  hostIP: str.optional(),
});

export const volumeMountSchema = z.looseObject({
  name: reqStr,
  mountPath: reqStr,
  readOnly: bool.optional(),
  subPath: str.optional(),
  subPathExpr: str.optional(),
  mountPropagation: str.optional(),
});

export const containerSchema = z
  .looseObject({
    name: reqStr,
    image: str.optional(),
    command: z.array(str).optional(),
    args: z.array(str).optional(),
    workingDir: str.optional(),
    ports: z.array(containerPortSchema).optional(),
    envFrom: z.array(envFromSource).optional(),
    env: z.array(envVarSchema).optional(),
    resources: resourceRequirementsSchema.optional(),
    resizePolicy: z.array(z.looseObject({ resourceName: str, restartPolicy: str })).optional(),
    restartPolicy: str.optional(),
    volumeMounts: z.array(volumeMountSchema).optional(),
    volumeDevices: z.array(z.looseObject({ name: str, devicePath: str })).optional(),
    livenessProbe: probeSchema.optional(),
    readinessProbe: probeSchema.optional(),
    startupProbe: probeSchema.optional(),
    lifecycle: z
      .looseObject({
        postStart: lifecycleHandler.optional(),
        preStop: lifecycleHandler.optional(),
      })
      .optional(),
    terminationMessagePath: str.optional(),
    terminationMessagePolicy: str.optional(),
    imagePullPolicy: str.optional(),
    securityContext: securityContext.optional(),
    stdin: bool.optional(),
    stdinOnce: bool.optional(),
    tty: bool.optional(),
  })
  .meta({ id: 'Container', description: 'A single application container to run in a pod.' });
export type Container = z.infer<typeof containerSchema>;

const items = z.array(keyToPath).optional();
const volumeSources = {
  hostPath: z.looseObject({ path: str, type: str.optional() }),
  emptyDir: z.looseObject({ medium: str.optional(), sizeLimit: quantitySchema.optional() }),
  secret: z.looseObject({
    secretName: str.optional(),
    items,
    defaultMode: int.optional(),
    optional: bool.optional(),
  }),
  configMap: z.looseObject({
    name: str.optional(),
    items,
    defaultMode: int.optional(),
    optional: bool.optional(),
  }),
  persistentVolumeClaim: z.looseObject({ claimName: str, readOnly: bool.optional() }),
  nfs: z.looseObject({ server: str, path: str, readOnly: bool.optional() }),
  downwardAPI: z.looseObject({
    items: z
      .array(
        z.looseObject({
          path: str,
          fieldRef: objectFieldSelector.optional(),
          resourceFieldRef: resourceFieldSelector.optional(),
          mode: int.optional(),
        }),
      )
      .optional(),
    defaultMode: int.optional(),
  }),
  projected: z.looseObject({
    sources: z.array(z.looseObject({})).optional(),
    defaultMode: int.optional(),
  }),
  csi: z.looseObject({
    driver: str,
    readOnly: bool.optional(),
    fsType: str.optional(),
    volumeAttributes: stringMap.optional(),
    nodePublishSecretRef: localObjectReference.optional(),
  }),
  ephemeral: z.looseObject({ volumeClaimTemplate: z.looseObject({}).optional() }),
  image: z.looseObject({ reference: str.optional(), pullPolicy: str.optional() }),
};

/** The volume source kinds a Pod may name (`hostPath`, `emptyDir`, …), from the schema above. */
export const VOLUME_SOURCES = Object.keys(volumeSources) as (keyof typeof volumeSources)[];

export const volumeSchema = z.looseObject({
  name: reqStr,
  ...Object.fromEntries(Object.entries(volumeSources).map(([k, v]) => [k, v.optional()])),
} as { name: typeof reqStr } & {
  [K in keyof typeof volumeSources]: z.ZodOptional<(typeof volumeSources)[K]>;
});
export type Volume = z.infer<typeof volumeSchema>;

export const tolerationSchema = z.looseObject({
  key: str.optional(),
  operator: str.optional(),
  value: str.optional(),
  effect: str.optional(),
  tolerationSeconds: int.optional(),
});
export type Toleration = z.infer<typeof tolerationSchema>;

/** Affinity is kept opaque below its three top-level kinds: podgate only needs to refuse it. */
const affinity = z.looseObject({
  nodeAffinity: z.looseObject({}).optional(),
  podAffinity: z.looseObject({}).optional(),
  podAntiAffinity: z.looseObject({}).optional(),
});

const podSecurityContext = z.looseObject({
  seLinuxOptions: seLinuxOptions.optional(),
  runAsUser: int.optional(),
  runAsGroup: int.optional(),
  runAsNonRoot: bool.optional(),
  supplementalGroups: z.array(int).optional(),
  fsGroup: int.optional(),
  fsGroupChangePolicy: str.optional(),
  sysctls: z.array(z.looseObject({ name: str, value: str })).optional(),
  seccompProfile: seccompProfile.optional(),
});

export const podSpecSchema = z
  .looseObject({
    volumes: z.array(volumeSchema).optional(),
    initContainers: z.array(containerSchema).optional(),
    containers: z.array(containerSchema).default([]),
    ephemeralContainers: z.array(containerSchema).optional(),
    restartPolicy: str.optional(),
    terminationGracePeriodSeconds: int.optional(),
    activeDeadlineSeconds: int.optional(),
    dnsPolicy: str.optional(),
    nodeSelector: stringMap.optional(),
    serviceAccountName: str.optional(),
    serviceAccount: str.optional(),
    automountServiceAccountToken: bool.optional(),
    nodeName: str.optional(),
    hostNetwork: bool.optional(),
    hostPID: bool.optional(),
    hostIPC: bool.optional(),
    shareProcessNamespace: bool.optional(),
    securityContext: podSecurityContext.optional(),
    imagePullSecrets: z.array(localObjectReference).optional(),
    hostname: str.optional(),
    subdomain: str.optional(),
    affinity: affinity.optional(),
    schedulerName: str.optional(),
    tolerations: z.array(tolerationSchema).optional(),
    hostAliases: z.array(z.looseObject({ ip: str, hostnames: z.array(str).optional() })).optional(),
    priorityClassName: str.optional(),
    priority: int.optional(),
    dnsConfig: z
      .looseObject({
        nameservers: z.array(str).optional(),
        searches: z.array(str).optional(),
        options: z.array(z.looseObject({ name: str.optional(), value: str.optional() })).optional(),
      })
      .optional(),
    readinessGates: z.array(z.looseObject({ conditionType: str })).optional(),
    runtimeClassName: str.optional(),
    enableServiceLinks: bool.optional(),
    preemptionPolicy: str.optional(),
    overhead: z.record(str, quantitySchema).optional(),
    topologySpreadConstraints: z.array(z.looseObject({ topologyKey: str })).optional(),
    setHostnameAsFQDN: bool.optional(),
    os: z.looseObject({ name: str }).optional(),
    hostUsers: bool.optional(),
    schedulingGates: z.array(z.looseObject({ name: str })).optional(),
    resourceClaims: z.array(z.looseObject({ name: str })).optional(),
    resources: resourceRequirementsSchema.optional(),
  })
  .meta({ id: 'PodSpec', description: 'The specification of the desired behavior of a pod.' });
export type PodSpec = z.infer<typeof podSpecSchema>;
