import type { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Construct } from "constructs";
import { KUEUE_API_VERSION } from "../vocabulary/api-versions.js";
import { topologyLevelProblems } from "../vocabulary/kueue-topology.js";
import { TOPOLOGY_LEVELS } from "../vocabulary/labels.js";
import { managedLabels, NAMES, type Toleration } from "../vocabulary/names.js";
import { managedManifest } from "./managed-manifest.js";
import { movedFrom } from "./previous-address.js";
import { type PoolSelection, sameSelectorErrors } from "./selector-overlap.js";

/** What a pool hands Kueue: its name, the labels that select its nodes, the tolerations its pods need. */
export interface KueuePool {
  readonly name: string;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
}

/** Where buildings register their pools with Kueue (one ResourceFlavor each). */
export interface IKueueFlavors {
  readonly topologyName: string;
  readonly topologyLevels: readonly string[];
  addPool(pool: KueuePool): Manifest;
}

export interface KueueSchedulingProps {
  /** @default - TOPOLOGY_LEVELS: building → scalable unit → NVLink domain → hostname */
  readonly topologyLevels?: readonly string[];
  /** @default - "gpu-campus", without forcing conflicts */
  readonly fieldManager?: string;
}

const COMPONENT = "network-fabric";
/** Where these objects sat before Kueue got a construct of its own (stack/fabric/...). */
const PREVIOUS_SCOPE = "fabric";

/**
 * How Kueue sees the cluster: a Topology whose levels are the campus node labels, and one
 * ResourceFlavor per pool whose nodeLabels are exactly the pool's selector. Create it only where
 * Kueue's CRDs are installed (kubernetes_manifest needs them at plan time). Buildings add their
 * pools with addPool().
 */
export class KueueScheduling extends Construct implements IKueueFlavors {
  readonly topologyName: string = NAMES.topology;
  readonly topologyLevels: readonly string[];
  private readonly fieldManager: string | undefined;
  private readonly topology: Manifest;
  private readonly flavors: PoolSelection[] = [];
  private readonly flavorManifestList: Manifest[] = [];

  constructor(scope: Construct, id: string, props: KueueSchedulingProps = {}) {
    super(scope, id);
    this.topologyLevels = props.topologyLevels ?? TOPOLOGY_LEVELS;
    this.fieldManager = props.fieldManager;
    this.topology = managedManifest(
      this,
      "topology",
      {
        apiVersion: KUEUE_API_VERSION,
        kind: "Topology",
        metadata: { name: this.topologyName, labels: managedLabels(COMPONENT) },
        spec: { levels: this.topologyLevels.map((nodeLabel) => ({ nodeLabel })) },
      },
      { ...(this.fieldManager && { fieldManager: this.fieldManager }) },
    );
    movedFrom(this.topology, [PREVIOUS_SCOPE, "topology"]);
    this.node.addValidation({
      validate: () => [
        ...topologyLevelProblems(this.topologyLevels).map((p) => `Topology ${this.topologyName}: ${p}`),
        ...sameSelectorErrors(this.flavors),
      ],
    });
  }

  /** The ResourceFlavor objects created so far: what queues that name them depend on. */
  get flavorManifests(): readonly Manifest[] {
    return this.flavorManifestList;
  }

  /** The ResourceFlavors created so far, one per pool. */
  get resourceFlavorNames(): readonly string[] {
    return this.flavors.map((f) => f.name);
  }

  /**
   * A ResourceFlavor for the pool: its nodeLabels are exactly the pool's selector, it points at the
   * cluster's Topology, and admitted pods get the pool's tolerations.
   */
  addPool(pool: KueuePool): Manifest {
    this.flavors.push({ name: pool.name, selector: pool.nodeSelector });
    const id = `flavor-${pool.name}`;
    const flavor = managedManifest(
      this,
      id,
      {
        apiVersion: KUEUE_API_VERSION,
        kind: "ResourceFlavor",
        metadata: { name: pool.name, labels: managedLabels(COMPONENT) },
        // The whole spec is immutable once topologyName is set (topology.md): a change replaces it.
        spec: {
          nodeLabels: { ...pool.nodeSelector },
          topologyName: this.topologyName,
          tolerations: pool.tolerations.map((t) => ({ ...t })),
        },
      },
      { dependsOn: [this.topology], ...(this.fieldManager && { fieldManager: this.fieldManager }) },
    );
    movedFrom(flavor, [PREVIOUS_SCOPE, id]);
    this.flavorManifestList.push(flavor);
    return flavor;
  }
}
