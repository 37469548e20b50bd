import { posix } from "node:path";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { LocalBackend, S3Backend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { CampusInventory } from "../src/constructs/campus-inventory.js";
import type { Environment } from "../src/model/schema.js";
import type { CampusPlan, ClusterPlan } from "../src/plan/plan-types.js";

export interface ClusterStackProps {
  readonly environment: Environment;
  readonly plan: CampusPlan;
  readonly cluster: ClusterPlan;
}

/**
 * One Terraform stack per Kubernetes cluster: small state, small blast radius, fast plans.
 * The stack's provider talks to the cluster through the kubeconfig context the environment names.
 */
export class ClusterStack extends TerraformStack {
  readonly inventory: CampusInventory;

  constructor(scope: Construct, props: ClusterStackProps) {
    super(scope, props.cluster.stackName);
    const { environment, plan, cluster } = props;
    new KubernetesProvider(this, "kubernetes", {
      configPath: cluster.kubeconfig.path,
      configContext: cluster.kubeconfig.context,
    });
    this.configureBackend(environment, cluster);
    this.inventory = new CampusInventory(this, "inventory", { plan, cluster });
  }

  private configureBackend(environment: Environment, cluster: ClusterPlan): void {
    const backend = environment.backend;
    if (backend.type === "local") {
      // Relative to the stack's working directory (cdktf.out/stacks/<stack>), so the state lives
      // at the project root (or backend.directory), outside the synth output that is replaced.
      const directory = backend.directory ?? ".";
      new LocalBackend(this, { path: posix.join("../../..", directory, `terraform.${cluster.stackName}.tfstate`) });
      return;
    }
    const s3 = new S3Backend(this, {
      bucket: backend.bucket,
      region: backend.region,
      key: `${backend.keyPrefix}/${cluster.stackName}.tfstate`,
      encrypt: true,
    });
    // S3-native locking (Terraform >= 1.10, OpenTofu >= 1.10); cdktf 0.21's S3Backend has no prop for it.
    s3.addOverride("use_lockfile", backend.lockfile);
  }
}
