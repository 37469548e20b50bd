import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { GpuNodePool } from "../../src/constructs/gpu-node-pool.js";
import { KueueScheduling, type KueueSchedulingProps } from "../../src/constructs/kueue-scheduling.js";
import { NvidiaDevicePlugin } from "../../src/constructs/nvidia-device-plugin.js";
import { GPU_TAINT, LABEL, TOPOLOGY_LEVELS } from "../../src/vocabulary/labels.js";
import { type EnvironmentName, planOf } from "../fixtures/environments.js";
import { manifestsOf, parseSynth, resourcesOf, testStack } from "../fixtures/stacks.js";

function kueueOf(name: EnvironmentName, props: KueueSchedulingProps = {}) {
  const plan = planOf(name);
  const cluster = plan.clusters[0];
  if (!cluster) throw new Error(`${name} has no cluster`);
  const stack = testStack(name);
  const kueue = new KueueScheduling(stack, "kueue", props);
  const devicePlugin = cluster.simulated
    ? undefined
    : new NvidiaDevicePlugin(stack, "plugin", { kubernetesVersion: "1.33" });
  const pools = cluster.buildings.flatMap((b) =>
    b.pools.map(
      (slice) => new GpuNodePool(stack, `pool-${slice.name}`, { slice, ...(devicePlugin && { devicePlugin }) }),
    ),
  );
  for (const pool of pools) kueue.addPool(pool);
  return { stack, kueue, pools };
}

const synthJson = (stack: ReturnType<typeof testStack>) => parseSynth(Testing.synth(stack, true));

describe("KueueScheduling", () => {
  it("GIVEN a cluster WHEN synthesized THEN one v1beta2 Topology has the campus levels, hostname last", () => {
    const { stack } = kueueOf("staging");
    const [topology] = manifestsOf(synthJson(stack), "Topology");
    expect(topology).toEqual(
      expect.objectContaining({
        apiVersion: "kueue.x-k8s.io/v1beta2",
        spec: { levels: TOPOLOGY_LEVELS.map((nodeLabel) => ({ nodeLabel })) },
      }),
    );
    expect(TOPOLOGY_LEVELS.at(-1)).toBe(LABEL.hostname);
  });

  it("GIVEN two pools WHEN added THEN each gets a ResourceFlavor with its selector, the Topology and the GPU toleration", () => {
    const { stack, pools, kueue } = kueueOf("kind");
    const flavors = manifestsOf(synthJson(stack), "ResourceFlavor");
    expect(flavors).toHaveLength(2);
    expect(kueue.resourceFlavorNames).toEqual(["k1-sim", "k2-sim"]);
    expect(flavors).toEqual(
      pools.map((pool) =>
        expect.objectContaining({
          apiVersion: "kueue.x-k8s.io/v1beta2",
          metadata: expect.objectContaining({ name: pool.name }),
          spec: {
            nodeLabels: pool.nodeSelector,
            topologyName: "gpu-campus",
            tolerations: [{ key: GPU_TAINT.key, operator: "Exists", effect: GPU_TAINT.effect }],
          },
        }),
      ),
    );
  });

  it("GIVEN the flavors WHEN synthesized THEN they use the explicit field manager and depend on the Topology", () => {
    const { stack } = kueueOf("staging");
    const manifests = resourcesOf(synthJson(stack), "kubernetes_manifest");
    for (const manifest of manifests) {
      expect(manifest.field_manager).toEqual({ name: "gpu-campus", force_conflicts: false });
      expect(manifest.computed_fields).toEqual(["metadata.annotations", "metadata.labels"]);
    }
    const flavor = manifests.find((m) => (m.manifest as { kind: string }).kind === "ResourceFlavor");
    expect(flavor?.depends_on).toEqual([expect.stringMatching(/^kubernetes_manifest\.kueue_topology_/)]);
  });

  it("GIVEN objects that sat under the fabric construct before WHEN synthesized THEN moved blocks carry their state to the new addresses", () => {
    // The stacks deployed before Kueue had a construct of its own hold these objects at
    // kubernetes_manifest.fabric_topology_FC3D84CA and ...fabric_flavor-stg-gb200_859B9F00 (cdk.tf.json of main at d5506b6).
    const json = synthJson(kueueOf("staging").stack) as { moved?: { from: string; to: string }[] };
    expect(json.moved).toEqual([
      {
        from: "kubernetes_manifest.fabric_topology_FC3D84CA",
        to: expect.stringMatching(/^kubernetes_manifest\.kueue_topology_/),
      },
      {
        from: "kubernetes_manifest.fabric_flavor-stg-gb200_859B9F00",
        to: expect.stringMatching(/^kubernetes_manifest\.kueue_flavor-stg-gb200_/),
      },
    ]);
  });

  it("GIVEN hostname before another level WHEN validated THEN the synth fails with Kueue's rule", () => {
    const { stack } = kueueOf("staging", { topologyLevels: [LABEL.hostname, LABEL.rack] });
    expect(() => Testing.synth(stack, true)).toThrow(/kubernetes\.io\/hostname may only be the last level/);
  });

  it("GIVEN a repeated level WHEN validated THEN the synth fails naming it", () => {
    const { stack } = kueueOf("staging", { topologyLevels: [LABEL.building, LABEL.building] });
    expect(() => Testing.synth(stack, true)).toThrow(/level 2 \(gpu-campus\.io\/building\) repeats a node label/);
  });
});
