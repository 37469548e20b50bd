import type { ResourceChange, ReviewReport, StackChange } from "../../src/review/model.js";

/** Small ReviewReports for the renderer tests. */

export function resource(overrides: Partial<ResourceChange> = {}): ResourceChange {
  return {
    address: "kubernetes_config_map_v1.inventory",
    type: "kubernetes_config_map_v1",
    mode: "managed",
    action: "update",
    object: "ConfigMap gpu-campus-system/campus-inventory",
    attributes: [{ path: 'data["capacity.json"] › gpus', before: 16704, after: 18000 }],
    ...overrides,
  };
}

export function stack(name: string, resources: ResourceChange[], overrides: Partial<StackChange> = {}): StackChange {
  return {
    stack: name,
    environment: "production",
    status: "changed",
    resources,
    settings: [],
    unchanged: 3,
    ...overrides,
  };
}

export function report(stacks: StackChange[], overrides: Partial<ReviewReport> = {}): ReviewReport {
  return {
    kind: "synth-diff",
    title: "gpu-campus synth diff",
    subtitle: "`main` (abc1234) → working tree",
    destroys: [],
    stacks,
    capacity: [],
    notes: [],
    ...overrides,
  };
}
