import { describe, expect, it } from "vitest";
import { diffStack } from "../../../src/review/diff/stack-diff.js";
import { daemonSet, datasetClaim, researchNamespace, stackDocument, storageClass } from "../stack-fixtures.js";

describe("diffStack", () => {
  it("GIVEN two stacks that differ only in cdktf's // metadata keys WHEN compared THEN the stack is unchanged", () => {
    // GIVEN two stacks that differ only in construct paths and stack metadata
    const before = stackDocument({ kubernetes_namespace_v1: { ns: researchNamespace } });
    const after = stackDocument({
      kubernetes_namespace_v1: { ns: { ...researchNamespace, "//": { metadata: { path: "moved/ns" } } } },
    });
    after["//"] = { metadata: { stackName: "renamed-construct", version: "0.21.0" } };
    expect(JSON.stringify(after)).not.toBe(JSON.stringify(before));
    // WHEN they are compared
    const change = diffStack("s", before, after);
    // THEN nothing changed
    expect(change.status).toBe("unchanged");
    expect(change.resources).toEqual([]);
    expect(change.unchanged).toBe(1);
  });

  it("GIVEN an image bump WHEN compared THEN it is an in-place update with the attribute path and old → new", () => {
    const before = stackDocument({ kubernetes_daemon_set_v1: { plugin: daemonSet() } });
    const after = stackDocument({
      kubernetes_daemon_set_v1: { plugin: daemonSet({ image: "nvcr.io/nvidia/k8s-device-plugin:v0.21.0" }) },
    });
    const [change] = diffStack("s", before, after).resources;
    expect(change?.action).toBe("update");
    expect(change?.object).toBe("DaemonSet nvidia-device-plugin/nvidia-device-plugin-b1-gb200");
    expect(change?.attributes).toEqual([
      {
        path: "spec.template.spec.container[0].image",
        before: "nvcr.io/nvidia/k8s-device-plugin:v0.20.0",
        after: "nvcr.io/nvidia/k8s-device-plugin:v0.21.0",
      },
    ]);
  });

  it("GIVEN a DaemonSet selector change WHEN compared THEN it is a replacement, naming the field that forces it", () => {
    const before = stackDocument({ kubernetes_daemon_set_v1: { plugin: daemonSet() } });
    const after = stackDocument({ kubernetes_daemon_set_v1: { plugin: daemonSet({ selector: { app: "plugin" } }) } });
    const [change] = diffStack("s", before, after).resources;
    expect(change?.action).toBe("replace");
    expect(change?.replaceOrder).toBe("destroy-before-create");
    const forcing = change?.attributes.filter((a) => a.forcesReplacement).map((a) => a.path);
    expect(forcing).toEqual([
      'spec.selector.match_labels["app.kubernetes.io/instance"]',
      "spec.selector.match_labels.app",
    ]);
  });

  it.each([
    ["storage_provisioner", { storage_provisioner: "fsx.csi.aws.com" }],
    ["parameters", { parameters: { deploymentType: "SCRATCH_2" } }],
    ["reclaim_policy", { reclaim_policy: "Delete" }],
    ["volume_binding_mode", { volume_binding_mode: "WaitForFirstConsumer" }],
  ])("GIVEN a StorageClass whose %s changes WHEN compared THEN it is replaced", (field, overrides) => {
    const before = stackDocument({ kubernetes_storage_class_v1: { shared: storageClass() } });
    const after = stackDocument({ kubernetes_storage_class_v1: { shared: storageClass(overrides) } });
    const [change] = diffStack("s", before, after).resources;
    expect(change?.action).toBe("replace");
    expect(change?.attributes.find((a) => a.forcesReplacement)?.path).toMatch(new RegExp(`^${field}`));
  });

  it("GIVEN a StorageClass whose only change is allow_volume_expansion WHEN compared THEN it is updated in place", () => {
    const before = stackDocument({ kubernetes_storage_class_v1: { shared: storageClass() } });
    const after = stackDocument({
      kubernetes_storage_class_v1: { shared: storageClass({ allow_volume_expansion: false }) },
    });
    expect(diffStack("s", before, after).resources[0]?.action).toBe("update");
  });

  it.each([
    ["storage_class_name", { storageClass: "checkpoint" }],
    ["access_modes", { accessModes: ["ReadWriteOnce"] }],
  ])("GIVEN a PVC whose %s changes WHEN compared THEN it is replaced and marked data-holding", (_field, overrides) => {
    const before = stackDocument({ kubernetes_persistent_volume_claim_v1: { dataset: datasetClaim() } });
    const after = stackDocument({ kubernetes_persistent_volume_claim_v1: { dataset: datasetClaim(overrides) } });
    const [change] = diffStack("s", before, after).resources;
    expect(change?.action).toBe("replace");
    expect(change?.dataHolding).toBe(true);
  });

  it("GIVEN a PVC that shrinks WHEN compared THEN a note says it cannot shrink", () => {
    const before = stackDocument({ kubernetes_persistent_volume_claim_v1: { dataset: datasetClaim() } });
    const after = stackDocument({
      kubernetes_persistent_volume_claim_v1: { dataset: datasetClaim({ storage: "256Ti" }) },
    });
    const [change] = diffStack("s", before, after).resources;
    expect(change?.action).toBe("update");
    expect(change?.attributes[0]?.note).toMatch(/cannot shrink/);
  });

  it("GIVEN a namespace reference WHEN the object is named THEN the reference is resolved", () => {
    const doc = stackDocument({
      kubernetes_namespace_v1: { research_ns: researchNamespace },
      kubernetes_persistent_volume_claim_v1: { dataset: datasetClaim() },
    });
    const change = diffStack("s", undefined, doc);
    expect(change.resources.map((r) => r.object)).toContain("PersistentVolumeClaim research/dataset");
  });

  it.each([
    ["metadata.name", { metadata: { name: "campus-inventory-v2", namespace: "gpu-campus-system" } }],
    ["metadata.namespace", { metadata: { name: "campus-inventory", namespace: "other" } }],
  ])("GIVEN any object whose %s changes WHEN compared THEN it is replaced", (_field, body) => {
    const before = stackDocument({
      kubernetes_config_map_v1: { inv: { metadata: { name: "campus-inventory", namespace: "gpu-campus-system" } } },
    });
    const after = stackDocument({ kubernetes_config_map_v1: { inv: body } });
    expect(diffStack("s", before, after).resources[0]?.action).toBe("replace");
  });

  it.each([
    ["apiVersion", { apiVersion: "kueue.x-k8s.io/v1beta2", kind: "Topology" }],
    ["kind", { apiVersion: "kueue.x-k8s.io/v1beta1", kind: "ResourceFlavor" }],
  ])("GIVEN a kubernetes_manifest whose %s changes WHEN compared THEN it is replaced", (field, head) => {
    const manifest = (m: Record<string, unknown>) => ({
      manifest: { ...m, metadata: { name: "gpu-campus" }, spec: { levels: [] } },
    });
    const before = stackDocument({
      kubernetes_manifest: { topology: manifest({ apiVersion: "kueue.x-k8s.io/v1beta1", kind: "Topology" }) },
    });
    const after = stackDocument({ kubernetes_manifest: { topology: manifest(head) } });
    const [change] = diffStack("s", before, after).resources;
    expect(change?.action).toBe("replace");
    expect(change?.attributes.find((a) => a.forcesReplacement)?.path).toBe(`manifest.${field}`);
  });

  it("GIVEN a JSON document in a ConfigMap value WHEN compared THEN it is read field by field", () => {
    const inventory = (gpus: number) => ({
      metadata: { name: "campus-inventory" },
      data: {
        "capacity.json": `${JSON.stringify({ id: "b1-c1", gpus, tenants: [{ id: "a", gpuQuota: 8 }] }, null, 2)}\n`,
      },
    });
    const before = stackDocument({ kubernetes_config_map_v1: { inv: inventory(16704) } });
    const after = stackDocument({ kubernetes_config_map_v1: { inv: inventory(18000) } });
    const [change] = diffStack("s", before, after).resources;
    expect(change?.attributes).toEqual([{ path: 'data["capacity.json"] › gpus', before: 16704, after: 18000 }]);
  });

  it("GIVEN a moved block WHEN compared THEN it is followed instead of destroying and re-creating", () => {
    const before = stackDocument({ kubernetes_persistent_volume_claim_v1: { old_id: datasetClaim() } });
    const after = stackDocument(
      { kubernetes_persistent_volume_claim_v1: { new_id: datasetClaim() } },
      {
        moved: [
          {
            from: "kubernetes_persistent_volume_claim_v1.old_id",
            to: "kubernetes_persistent_volume_claim_v1.new_id",
          },
        ],
      },
    );
    const change = diffStack("s", before, after);
    expect(change.resources).toEqual([]);
    expect(change.unchanged).toBe(1);
  });

  it("GIVEN an address change without a moved block WHEN compared THEN it says the same object is destroyed and re-created", () => {
    const before = stackDocument({ kubernetes_persistent_volume_claim_v1: { old_id: datasetClaim() } });
    const after = stackDocument({ kubernetes_persistent_volume_claim_v1: { new_id: datasetClaim() } });
    const { resources } = diffStack("s", before, after);
    const removed = resources.find((r) => r.action === "delete");
    expect(removed?.address).toBe("kubernetes_persistent_volume_claim_v1.old_id");
    expect(removed?.notes?.[0]).toMatch(/a `moved` block from kubernetes_persistent_volume_claim_v1.old_id/);
  });

  it("GIVEN a backend change WHEN compared THEN it is reported as a stack setting that moves the state", () => {
    const before = stackDocument({}, { terraform: { backend: { s3: { key: "a.tfstate" } } } });
    const after = stackDocument({}, { terraform: { backend: { s3: { key: "b.tfstate" } } } });
    const change = diffStack("s", before, after);
    expect(change.status).toBe("changed");
    expect(change.settings[0]).toMatchObject({
      path: "terraform.backend.s3.key",
      before: "a.tfstate",
      after: "b.tfstate",
    });
    expect(change.settings[0]?.note).toMatch(/migrate-state/);
  });

  it("GIVEN a new and a removed data source WHEN compared THEN the new one is read and the removed one forgotten, never destroying anything", () => {
    const before = stackDocument(
      {},
      { data: { kubernetes_namespace_v1: { old: { metadata: { name: "kube-system" } } } } },
    );
    const after = stackDocument({}, { data: { kubernetes_nodes: { gpu: { metadata: { labels: { a: "b" } } } } } });
    const actions = diffStack("s", before, after).resources.map((r) => [r.address, r.action]);
    expect(actions).toEqual([
      ["data.kubernetes_nodes.gpu", "read"],
      ["data.kubernetes_namespace_v1.old", "forget"],
    ]);
  });

  it("GIVEN a new and a removed stack WHEN compared THEN every resource of the new one is created and of the removed one destroyed", () => {
    const doc = stackDocument({ kubernetes_namespace_v1: { ns: researchNamespace } });
    expect(diffStack("s", undefined, doc)).toMatchObject({ status: "added", resources: [{ action: "create" }] });
    expect(diffStack("s", doc, undefined)).toMatchObject({ status: "removed", resources: [{ action: "delete" }] });
  });
});
