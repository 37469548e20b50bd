import type { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { ClusterPlan, RailNetworkPlan } from "../plan/plan-types.js";
import { CNI_VERSION, MULTUS_API_VERSION } from "../vocabulary/api-versions.js";
import {
  MULTUS_NETWORKS_ANNOTATION,
  MULTUS_RESOURCE_ANNOTATION,
  managedLabels,
  RAIL_TRANSPORT_ANNOTATION,
  railInterfaceName,
  railNetworkName,
  railResourceName,
} from "../vocabulary/names.js";
import { managedManifest } from "./managed-manifest.js";

/** Default rail ranges: /19 blocks of a /16 per rail, so 8 clusters can share one fabric. */
export const RAIL_BLOCKS_PER_RAIL = 8;
export const MAX_DEFAULT_RAILS = 64;

/** What the rest of the stack reads of the rails: their names and address ranges. */
export interface IRailNetworks {
  readonly cni: RailNetworkPlan["cni"];
  readonly railNetworkNames: readonly string[];
  railSubnet(rail: number): string;
}

export interface RailNetworksProps {
  /** The cluster: its rails (compute NICs per node), id and position on its buildings' fabric. */
  readonly cluster: Pick<ClusterPlan, "id" | "rails" | "fabricIndex">;
  /** The CNI behind each rail and the fabric's transport. */
  readonly network: RailNetworkPlan;
  /** Multus's CRD is installed: NetworkAttachmentDefinitions are managed. */
  readonly multus: boolean;
  /**
   * The IPAM range of each rail (whereabouts) in this cluster. Clusters of one building share its
   * fabric, so their ranges must not overlap.
   * @default - from 100.64.0.0/10 (shared address space, clear of kind's and Docker's 172.16/12 and
   * the 10/8 pod and service ranges): rail N is 100.(64+N).0.0/16, cut into /19s (8,190 addresses,
   * more than a 5,000-node cluster needs), one per cluster sharing the building's fabric
   */
  readonly railSubnets?: readonly string[];
  /** @default - "gpu-campus", without forcing conflicts */
  readonly fieldManager?: string;
}

/**
 * The compute rails as pods see them: one Multus NetworkAttachmentDefinition per rail in each
 * namespace that asks for them (when Multus is installed), with a CNI config for the environment's
 * rail CNI and transport, and one address range per rail and cluster.
 */
export class RailNetworks extends Construct implements IRailNetworks {
  readonly rails: number;
  readonly railNetworkNames: readonly string[];
  readonly cni: RailNetworkPlan["cni"];
  private readonly props: RailNetworksProps;

  constructor(scope: Construct, id: string, props: RailNetworksProps) {
    super(scope, id);
    this.props = props;
    this.rails = props.cluster.rails;
    this.cni = props.network.cni;
    this.railNetworkNames = Array.from({ length: this.rails }, (_, rail) => railNetworkName(rail));
    this.node.addValidation({ validate: () => this.validateRails() });
  }

  /** The Multus annotation value that attaches a pod to every rail. */
  get railsAnnotation(): Readonly<Record<string, string>> {
    return { [MULTUS_NETWORKS_ANNOTATION]: this.railNetworkNames.join(",") };
  }

  /**
   * One NetworkAttachmentDefinition per rail in a namespace, so its pods attach with
   * `k8s.v1.cni.cncf.io/networks: rail-0,…` without naming another namespace. Empty without Multus.
   */
  addRailNetworks(namespace: string, dependsOn: ITerraformDependable): Manifest[] {
    if (!this.props.multus) return [];
    return this.railNetworkNames.map((name, rail) =>
      managedManifest(
        this,
        `${namespace}-${name}`,
        {
          apiVersion: MULTUS_API_VERSION,
          kind: "NetworkAttachmentDefinition",
          metadata: {
            name,
            // Literal, with an explicit dependency: kubernetes_manifest must know the object at plan time.
            namespace,
            labels: managedLabels("network-fabric"),
            annotations: {
              [RAIL_TRANSPORT_ANNOTATION]: this.props.network.transport,
              // The rail's RDMA device plugin resource: Multus passes the device the kubelet allocated
              // for it to the CNI as deviceID (multus-cni v4.3.0 pkg/k8sclient; NVIDIA Network Operator
              // HostDeviceNetwork renders the same annotation). macvlan rails have no device resource.
              ...(this.cni !== "macvlan" && { [MULTUS_RESOURCE_ANNOTATION]: railResourceName(rail) }),
            },
          },
          spec: { config: JSON.stringify(this.railCniConfig(name, rail)) },
        },
        { dependsOn: [dependsOn], ...(this.props.fieldManager && { fieldManager: this.props.fieldManager }) },
      ),
    );
  }

  /** The CNI config of one rail: RDMA over InfiniBand or RoCE, through the CNI the environment names. */
  railCniConfig(name: string, rail: number): Record<string, unknown> {
    const ipam = { type: "whereabouts", range: this.railSubnet(rail) };
    const device = railInterfaceName(rail);
    switch (this.cni) {
      case "host-device":
        // Moves the rail's netdev (IPoIB for InfiniBand) into the pod: one training pod per node and rail.
        return { cniVersion: CNI_VERSION, name, type: "host-device", device, ipam };
      case "sriov":
        // A virtual function per pod; InfiniBand VFs need the ib-sriov plugin (k8snetworkplumbingwg/ib-sriov-cni).
        return {
          cniVersion: CNI_VERSION,
          name,
          type: this.props.network.transport === "infiniband" ? "ib-sriov" : "sriov",
          ipam,
        };
      case "macvlan":
        return { cniVersion: CNI_VERSION, name, type: "macvlan", master: device, mode: "bridge", ipam };
    }
  }

  /** The rail's address range in this cluster. */
  railSubnet(rail: number): string {
    return this.props.railSubnets?.[rail] ?? `100.${64 + rail}.${this.props.cluster.fabricIndex * 32}.0/19`;
  }

  private validateRails(): string[] {
    if (!this.props.multus) return [];
    const errors: string[] = [];
    if (this.cni === "macvlan" && this.props.network.transport === "infiniband") {
      errors.push(
        "fabric.railCni macvlan cannot carry InfiniBand: IPoIB interfaces have no macvlan mode; use host-device or sriov",
      );
    }
    const given = this.props.railSubnets;
    if (given && given.length < this.rails) {
      errors.push(`railSubnets has ${given.length} subnet(s) for ${this.rails} rails; give one per rail`);
    }
    const index = this.props.cluster.fabricIndex;
    if (!given && (index >= RAIL_BLOCKS_PER_RAIL || this.rails > MAX_DEFAULT_RAILS)) {
      errors.push(
        `cluster ${this.props.cluster.id}: the default rail ranges fit ${RAIL_BLOCKS_PER_RAIL} clusters per fabric and ` +
          `${MAX_DEFAULT_RAILS} rails; this is cluster ${index + 1} with ${this.rails} rails: give railSubnets`,
      );
    }
    return errors;
  }
}
