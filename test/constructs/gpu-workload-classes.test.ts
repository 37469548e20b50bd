import { PriorityClassV1 } from "@cdktf/provider-kubernetes/lib/priority-class-v1";
import { RuntimeClassV1 } from "@cdktf/provider-kubernetes/lib/runtime-class-v1";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { GPU_PRIORITY_CLASSES, GpuWorkloadClasses } from "../../src/constructs/gpu-workload-classes.js";
import { parseSynth, resourcesOf } from "../fixtures/stacks.js";

describe("GpuWorkloadClasses", () => {
  it("GIVEN physical GPUs WHEN synthesized THEN the nvidia RuntimeClass uses the nvidia handler", () => {
    const synth = Testing.synthScope((scope) => new GpuWorkloadClasses(scope, "classes"));
    expect(synth).toHaveResourceWithProperties(RuntimeClassV1, { handler: "nvidia" });
  });

  it("GIVEN simulated GPUs WHEN synthesized THEN the same RuntimeClass name runs with runc", () => {
    const synth = Testing.synthScope((scope) => new GpuWorkloadClasses(scope, "classes", { simulated: true }));
    expect(synth).toHaveResourceWithProperties(RuntimeClassV1, {
      metadata: expect.objectContaining({ name: "nvidia" }),
      handler: "runc",
    });
  });

  it("GIVEN the classes WHEN synthesized THEN inference > training > batch, none is global default and batch never preempts", () => {
    const json = parseSynth(Testing.synthScope((scope) => new GpuWorkloadClasses(scope, "classes")));
    const classes = resourcesOf(json, "kubernetes_priority_class_v1") as {
      metadata: { name: string };
      value: number;
      global_default: boolean;
    }[];
    expect(classes.map((c) => c.metadata.name).sort()).toEqual(["gpu-batch", "gpu-inference", "gpu-training"]);
    expect(classes.every((c) => c.global_default === false && c.value < 1_000_000_000)).toBe(true);
    const values = GPU_PRIORITY_CLASSES.map((c) => c.value);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const synth = JSON.stringify(json);
    expect(synth).toHaveResourceWithProperties(PriorityClassV1, { preemption_policy: "Never", value: 1000 });
  });
});
