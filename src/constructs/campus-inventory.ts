import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Construct } from "constructs";
import { clusterCapacity } from "../artifacts/capacity-summary.js";
import type { CampusPlan, ClusterPlan } from "../plan/plan-types.js";
import { podSecurityLabels } from "./naming.js";

export interface CampusInventoryProps {
  readonly plan: CampusPlan;
  readonly cluster: ClusterPlan;
  /**
   * Kubernetes minor version ("1.33"): the namespace then enforces Pod Security `restricted`
   * pinned to it (it runs no pods; nothing else may either).
   * @default - no Pod Security labels
   */
  readonly kubernetesVersion?: string;
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
  private readonly data: Record<string, string>;

  constructor(scope: Construct, id: string, props: CampusInventoryProps) {
    super(scope, id);
    const namespace = new NamespaceV1(this, "namespace", {
      metadata: {
        name: SYSTEM_NAMESPACE,
        labels: {
          "app.kubernetes.io/managed-by": "gpu-campus",
          ...(props.kubernetesVersion && podSecurityLabels(props.kubernetesVersion, "restricted")),
        },
      },
    });
    this.namespaceName = namespace.metadata.name;
    this.data = {
      environment: props.plan.environment,
      "capacity.json": `${JSON.stringify(clusterCapacity(props.cluster), null, 2)}\n`,
    };
    this.configMap = new ConfigMapV1(this, "inventory", {
      metadata: {
        name: "campus-inventory",
        namespace: this.namespaceName,
        labels: { "app.kubernetes.io/managed-by": "gpu-campus" },
      },
      data: { ...this.data },
    });
  }

  /** Adds a document to the inventory (the fabric plan, storage sizing, ...). */
  addDocument(key: string, value: unknown): void {
    // Not addOverride: it splits its path on dots, which turned `fabric.json` into data.fabric.json.
    if (!/^[-._a-zA-Z0-9]+$/.test(key)) throw new Error(`inventory document key "${key}" is not a valid ConfigMap key`);
    if (key in this.data) throw new Error(`inventory document "${key}" is already published`);
    this.data[key] = `${JSON.stringify(value, null, 2)}\n`;
    this.configMap.data = { ...this.data };
  }
}
