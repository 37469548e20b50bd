import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { RailNetworks, type RailNetworksProps } from "../../src/constructs/rail-networks.js";
import type { CampusPlan } from "../../src/plan/plan-types.js";
import { type EnvironmentName, planOf } from "../fixtures/environments.js";
import { manifestsOf, parseSynth, resourcesOf, testStack } from "../fixtures/stacks.js";

function railsOf(
  name: EnvironmentName,
  change: (network: CampusPlan["railNetwork"]) => CampusPlan["railNetwork"] = (n) => n,
  extra: Partial<RailNetworksProps> = {},
  clusterIndex = 0,
) {
  const plan = planOf(name);
  const cluster = plan.clusters[clusterIndex];
  if (!cluster) throw new Error(`${name} has no cluster ${clusterIndex}`);
  const stack = testStack(name);
  const rails = new RailNetworks(stack, "fabric", {
    cluster,
    network: change(plan.railNetwork),
    multus: true,
    ...extra,
  });
  const namespace = new NamespaceV1(stack, "team-a", { metadata: { name: "team-a" } });
  rails.addRailNetworks("team-a", namespace);
  return { stack, rails };
}

const synthJson = (stack: ReturnType<typeof testStack>) => parseSynth(Testing.synth(stack, true));

describe("RailNetworks", () => {
  it("GIVEN GB200 on InfiniBand with host-device WHEN synthesized THEN rail-0..rail-3 move each rail's NIC into the pod with its own range", () => {
    const { stack, rails } = railsOf("staging");
    const nads = manifestsOf(synthJson(stack), "NetworkAttachmentDefinition") as {
      apiVersion: string;
      metadata: { name: string; namespace: string };
      spec: { config: string };
    }[];
    expect(rails.rails).toBe(4);
    expect(nads.map((r) => r.metadata.name)).toEqual(["rail-0", "rail-1", "rail-2", "rail-3"]);
    expect(nads.every((r) => r.apiVersion === "k8s.cni.cncf.io/v1" && r.metadata.namespace === "team-a")).toBe(true);
    expect(JSON.parse(nads[0]?.spec.config ?? "")).toEqual({
      cniVersion: "0.4.0",
      name: "rail-0",
      type: "host-device",
      device: "rail0",
      ipam: { type: "whereabouts", range: "100.64.0.0/19" },
    });
    expect(JSON.parse(nads[3]?.spec.config ?? "").ipam.range).toBe("100.67.0.0/19");
    expect(rails.railsAnnotation).toEqual({ "k8s.v1.cni.cncf.io/networks": "rail-0,rail-1,rail-2,rail-3" });
  });

  it("GIVEN a rail network WHEN synthesized THEN it uses the explicit field manager and depends on its namespace", () => {
    const manifests = resourcesOf(synthJson(railsOf("staging").stack), "kubernetes_manifest");
    const rail = manifests.find((m) => (m.manifest as { kind: string }).kind === "NetworkAttachmentDefinition");
    expect(rail?.field_manager).toEqual({ name: "gpu-campus", force_conflicts: false });
    expect(rail?.depends_on).toEqual([expect.stringMatching(/^kubernetes_namespace_v1\.team-a/)]);
  });

  it("GIVEN three clusters on one building's fabric WHEN synthesized THEN their default rail ranges do not overlap", () => {
    const ranges = [0, 1, 2].map(
      (index) => railsOf("production", undefined, {}, index).rails.railCniConfig("rail-0", 0).ipam,
    );
    expect(ranges).toEqual([
      { type: "whereabouts", range: "100.64.0.0/19" },
      { type: "whereabouts", range: "100.64.32.0/19" },
      { type: "whereabouts", range: "100.64.64.0/19" },
    ]);
  });

  it("GIVEN SR-IOV on InfiniBand and on RoCE WHEN rendered THEN the ib-sriov and sriov plugins are used with a device resource", () => {
    const ib = railsOf("staging", (n) => ({ ...n, cni: "sriov" }));
    expect(ib.rails.railCniConfig("rail-1", 1)).toMatchObject({ type: "ib-sriov" });
    const nads = manifestsOf(synthJson(ib.stack), "NetworkAttachmentDefinition") as {
      metadata: { annotations: object };
    }[];
    expect(nads[1]?.metadata.annotations).toEqual({
      "gpu-campus.io/rail-transport": "infiniband",
      "k8s.v1.cni.cncf.io/resourceName": "gpu-campus.io/rail1",
    });
    const roce = railsOf("kind", (n) => ({ ...n, cni: "sriov" }));
    expect(roce.rails.railCniConfig("rail-0", 0)).toMatchObject({ type: "sriov" });
  });

  it("GIVEN no Multus WHEN synthesized THEN no rail network is managed", () => {
    const { stack } = railsOf("staging", undefined, { multus: false });
    expect(resourcesOf(synthJson(stack), "kubernetes_manifest")).toEqual([]);
  });

  it("GIVEN macvlan on InfiniBand WHEN validated THEN the synth fails naming railCni", () => {
    const { stack } = railsOf("staging", (n) => ({ ...n, cni: "macvlan" }));
    expect(() => Testing.synth(stack, true)).toThrow(/fabric\.railCni macvlan cannot carry InfiniBand/);
  });

  it("GIVEN fewer subnets than rails WHEN validated THEN the synth fails with both numbers", () => {
    const { stack } = railsOf("staging", undefined, { railSubnets: ["10.0.0.0/16"] });
    expect(() => Testing.synth(stack, true)).toThrow(/railSubnets has 1 subnet\(s\) for 4 rails/);
  });
});
