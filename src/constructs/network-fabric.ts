import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { buildingCapacity } from "../artifacts/capacity-summary.js";
import type { Environment } from "../model/schema.js";
import { LABEL, TOPOLOGY_LEVELS } from "../plan/labels.js";
import type { BuildingPlan, CampusPlan, ClusterPlan } from "../plan/plan-types.js";
import type { CampusInventory } from "./campus-inventory.js";
import type { GpuNodePool } from "./gpu-node-pool.js";
import {
  fabricDocumentKey,
  MANAGED_BY,
  MULTUS_NETWORKS_ANNOTATION,
  MULTUS_RESOURCE_ANNOTATION,
  managedLabels,
  NAMES,
  RAIL_TRANSPORT_ANNOTATION,
  railInterfaceName,
  railNetworkName,
  railResourceName,
  sameSelectorErrors,
} from "./naming.js";

/** Kueue's API for Topology and ResourceFlavor (kubernetes-sigs/kueue site/content/en/docs/concepts/topology.md). */
export const KUEUE_API_VERSION = "kueue.x-k8s.io/v1beta2";
/** Multus's API (k8snetworkplumbingwg/multus-cni docs/quickstart.md). */
export const MULTUS_API_VERSION = "k8s.cni.cncf.io/v1";
/** CNI spec version of the rail configs: one every CNI plugin used here still accepts. */
const CNI_VERSION = "0.4.0";
/** Kueue's limit on Topology levels (topology.md, "Validation rules"). */
const MAX_TOPOLOGY_LEVELS = 16;
/** Default rail ranges: /19 blocks of a /16 per rail, so 8 clusters can share one fabric. */
const RAIL_BLOCKS_PER_RAIL = 8;

export interface NetworkFabricProps {
  readonly plan: CampusPlan;
  readonly cluster: ClusterPlan;
  /** The environment's `fabric` (transport, rail CNI). */
  readonly fabric: Environment["fabric"];
  /** What the environment says is installed: Kueue and Multus objects need their CRDs at plan time. */
  readonly addons: Environment["addons"];
  readonly inventory: CampusInventory;
  /** @default - TOPOLOGY_LEVELS: building → scalable unit → NVLink domain → hostname */
  readonly topologyLevels?: readonly string[];
  /**
   * The IPAM range of each rail (whereabouts) in this cluster. Clusters of one building share its
   * fabric, so their ranges must not overlap.
   * @default - from 100.64.0.0/10 (shared address space, clear of kind's and Docker's 172.16/12 and
   * the 10/8 pod and service ranges): rail N is 100.(64+N).0.0/16, cut into /19s (8,190 addresses,
   * more than a 5,000-node cluster needs), one per cluster sharing the building's fabric
   */
  readonly railSubnets?: readonly string[];
  /**
   * Field manager of the server-side applied custom resources (kubernetes_manifest).
   * @default - "gpu-campus", without forcing conflicts: a hand-edited object fails the apply loudly
   */
  readonly fieldManager?: string;
}

/**
 * The cluster's view of the compute fabric: a Kueue Topology whose levels are the campus labels
 * and a ResourceFlavor per pool (when Kueue is installed), one Multus NetworkAttachmentDefinition
 * per compute rail in each namespace that asks for them (when Multus is installed), and each
 * building's fabric plan published in the cluster inventory. Buildings register their pools and
 * plans with addPool() and addBuilding().
 */
export class NetworkFabric extends Construct {
  /** Rails on the cluster's nodes: the most compute NICs any pool's node has. */
  readonly rails: number;
  readonly railNetworkNames: readonly string[];
  readonly topologyName: string | undefined;
  private readonly props: NetworkFabricProps;
  private readonly levels: readonly string[];
  private readonly topology: Manifest | undefined;
  private readonly flavorNames: string[] = [];
  private readonly flavorSelectors: { name: string; selector: Readonly<Record<string, string>> }[] = [];
  /** This cluster's position among the clusters that share a building (and so a fabric) with it. */
  private readonly fabricIndex: number;

  constructor(scope: Construct, id: string, props: NetworkFabricProps) {
    super(scope, id);
    this.props = props;
    this.levels = props.topologyLevels ?? TOPOLOGY_LEVELS;
    const pools = props.cluster.buildings.flatMap((b) => b.pools);
    this.rails = Math.max(0, ...pools.map((p) => p.pool.sku.computeNicsPerNode));
    this.railNetworkNames = Array.from({ length: this.rails }, (_, rail) => railNetworkName(rail));
    const ownBuildings = new Set(props.cluster.buildings.map((b) => b.building.id));
    const neighbours = props.plan.clusters.filter((c) => c.buildings.some((b) => ownBuildings.has(b.building.id)));
    this.fabricIndex = Math.max(
      0,
      neighbours.findIndex((c) => c.id === props.cluster.id),
    );

    if (props.addons.kueue) {
      this.topologyName = NAMES.topology;
      this.topology = this.manifest("topology", {
        apiVersion: KUEUE_API_VERSION,
        kind: "Topology",
        metadata: { name: this.topologyName, labels: managedLabels("network-fabric") },
        spec: { levels: this.levels.map((nodeLabel) => ({ nodeLabel })) },
      });
    } else {
      this.topologyName = undefined;
      this.topology = undefined;
    }
    this.node.addValidation({
      validate: () => [...this.validateLevels(), ...this.validateRails(), ...sameSelectorErrors(this.flavorSelectors)],
    });
  }

  /** The Multus annotation value that attaches a pod to every rail. */
  get railsAnnotation(): Readonly<Record<string, string>> {
    return { [MULTUS_NETWORKS_ANNOTATION]: this.railNetworkNames.join(",") };
  }

  /** The ResourceFlavors created so far, one per pool. */
  get resourceFlavorNames(): readonly string[] {
    return [...this.flavorNames];
  }

  /**
   * A Kueue ResourceFlavor for the pool: its nodeLabels are exactly the pool's selector, it points
   * at the cluster's Topology, and admitted pods get the GPU toleration. Undefined without Kueue.
   */
  addPool(pool: GpuNodePool): Manifest | undefined {
    if (!this.topology || !this.topologyName) return undefined;
    this.flavorNames.push(pool.name);
    this.flavorSelectors.push({ name: pool.name, selector: pool.nodeSelector });
    return this.manifest(
      `flavor-${pool.name}`,
      {
        apiVersion: KUEUE_API_VERSION,
        kind: "ResourceFlavor",
        metadata: { name: pool.name, labels: managedLabels("network-fabric") },
        // The whole spec is immutable once topologyName is set (topology.md): a change replaces it.
        spec: {
          nodeLabels: { ...pool.nodeSelector },
          topologyName: this.topologyName,
          tolerations: pool.tolerations.map((t) => ({ ...t })),
        },
      },
      [this.topology],
    );
  }

  /** Publishes a building's fabric plan (tiers, switches, links) in the cluster inventory. */
  addBuilding(building: BuildingPlan): void {
    this.props.inventory.addDocument(fabricDocumentKey(building.id), {
      building: building.id,
      fabric: buildingCapacity(building).fabric,
      railCni: this.props.fabric.railCni,
      railNetworks: this.railNetworkNames,
      railSubnets: this.railNetworkNames.map((_, rail) => this.railSubnet(rail)),
      topology: this.topologyName ? { name: this.topologyName, levels: this.levels } : null,
    });
  }

  /**
   * One NetworkAttachmentDefinition per rail in a namespace, so its pods attach with
   * `k8s.v1.cni.cncf.io/networks: rail-0,…` without naming another namespace. Empty without Multus.
   */
  addRailNetworks(namespace: string, dependsOn: ITerraformDependable): Manifest[] {
    if (!this.props.addons.multus) return [];
    return this.railNetworkNames.map((name, rail) =>
      this.manifest(
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
              [RAIL_TRANSPORT_ANNOTATION]: this.props.fabric.compute.transport,
              ...(this.props.fabric.railCni === "sriov" && { [MULTUS_RESOURCE_ANNOTATION]: railResourceName(rail) }),
            },
          },
          spec: { config: JSON.stringify(this.railCniConfig(name, rail)) },
        },
        [dependsOn],
      ),
    );
  }

  /** The CNI config of one rail: RDMA over InfiniBand or RoCE, through the CNI the environment names. */
  railCniConfig(name: string, rail: number): Record<string, unknown> {
    const { railCni, compute } = this.props.fabric;
    const ipam = { type: "whereabouts", range: this.railSubnet(rail) };
    const device = railInterfaceName(rail);
    switch (railCni) {
      case "host-device":
        // Moves the rail's netdev (IPoIB for InfiniBand) into the pod: one training pod per node and rail.
        return { cniVersion: CNI_VERSION, name, type: "host-device", device, ipam };
      case "sriov":
        // A virtual function per pod; InfiniBand VFs need the ib-sriov plugin (k8snetworkplumbingwg/ib-sriov-cni).
        return { cniVersion: CNI_VERSION, name, type: compute.transport === "infiniband" ? "ib-sriov" : "sriov", ipam };
      case "macvlan":
        return { cniVersion: CNI_VERSION, name, type: "macvlan", master: device, mode: "bridge", ipam };
    }
  }

  private railSubnet(rail: number): string {
    return this.props.railSubnets?.[rail] ?? `100.${64 + rail}.${this.fabricIndex * 32}.0/19`;
  }

  private manifest(id: string, manifest: Record<string, unknown>, dependsOn?: ITerraformDependable[]): Manifest {
    return new Manifest(this, id, {
      manifest,
      // What the server may add besides our fields (the provider's default, stated on purpose).
      computedFields: ["metadata.annotations", "metadata.labels"],
      fieldManager: { name: this.props.fieldManager ?? MANAGED_BY, forceConflicts: false },
      ...(dependsOn && { dependsOn }),
    });
  }

  private validateLevels(): string[] {
    if (!this.topology) return [];
    const errors: string[] = [];
    const levels = this.levels;
    if (levels.length < 1 || levels.length > MAX_TOPOLOGY_LEVELS) {
      errors.push(`Topology ${this.topologyName}: ${levels.length} levels; Kueue allows 1 to ${MAX_TOPOLOGY_LEVELS}`);
    }
    const seen = new Set<string>();
    for (const level of levels) {
      if (seen.has(level))
        errors.push(`Topology ${this.topologyName}: level ${level} appears twice; levels are unique`);
      seen.add(level);
    }
    const hostname = levels.indexOf(LABEL.hostname);
    if (hostname >= 0 && hostname !== levels.length - 1) {
      errors.push(
        `Topology ${this.topologyName}: ${LABEL.hostname} is level ${hostname + 1} of ${levels.length}; ` +
          "Kueue allows it only as the last level",
      );
    }
    return errors;
  }

  private validateRails(): string[] {
    if (!this.props.addons.multus) return [];
    const errors: string[] = [];
    const { railCni, compute } = this.props.fabric;
    if (railCni === "macvlan" && compute.transport === "infiniband") {
      errors.push(
        "fabric.railCni macvlan cannot carry InfiniBand: IPoIB interfaces have no macvlan mode; use host-device or sriov",
      );
    }
    const given = this.props.railSubnets;
    if (given && given.length < this.rails) {
      errors.push(`railSubnets has ${given.length} subnet(s) for ${this.rails} rails; give one per rail`);
    }
    if (!given && (this.fabricIndex >= RAIL_BLOCKS_PER_RAIL || this.rails > 64)) {
      errors.push(
        `cluster ${this.props.cluster.id}: the default rail ranges fit ${RAIL_BLOCKS_PER_RAIL} clusters per fabric and ` +
          `64 rails; this is cluster ${this.fabricIndex + 1} with ${this.rails} rails: give railSubnets`,
      );
    }
    return errors;
  }
}
