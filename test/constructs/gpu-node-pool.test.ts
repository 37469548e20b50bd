import { DaemonSetV1 } from "@cdktf/provider-kubernetes/lib/daemon-set-v1";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { GpuNodePool } from "../../src/constructs/gpu-node-pool.js";
import { NvidiaDevicePlugin } from "../../src/constructs/nvidia-device-plugin.js";
import { clusterNodes } from "../../src/plan/node-identity.js";
import type { CampusPlan } from "../../src/plan/plan-types.js";
import { GPU_TAINT, LABEL, POOL_SELECTOR_KEYS } from "../../src/vocabulary/labels.js";
import { planOf } from "../fixtures/environments.js";
import { parseSynth, resourcesOf, testStack } from "../fixtures/stacks.js";

function firstSlice(plan: CampusPlan) {
  const cluster = plan.clusters[0];
  const slice = cluster?.buildings[0]?.pools[0];
  if (!cluster || !slice) throw new Error(`${plan.environment} has no pool`);
  return { cluster, slice };
}

describe("GpuNodePool", () => {
  it("GIVEN a physical pool WHEN composed THEN its selector is the POOL_SELECTOR_KEYS of the labels its nodes register with", () => {
    const plan = planOf("staging");
    const { cluster, slice } = firstSlice(plan);
    const stack = testStack("pool");
    const devicePlugin = new NvidiaDevicePlugin(stack, "plugin", { kubernetesVersion: "1.33" });
    const pool = new GpuNodePool(stack, "pool", { slice, devicePlugin });

    expect(Object.keys(pool.nodeSelector)).toEqual([...POOL_SELECTOR_KEYS]);
    const [node] = clusterNodes(plan, cluster);
    for (const [key, value] of Object.entries(pool.nodeSelector)) expect(node?.labels[key]).toBe(value);
    expect(node?.taints).toContainEqual(pool.taint);
    expect(pool.tolerations).toEqual([{ key: GPU_TAINT.key, operator: "Exists", effect: GPU_TAINT.effect }]);
    expect(pool.rails).toBe(4);
    expect(pool.gpus).toBe(1152);
    expect(pool.devicePluginDaemonSet).toBeDefined();
    expect(Testing.synth(stack, true)).toHaveResource(DaemonSetV1);
  });

  it("GIVEN a simulated pool WHEN composed without a device plugin THEN it creates no resource and validates", () => {
    const plan = planOf("kind");
    const { slice } = firstSlice(plan);
    const stack = testStack("pool");
    const pool = new GpuNodePool(stack, "pool", { slice });
    expect(pool.simulated).toBe(true);
    expect(pool.devicePluginDaemonSet).toBeUndefined();
    expect(pool.nodeLabels[LABEL.gpuMode]).toBe("simulated");
    expect(pool.nodeLabels[LABEL.devicePluginConfig]).toBeUndefined();
    expect(resourcesOf(parseSynth(Testing.synth(stack, true)), "kubernetes_daemon_set_v1")).toEqual([]);
  });

  it("GIVEN a simulated pool WHEN a device plugin is passed THEN no DaemonSet is added for it", () => {
    const plan = planOf("kind");
    const { slice } = firstSlice(plan);
    const stack = testStack("pool");
    const devicePlugin = new NvidiaDevicePlugin(stack, "plugin", { kubernetesVersion: "1.33" });
    new GpuNodePool(stack, "pool", { slice, devicePlugin });
    expect(devicePlugin.namedConfigs).toEqual({});
  });

  it("GIVEN a physical pool WHEN composed without a device plugin THEN validation fails naming the pool and its GPUs", () => {
    const plan = planOf("staging");
    const { slice } = firstSlice(plan);
    const stack = testStack("pool");
    new GpuNodePool(stack, "pool", { slice });
    expect(() => Testing.synth(stack, true)).toThrow(/pool stg-gb200 .* needs props\.devicePlugin.*1152 GPUs/);
  });
});
