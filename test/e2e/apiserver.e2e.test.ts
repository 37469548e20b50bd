import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Kubectl, readNodeRecords } from "../../src/engine/kubectl.js";
import { LocalControlPlane } from "../../src/engine/local-control-plane.js";
import { loadControlPlaneToolchain } from "../../src/engine/toolchain.js";
import type { NodeRecord } from "../../src/plan/node-identity.js";
import { GPU_RESOURCE, LABEL, TOPOLOGY_LEVELS } from "../../src/vocabulary/labels.js";
import { reportFigure } from "./support/figures.js";
import { ROOT } from "./support/synth.js";

/**
 * What a real API server and kind's own types say about the kind environment, without a
 * Terraform provider: the generated kind config decodes strictly into kind's v1alpha4 types; the
 * nodes of the node registration register as they are; the custom resources the stack manages
 * (Kueue Topology and ResourceFlavors, Multus rail networks), exactly as synthesized, are accepted
 * by kube-apiserver against the real Kueue and Multus CRDs (the bootstrap's copies of upstream's);
 * and each ResourceFlavor selects exactly its pool's nodes.
 */
const tools = loadControlPlaneToolchain(ROOT);
const outdir = inject("synthDir");
const controlPlane = new LocalControlPlane(tools, "kind-gpu-campus");
let kubectl: Kubectl;

type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: Record<string, unknown>;
};

function stackManifests(from = outdir, stack = "kind-c1"): Manifest[] {
  const json = JSON.parse(readFileSync(join(from, "stacks", stack, "cdk.tf.json"), "utf8")) as {
    resource: Record<string, Record<string, { manifest?: Manifest }>>;
  };
  return Object.values(json.resource.kubernetes_manifest ?? {}).map((r) => {
    if (!r.manifest) throw new Error("kubernetes_manifest without manifest");
    return r.manifest;
  });
}

beforeAll(async () => {
  const endpoint = await controlPlane.start();
  kubectl = new Kubectl(tools.GPU_CAMPUS_KUBECTL, endpoint.kubeconfigPath);
}, 300_000);

afterAll(() => controlPlane.stop(), 120_000);

describe("the kind environment against kind's types and a real kube-apiserver", () => {
  it("GIVEN the generated kind config THEN kind's own v1alpha4 types decode it strictly", () => {
    const check = spawnSync("go", ["run", ".", join(outdir, "environments/kind/kind-config.yaml")], {
      cwd: join(ROOT, "scripts/kind-config-check"),
      encoding: "utf8",
    });
    expect(check.stderr).not.toMatch(/not a kind|nodes\[/);
    expect(check.status).toBe(0);
    expect(check.stdout).toContain('a valid kind v1alpha4 Cluster "gpu-campus" with 4 worker(s)');
  }, 300_000);

  it("GIVEN the node registration WHEN registered THEN the API server holds the nodes with their labels, taints and GPUs", () => {
    const records = readNodeRecords(join(outdir, "environments/kind/nodes/c1.jsonl"));
    kubectl.registerNodes(records);
    const nodes = kubectl.json<{
      items: {
        metadata: { name: string; labels: Record<string, string> };
        spec: { taints: unknown[] };
        status: { allocatable: Record<string, string> };
      }[];
    }>(["get", "nodes"]);
    expect(nodes.items).toHaveLength(records.length);
    for (const record of records) {
      const node = nodes.items.find((n) => n.metadata.name === record.name);
      expect(node?.metadata.labels).toMatchObject(record.labels);
      // The API server adds node.kubernetes.io/not-ready itself (no kubelet reports Ready here).
      expect(node?.spec.taints).toEqual(expect.arrayContaining(record.taints.map((t) => ({ ...t }))));
      expect(node?.status.allocatable[GPU_RESOURCE]).toBe(record.capacity[GPU_RESOURCE]);
    }
    // Every Kueue topology level is a label every node carries.
    for (const level of TOPOLOGY_LEVELS) {
      const labelled = kubectl.json<{ items: unknown[] }>(["get", "nodes", "-l", level]);
      expect(labelled.items, level).toHaveLength(records.length);
    }
  });

  it("GIVEN the real Kueue and Multus CRDs WHEN the stack's custom resources are applied as synthesized THEN the API server accepts them", () => {
    expect(kubectl.installCrds(tools.GPU_CAMPUS_KUEUE_CRDS, tools.GPU_CAMPUS_MULTUS_CRDS)).toEqual(
      expect.arrayContaining([
        "topologies.kueue.x-k8s.io",
        "resourceflavors.kueue.x-k8s.io",
        "network-attachment-definitions.k8s.cni.cncf.io",
      ]),
    );
    const manifests = stackManifests();
    expect(manifests.map((m) => m.kind).sort()).toEqual([
      "ClusterQueue",
      "ClusterQueue",
      "Cohort",
      "LocalQueue",
      "LocalQueue",
      ...Array(8).fill("NetworkAttachmentDefinition"),
      "ResourceFlavor",
      "ResourceFlavor",
      "Topology",
      ...Array(3).fill("WorkloadPriorityClass"),
    ]);
    for (const namespace of new Set(manifests.flatMap((m) => (m.metadata.namespace ? [m.metadata.namespace] : [])))) {
      kubectl.run(["create", "namespace", namespace]);
    }
    for (const manifest of manifests) {
      kubectl.run(["apply", "--server-side", "--field-manager=gpu-campus-e2e", "-f", "-"], JSON.stringify(manifest));
    }
    const topology = kubectl.json<{ spec: { levels: { nodeLabel: string }[] } }>([
      "get",
      "topologies.kueue.x-k8s.io",
      "gpu-campus",
    ]);
    expect(topology.spec.levels.map((l) => l.nodeLabel)).toEqual([...TOPOLOGY_LEVELS]);
    const rails = kubectl.json<{ items: { metadata: { name: string }; spec: { config: string } }[] }>([
      "get",
      "network-attachment-definitions.k8s.cni.cncf.io",
      "-n",
      "team-a",
    ]);
    expect(rails.items.map((r) => r.metadata.name).sort()).toEqual(["rail-0", "rail-1", "rail-2", "rail-3"]);
    for (const rail of rails.items)
      expect(JSON.parse(rail.spec.config)).toMatchObject({ cniVersion: expect.any(String) });
  });

  it("GIVEN the registered nodes THEN each ResourceFlavor's nodeLabels select exactly its pool's nodes", () => {
    const flavors = kubectl.json<{
      items: { metadata: { name: string }; spec: { nodeLabels: Record<string, string>; topologyName: string } }[];
    }>(["get", "resourceflavors.kueue.x-k8s.io"]);
    expect(flavors.items.map((f) => f.metadata.name).sort()).toEqual(["k1-sim", "k2-sim"]);
    for (const flavor of flavors.items) {
      expect(flavor.spec.topologyName).toBe("gpu-campus");
      const selector = Object.entries(flavor.spec.nodeLabels)
        .map(([key, value]) => `${key}=${value}`)
        .join(",");
      const selected = kubectl.json<{ items: { metadata: { labels: Record<string, string> } }[] }>([
        "get",
        "nodes",
        "-l",
        selector,
      ]);
      expect(selected.items).toHaveLength(2);
      const building = flavor.metadata.name.split("-")[0];
      expect(selected.items.every((n) => n.metadata.labels[LABEL.building] === building)).toBe(true);
    }
  });
});

describe("a production cluster's node registration against a real kube-apiserver", () => {
  const STACK = "production-b1-c1";
  let records: NodeRecord[] = [];

  beforeAll(() => {
    records = readNodeRecords(join(outdir, "environments/production/nodes/b1-c1.jsonl"));
  });

  it("GIVEN 4,320 GB200 node records WHEN registered through the API THEN the API server accepts every name, label and taint", async () => {
    expect(records).toHaveLength(4_320);
    const started = Date.now();
    await controlPlane.registerNodes(records, { advertiseCapacity: false });
    const seconds = (Date.now() - started) / 1000;
    const names = kubectl
      .run(["get", "nodes", "-l", `${LABEL.cluster}=b1-c1`, "-o", "name"])
      .trim()
      .split("\n");
    expect(names).toHaveLength(4_320);
    // One scalable unit is 8 NVL72 racks of 18 trays; one rack is one NVLink domain.
    const unit = kubectl
      .run(["get", "nodes", "-l", `${LABEL.scalableUnit}=b1-gb200-su01`, "-o", "name"])
      .trim()
      .split("\n");
    expect(unit).toHaveLength(144);
    const domain = kubectl
      .run(["get", "nodes", "-l", `${LABEL.nvlinkDomain}=b1-gb200-r0001`, "-o", "name"])
      .trim()
      .split("\n");
    expect(domain).toHaveLength(18);
    reportFigure("apiserver", `${STACK} nodes registered (${records.length})`, seconds);
  }, 600_000);

  it("GIVEN the stack's custom resources WHEN applied as synthesized THEN the pool's ResourceFlavor selects all its nodes", () => {
    const manifests = stackManifests(outdir, STACK);
    for (const namespace of new Set(manifests.flatMap((m) => (m.metadata.namespace ? [m.metadata.namespace] : [])))) {
      kubectl.run(["create", "namespace", namespace]);
    }
    for (const manifest of manifests) {
      kubectl.run(["apply", "--server-side", "--field-manager=gpu-campus-e2e", "-f", "-"], JSON.stringify(manifest));
    }
    const flavors = manifests.filter((m) => m.kind === "ResourceFlavor");
    expect(flavors).toHaveLength(1);
    for (const flavor of flavors) {
      const selector = Object.entries(flavor.spec.nodeLabels as Record<string, string>)
        .map(([key, value]) => `${key}=${value}`)
        .join(",");
      expect(kubectl.run(["get", "nodes", "-l", selector, "-o", "name"]).trim().split("\n")).toHaveLength(4_320);
      expect(flavor.spec.tolerations).toEqual([expect.objectContaining({ key: GPU_RESOURCE, operator: "Exists" })]);
    }
    // Every node carries every Kueue topology level: one selector requiring them all.
    const everyLevel = [`${LABEL.cluster}=b1-c1`, ...TOPOLOGY_LEVELS].join(",");
    expect(kubectl.run(["get", "nodes", "-l", everyLevel, "-o", "name"]).trim().split("\n")).toHaveLength(4_320);
  }, 300_000);
});
