import { cpuQuantity, mebibytesQuantity } from "../vocabulary/quantity.js";

/**
 * A container's requests and limits in canonical units (millicores, MiB), so plans never show
 * `1000m` against `1`: the device plugin's resources and a tenant's LimitRange defaults alike.
 */
export interface ContainerResources {
  readonly requestCpuMillis: number;
  readonly requestMemoryMiB: number;
  readonly limitCpuMillis: number;
  readonly limitMemoryMiB: number;
}

/** Requests as the API server writes them back: `{ cpu: "50m", memory: "64Mi" }`. */
export function requestQuantities(resources: ContainerResources): { cpu: string; memory: string } {
  return { cpu: cpuQuantity(resources.requestCpuMillis), memory: mebibytesQuantity(resources.requestMemoryMiB) };
}

/** Limits as the API server writes them back. */
export function limitQuantities(resources: ContainerResources): { cpu: string; memory: string } {
  return { cpu: cpuQuantity(resources.limitCpuMillis), memory: mebibytesQuantity(resources.limitMemoryMiB) };
}

/** A container's `resources` block. */
export function containerResources(resources: ContainerResources) {
  return { requests: requestQuantities(resources), limits: limitQuantities(resources) };
}
