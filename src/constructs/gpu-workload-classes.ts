import { PriorityClassV1 } from "@cdktf/provider-kubernetes/lib/priority-class-v1";
import { RuntimeClassV1 } from "@cdktf/provider-kubernetes/lib/runtime-class-v1";
import { Construct } from "constructs";
import { justificationAnnotation, managedLabels, NAMES, PRIORITY_CLASS } from "../vocabulary/names.js";

export interface GpuWorkloadClassesProps {
  /**
   * The cluster's GPUs are simulated (kind): the `nvidia` RuntimeClass is handled by plain `runc`,
   * so the same pod specs (runtimeClassName: nvidia) run on kind without the NVIDIA Container Toolkit.
   * @default false
   */
  readonly simulated?: boolean;
}

interface PriorityClassSpec {
  readonly name: string;
  readonly value: number;
  readonly preemptionPolicy: "PreemptLowerPriority" | "Never";
  readonly description: string;
}

/**
 * Highest first. User-defined values must stay below 1,000,000,000 (system classes sit above);
 * kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption.
 */
export const GPU_PRIORITY_CLASSES: readonly PriorityClassSpec[] = [
  {
    name: PRIORITY_CLASS.inference,
    value: 100_000,
    preemptionPolicy: "PreemptLowerPriority",
    description: "Online inference: keeps its latency objectives, may preempt training and batch.",
  },
  {
    name: PRIORITY_CLASS.training,
    value: 10_000,
    preemptionPolicy: "PreemptLowerPriority",
    description: "Training jobs: may preempt batch work.",
  },
  {
    name: PRIORITY_CLASS.batch,
    value: 1_000,
    preemptionPolicy: "Never",
    description: "Batch and best-effort work: waits for free GPUs, never preempts.",
  },
];

/**
 * What GPU pods name in their spec, once per cluster: the `nvidia` RuntimeClass (handler `nvidia`,
 * the runtime the NVIDIA Container Toolkit registers in containerd) and PriorityClasses for
 * inference, training and batch. None is the global default: pods without a class keep priority 0.
 */
export class GpuWorkloadClasses extends Construct {
  readonly runtimeClassName: string;
  readonly priorityClassNames: readonly string[];

  constructor(scope: Construct, id: string, props: GpuWorkloadClassesProps = {}) {
    super(scope, id);
    const labels = managedLabels("gpu-workload-classes");
    const runtimeClass = new RuntimeClassV1(this, "runtime-class", {
      metadata: {
        name: NAMES.runtimeClass,
        labels,
        ...(props.simulated && {
          annotations: {
            [justificationAnnotation("simulated-runtime")]: "kind has no NVIDIA runtime; runc runs the same pods",
          },
        }),
      },
      handler: props.simulated ? "runc" : "nvidia",
    });
    this.runtimeClassName = runtimeClass.metadata.name;
    this.priorityClassNames = GPU_PRIORITY_CLASSES.map(
      (spec) =>
        new PriorityClassV1(this, `priority-${spec.name}`, {
          metadata: { name: spec.name, labels },
          value: spec.value,
          globalDefault: false,
          preemptionPolicy: spec.preemptionPolicy,
          description: spec.description,
        }).metadata.name,
    );
  }
}
