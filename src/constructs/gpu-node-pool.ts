import type { DaemonSetV1 } from "@cdktf/provider-kubernetes/lib/daemon-set-v1";
import { Construct } from "constructs";
import type { ClusterPoolSlice, PoolPlan } from "../plan/plan-types.js";
import { GPU_TAINT, type Taint } from "../vocabulary/labels.js";
import { GPU_TOLERATION, type Toleration } from "../vocabulary/names.js";
import type { IDevicePluginHost } from "./nvidia-device-plugin.js";

export interface GpuNodePoolProps {
  /** The scalable units of one pool that this cluster holds, with their labels and selector. */
  readonly slice: ClusterPoolSlice;
  /**
   * Where the pool's device plugin DaemonSet and named config go. Required for physical pools.
   * @default - none: allowed only for simulated pools, whose GPUs come from the node registration artifact
   */
  readonly devicePlugin?: IDevicePluginHost;
}

/**
 * The part of one GPU pool that lives in a cluster, as the scheduler sees it: the labels that
 * select its nodes, the taint they carry and the toleration that passes it, all from the plan's
 * slice (the same labels the node registration artifact is written from). For a physical pool it
 * runs the NVIDIA device plugin on exactly those nodes; a simulated pool (kind) has no device
 * plugin: its `nvidia.com/gpu` capacity is advertised from the node registration artifact.
 */
export class GpuNodePool extends Construct {
  readonly pool: PoolPlan;
  /** `<building>-<pool>`: the pool's name in object names (ResourceFlavor, DaemonSet). */
  readonly name: string;
  /** Every label the pool's nodes share (what node registration passes to kubelet). */
  readonly nodeLabels: Readonly<Record<string, string>>;
  /** The labels that pick exactly this pool's nodes in this cluster. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly taint: Taint = GPU_TAINT;
  readonly tolerations: readonly Toleration[] = [GPU_TOLERATION];
  readonly simulated: boolean;
  /** Compute-fabric rails on each node: one NIC per GPU. */
  readonly rails: number;
  readonly nodes: number;
  readonly gpus: number;
  /** The device plugin DaemonSet; undefined for simulated pools. */
  readonly devicePluginDaemonSet: DaemonSetV1 | undefined;

  constructor(scope: Construct, id: string, props: GpuNodePoolProps) {
    super(scope, id);
    const { slice } = props;
    this.pool = slice.pool;
    this.name = slice.name;
    this.nodeLabels = slice.labels;
    this.nodeSelector = slice.selector;
    this.simulated = slice.pool.sku.simulated;
    this.rails = slice.pool.sku.computeNicsPerNode;
    this.nodes = slice.nodes;
    this.gpus = slice.gpus;

    this.devicePluginDaemonSet = this.simulated || !props.devicePlugin ? undefined : props.devicePlugin.addPool(slice);
    const missingPlugin = !this.simulated && !props.devicePlugin;
    this.node.addValidation({
      validate: () =>
        missingPlugin
          ? [
              `pool ${this.name} (${slice.pool.sku.displayName}) is physical: it needs props.devicePlugin, or its ` +
                `${slice.gpus} GPUs are never advertised to the scheduler`,
            ]
          : [],
    });
  }
}
