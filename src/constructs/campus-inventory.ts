import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Construct } from "constructs";
import { clusterCapacity } from "../artifacts/capacity-summary.js";
import type { CampusPlan, ClusterPlan } from "../plan/plan-types.js";

export interface CampusInventoryProps {
  readonly plan: CampusPlan;
  readonly cluster: ClusterPlan;
}

/** The system namespace every cluster stack owns; other constructs put their objects in it. */
export const SYSTEM_NAMESPACE = "gpu-campus-system";

/**
 * The cluster's own copy of its capacity: a ConfigMap in `gpu-campus-system` that operators
 * and tools can read with kubectl, generated from the same plan as capacity.json.
 */
export class CampusInventory extends Construct {
  readonly namespaceName: string;
  private readonly configMap: ConfigMapV1;

  constructor(scope: Construct, id: string, props: CampusInventoryProps) {
    super(scope, id);
    const namespace = new NamespaceV1(this, "namespace", {
      metadata: { name: SYSTEM_NAMESPACE, labels: { "app.kubernetes.io/managed-by": "gpu-campus" } },
    });
    this.namespaceName = namespace.metadata.name;
    this.configMap = new ConfigMapV1(this, "inventory", {
      metadata: {
        name: "campus-inventory",
        namespace: this.namespaceName,
        labels: { "app.kubernetes.io/managed-by": "gpu-campus" },
      },
      data: {
        environment: props.plan.environment,
        "capacity.json": `${JSON.stringify(clusterCapacity(props.cluster), null, 2)}\n`,
      },
    });
  }

  /** Adds a document to the inventory (the fabric plan, storage sizing, ...). */
  addDocument(key: string, value: unknown): void {
    this.configMap.addOverride(`data.${key}`, `${JSON.stringify(value, null, 2)}\n`);
  }
}
