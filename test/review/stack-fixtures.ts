/**
 * Small cdk.tf.json documents for the review tests, shaped like cdktf 0.21 writes them: single
 * blocks as objects, "//" metadata on the stack and on each resource.
 */

export type Resources = Record<string, Record<string, unknown>>;

/** A stack document with cdktf's metadata noise around the given resources. */
export function stackDocument(resources: Resources, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const withMetadata: Resources = {};
  for (const [type, byName] of Object.entries(resources)) {
    withMetadata[type] = {};
    for (const [name, body] of Object.entries(byName)) {
      (withMetadata[type] as Record<string, unknown>)[name] = {
        "//": { metadata: { path: `stack/${name}`, uniqueId: name } },
        ...(body as Record<string, unknown>),
      };
    }
  }
  return {
    "//": { metadata: { backend: "local", stackName: "stack", version: "0.21.0" }, outputs: {} },
    provider: { kubernetes: [{ config_path: "~/.kube/config", config_context: "ctx" }] },
    resource: withMetadata,
    terraform: { required_providers: { kubernetes: { source: "kubernetes", version: "2.38.0" } } },
    ...extra,
  };
}

export function daemonSet(overrides: { selector?: Record<string, string>; image?: string } = {}) {
  return {
    metadata: { name: "nvidia-device-plugin-b1-gb200", namespace: "nvidia-device-plugin" },
    spec: {
      selector: { match_labels: overrides.selector ?? { "app.kubernetes.io/instance": "b1-gb200" } },
      template: {
        metadata: { labels: overrides.selector ?? { "app.kubernetes.io/instance": "b1-gb200" } },
        spec: {
          container: [
            { name: "nvidia-device-plugin-ctr", image: overrides.image ?? "nvcr.io/nvidia/k8s-device-plugin:v0.20.0" },
          ],
        },
      },
    },
  };
}

export function storageClass(overrides: Record<string, unknown> = {}) {
  return {
    metadata: { name: "shared-fs" },
    storage_provisioner: "lustre.csi.aws.com",
    parameters: { deploymentType: "PERSISTENT_2" },
    reclaim_policy: "Retain",
    volume_binding_mode: "Immediate",
    allow_volume_expansion: true,
    ...overrides,
  };
}

export function datasetClaim(overrides: { storage?: string; storageClass?: string; accessModes?: string[] } = {}) {
  return {
    lifecycle: { prevent_destroy: true },
    // How cdktf writes a reference to another resource's attribute.
    metadata: { name: "dataset", namespace: ["$", "{kubernetes_namespace_v1.research_ns.metadata[0].name}"].join("") },
    spec: {
      access_modes: overrides.accessModes ?? ["ReadWriteMany"],
      resources: { requests: { storage: overrides.storage ?? "512Ti" } },
      storage_class_name: overrides.storageClass ?? "shared-fs",
    },
    wait_until_bound: false,
  };
}

export const researchNamespace = { metadata: { name: "research" } };
