import { CronJobV1 } from "@cdktf/provider-kubernetes/lib/cron-job-v1";
import { DaemonSetV1, type DaemonSetV1SpecTemplateSpec } from "@cdktf/provider-kubernetes/lib/daemon-set-v1";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { LimitRangeV1 } from "@cdktf/provider-kubernetes/lib/limit-range-v1";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { NetworkPolicyV1, type NetworkPolicyV1Config } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { PersistentVolumeClaimV1 } from "@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { Aspects, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { PolicyPack, type PolicyPackProps } from "../../src/policy/policy-pack.js";
import { NAMESPACE_NAME_LABEL } from "../../src/vocabulary/names.js";

/**
 * Minimal constructs for the policy tests. Each is compliant with every rule by default; a prop
 * breaks exactly one thing, so a fixture proves one rule can fail. `null` removes a field.
 */

export const DIGEST = `sha256:${"a1".repeat(32)}`;
export const GOOD_IMAGE = `registry.example.com/team/trainer:1.4.2@${DIGEST}`;

export interface WorkloadProps {
  /** How the workload is written: provider resources (snake_case) or kubernetes_manifest (camelCase). */
  readonly kind?: "daemon-set" | "deployment" | "cron-job" | "manifest-deployment";
  /** @default "apps" - null: no namespace */
  readonly namespace?: string | null;
  /** @default - a tagged image with digest */
  readonly image?: string;
  readonly privileged?: boolean;
  /** @default false */
  readonly allowPrivilegeEscalation?: boolean | null;
  /** @default ["ALL"] */
  readonly drop?: readonly string[];
  readonly add?: readonly string[];
  /** Pod-level runAsNonRoot. @default true */
  readonly runAsNonRoot?: boolean | null;
  /** Container runAsUser. @default "1000" */
  readonly runAsUser?: string;
  /** @default true */
  readonly readOnlyRootFilesystem?: boolean | null;
  /** Pod-level seccomp profile type. @default "RuntimeDefault" */
  readonly seccomp?: string | null;
  /** @default - cpu and memory requests and limits */
  readonly limits?: Record<string, string> | null;
  readonly hostPath?: string;
  readonly hostNetwork?: boolean;
  readonly hostPid?: boolean;
  readonly hostIpc?: boolean;
  /** Pod's automountServiceAccountToken. @default false */
  readonly automountToken?: boolean | null;
  readonly serviceAccountName?: string;
  /** Annotations on the workload object. */
  readonly annotations?: Record<string, string>;
}

const REQUESTS = { cpu: "100m", memory: "128Mi" };
const LIMITS = { cpu: "500m", memory: "256Mi" };

const unlessNull = <T>(value: T | null | undefined, fallback: T): T | undefined =>
  value === null ? undefined : (value ?? fallback);

/** The pod spec in the provider's shape (camelCase props that synthesize to snake_case). */
function providerPodSpec(props: WorkloadProps): DaemonSetV1SpecTemplateSpec {
  const seccomp = unlessNull(props.seccomp, "RuntimeDefault");
  return {
    hostNetwork: props.hostNetwork,
    hostPid: props.hostPid,
    hostIpc: props.hostIpc,
    automountServiceAccountToken: unlessNull(props.automountToken, false),
    serviceAccountName: props.serviceAccountName,
    securityContext: {
      runAsNonRoot: unlessNull(props.runAsNonRoot, true),
      ...(seccomp && { seccompProfile: { type: seccomp } }),
    },
    container: [
      {
        name: "main",
        image: props.image ?? GOOD_IMAGE,
        securityContext: {
          privileged: props.privileged,
          allowPrivilegeEscalation: unlessNull(props.allowPrivilegeEscalation, false),
          capabilities: { drop: [...(props.drop ?? ["ALL"])], ...(props.add && { add: [...props.add] }) },
          runAsUser: props.runAsUser ?? "1000",
          readOnlyRootFilesystem: unlessNull(props.readOnlyRootFilesystem, true),
        },
        resources:
          props.limits === null ? { requests: REQUESTS } : { requests: REQUESTS, limits: props.limits ?? LIMITS },
        ...(props.hostPath && { volumeMount: [{ name: "host", mountPath: "/host" }] }),
      },
    ],
    ...(props.hostPath && { volume: [{ name: "host", hostPath: { path: props.hostPath } }] }),
  };
}

/** The same pod spec as Kubernetes spells it, for kubernetes_manifest. */
function manifestPodSpec(props: WorkloadProps): Record<string, unknown> {
  const seccomp = unlessNull(props.seccomp, "RuntimeDefault");
  return {
    hostNetwork: props.hostNetwork,
    automountServiceAccountToken: unlessNull(props.automountToken, false),
    securityContext: {
      runAsNonRoot: unlessNull(props.runAsNonRoot, true),
      ...(seccomp && { seccompProfile: { type: seccomp } }),
    },
    containers: [
      {
        name: "main",
        image: props.image ?? GOOD_IMAGE,
        securityContext: {
          privileged: props.privileged,
          allowPrivilegeEscalation: unlessNull(props.allowPrivilegeEscalation, false),
          capabilities: { drop: [...(props.drop ?? ["ALL"])] },
          runAsUser: 1000,
          readOnlyRootFilesystem: unlessNull(props.readOnlyRootFilesystem, true),
        },
        resources:
          props.limits === null ? { requests: REQUESTS } : { requests: REQUESTS, limits: props.limits ?? LIMITS },
      },
    ],
    ...(props.hostPath && { volumes: [{ name: "host", hostPath: { path: props.hostPath } }] }),
  };
}

/** A workload (DaemonSet by default): the resource is the child `resource`. */
export class FixtureWorkload extends Construct {
  constructor(scope: Construct, id: string, props: WorkloadProps = {}) {
    super(scope, id);
    const namespace = unlessNull(props.namespace, "apps");
    const metadata = { name: id, namespace, annotations: props.annotations };
    const labels = { app: id };
    const template = { metadata: { labels }, spec: providerPodSpec(props) };
    switch (props.kind ?? "daemon-set") {
      case "daemon-set":
        new DaemonSetV1(this, "resource", { metadata, spec: { selector: { matchLabels: labels }, template } });
        break;
      case "deployment":
        new DeploymentV1(this, "resource", { metadata, spec: { selector: { matchLabels: labels }, template } });
        break;
      case "cron-job":
        new CronJobV1(this, "resource", {
          metadata,
          spec: { schedule: "0 * * * *", jobTemplate: { metadata: {}, spec: { template } } },
        });
        break;
      case "manifest-deployment":
        new Manifest(this, "resource", {
          manifest: {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: {
              name: id,
              ...(namespace && { namespace }),
              ...(props.annotations && { annotations: props.annotations }),
            },
            spec: {
              selector: { matchLabels: labels },
              template: { metadata: { labels }, spec: manifestPodSpec(props) },
            },
          },
        });
        break;
    }
  }
}

export interface TenantProps {
  readonly name?: string;
  /** Pod Security level enforced. @default "restricted" - null: no label */
  readonly enforce?: string | null;
  /**
   * @default "deny" - "allow-only": only an allow policy; "allow-all-namespaces": the deny plus an
   * allow from `namespaceSelector: {}`; "allow-any-source": the deny plus a rule without `from`;
   * "allow-own-namespace-by-name": the deny plus an allow from a selector of its own name; null: none
   */
  readonly networkPolicy?:
    | "deny"
    | "allow-only"
    | "allow-all-namespaces"
    | "allow-any-source"
    | "allow-own-namespace-by-name"
    | null;
  /** GPUs in the ResourceQuota. @default 8 - null: no quota */
  readonly gpuQuota?: number | null;
  /** @default true */
  readonly limitRange?: boolean;
}

/** A tenant namespace with the objects the tenant rules ask for; namespace references order creation. */
export class FixtureTenant extends Construct {
  constructor(scope: Construct, id: string, props: TenantProps = {}) {
    super(scope, id);
    const enforce = unlessNull(props.enforce, "restricted");
    const namespace = new NamespaceV1(this, "namespace", {
      metadata: {
        name: props.name ?? "team-a",
        labels: enforce ? { "pod-security.kubernetes.io/enforce": enforce } : {},
      },
    });
    const metadata = (name: string) => ({ name, namespace: namespace.metadata.name });
    const policy = unlessNull(props.networkPolicy, "deny");
    if (policy !== undefined && policy !== "allow-only") {
      new NetworkPolicyV1(this, "deny", {
        metadata: metadata("deny"),
        spec: { podSelector: {}, policyTypes: ["Ingress"] },
      });
    }
    const allow = (ingress: NonNullable<NetworkPolicyV1Config["spec"]["ingress"]>) =>
      new NetworkPolicyV1(this, "allow", {
        metadata: metadata("allow"),
        spec: { podSelector: {}, policyTypes: ["Ingress"], ingress },
      });
    if (policy === "allow-all-namespaces") allow([{ from: [{ namespaceSelector: {} }] }]);
    if (policy === "allow-any-source") allow([{ ports: [{ port: "8080", protocol: "TCP" }] }]);
    if (policy === "allow-own-namespace-by-name") {
      allow([{ from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: props.name ?? "team-a" } } }] }]);
    }
    if (policy === "allow-only") {
      new NetworkPolicyV1(this, "allow", {
        metadata: metadata("allow"),
        spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: {} }] }] },
      });
    }
    const gpus = unlessNull(props.gpuQuota, 8);
    if (gpus !== undefined) {
      new ResourceQuotaV1(this, "quota", {
        metadata: metadata("quota"),
        spec: { hard: { "requests.nvidia.com/gpu": String(gpus) } },
      });
    }
    if (props.limitRange ?? true) {
      new LimitRangeV1(this, "limits", {
        metadata: metadata("limits"),
        spec: { limit: [{ type: "Container", default: { cpu: "1", memory: "1Gi" } }] },
      });
    }
  }
}

/** A namespace that is not a tenant's. */
export function fixtureNamespace(
  scope: Construct,
  id: string,
  name: string,
  enforce: string | null,
  annotations?: Record<string, string>,
) {
  return new NamespaceV1(scope, id, {
    metadata: { name, labels: enforce ? { "pod-security.kubernetes.io/enforce": enforce } : {}, annotations },
  });
}

export interface VolumeProps {
  /** @default "Retain" */
  readonly reclaimPolicy?: string;
  /** @default true */
  readonly preventDestroy?: boolean;
  /** @default - the class this fixture defines; null: none; a string: a class the stack lacks */
  readonly storageClass?: string | null;
}

/** A data volume: a StorageClass and a PVC that references it. */
export class FixtureVolume extends Construct {
  constructor(scope: Construct, id: string, props: VolumeProps = {}) {
    super(scope, id);
    const storageClass = new StorageClassV1(this, "class", {
      metadata: { name: `${id}-class` },
      storageProvisioner: "csi.example.com",
      reclaimPolicy: props.reclaimPolicy ?? "Retain",
    });
    const className = props.storageClass === undefined ? storageClass.metadata.name : (props.storageClass ?? undefined);
    new PersistentVolumeClaimV1(this, "claim", {
      metadata: { name: id, namespace: "apps" },
      spec: {
        accessModes: ["ReadWriteMany"],
        storageClassName: className,
        resources: { requests: { storage: "1Ti" } },
      },
      waitUntilBound: false,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
  }
}

/** A Kueue Topology with the given node labels as levels. */
export function fixtureTopology(scope: Construct, id: string, levels: readonly string[]) {
  return new Manifest(scope, id, {
    manifest: {
      apiVersion: "kueue.x-k8s.io/v1beta2",
      kind: "Topology",
      metadata: { name: id },
      spec: { levels: levels.map((nodeLabel) => ({ nodeLabel })) },
    },
  });
}

export function fixtureServiceAccount(scope: Construct, id: string, automount: boolean | undefined) {
  return new ServiceAccountV1(scope, id, {
    metadata: { name: id, namespace: "apps" },
    automountServiceAccountToken: automount,
  });
}

/** A stack named "fixture" with the pack applied. */
export function fixtureStack(props: PolicyPackProps = {}): { stack: TerraformStack; pack: PolicyPack } {
  const stack = new TerraformStack(Testing.app(), "fixture");
  new KubernetesProvider(stack, "kubernetes", {});
  const pack = new PolicyPack(props);
  Aspects.of(stack).add(pack);
  return { stack, pack };
}

export interface Finding {
  readonly path: string;
  readonly rule: string;
  readonly message: string;
}

/** Synthesizes with validations; returns the policy errors (parsed from the thrown message) and warnings. */
export function synthFindings(stack: TerraformStack): { errors: Finding[]; warnings: Finding[] } {
  const errors: Finding[] = [];
  try {
    Testing.synth(stack, true);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    for (const match of text.matchAll(/^ {2}\[([^\]]*)\] ((GPC-\d{3}) .*)$/gm)) {
      errors.push({ path: match[1] ?? "", rule: match[3] ?? "", message: match[2] ?? "" });
    }
    if (errors.length === 0) throw error;
  }
  const warnings: Finding[] = stack.node
    .findAll()
    .flatMap((node) =>
      node.node.metadata
        .filter((m) => m.type === "@cdktf/warn" && String(m.data).startsWith("[GPC-"))
        .map((m) => ({ path: node.node.path, rule: String(m.data).slice(1, 8), message: String(m.data) })),
    );
  return { errors, warnings };
}
