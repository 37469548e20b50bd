import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { clusterCapacity } from "../plan/capacity.js";
import type { ClusterPlan } from "../plan/plan-types.js";
import { APP_LABEL, MANAGED_BY, NAMES, podSecurityLabels } from "../vocabulary/names.js";

/** Where constructs publish documents about the cluster (fabric plan, storage sizing) for operators. */
export interface IInventory {
  addDocument(key: string, value: unknown): void;
}

export interface CampusInventoryProps {
  /** The environment's name, recorded in the inventory. */
  readonly environment: string;
  readonly cluster: ClusterPlan;
  /**
   * Kubernetes minor version ("1.33"): the namespace then enforces Pod Security `restricted`
   * pinned to it (it runs no pods; nothing else may either).
   * @default - no Pod Security labels
   */
  readonly kubernetesVersion?: string;
}

/**
 * The cluster's own copy of its capacity: a ConfigMap in `gpu-campus-system` that operators
 * and tools can read with kubectl, generated from the same plan as capacity.json.
 */
export class CampusInventory extends Construct implements IInventory {
  readonly namespaceName: string;
  private readonly data: Record<string, string>;

  constructor(scope: Construct, id: string, props: CampusInventoryProps) {
    super(scope, id);
    const namespace = new NamespaceV1(this, "namespace", {
      metadata: {
        name: NAMES.systemNamespace,
        labels: {
          [APP_LABEL.managedBy]: MANAGED_BY,
          ...(props.kubernetesVersion && podSecurityLabels(props.kubernetesVersion, "restricted")),
        },
      },
    });
    this.namespaceName = namespace.metadata.name;
    this.data = {
      environment: props.environment,
      "capacity.json": `${JSON.stringify(clusterCapacity(props.cluster), null, 2)}\n`,
    };
    new ConfigMapV1(this, "inventory", {
      metadata: {
        name: NAMES.inventoryConfigMap,
        namespace: this.namespaceName,
        labels: { [APP_LABEL.managedBy]: MANAGED_BY },
      },
      // Rendered at synth: a published document adds a key, it never rewrites the map.
      data: Lazy.anyValue({ produce: () => ({ ...this.data }) }) as unknown as Record<string, string>,
    });
  }

  /** Adds a document to the inventory (the fabric plan, storage sizing, ...). */
  addDocument(key: string, value: unknown): void {
    if (!/^[-._a-zA-Z0-9]+$/.test(key)) throw new Error(`inventory document key "${key}" is not a valid ConfigMap key`);
    if (key in this.data) throw new Error(`inventory document "${key}" is already published`);
    this.data[key] = `${JSON.stringify(value, null, 2)}\n`;
  }
}
