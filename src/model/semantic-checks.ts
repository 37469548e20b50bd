import { GPU_SKUS, gpuSkuIds } from "../catalog/gpu-skus.js";
import { KUBERNETES_LIMITS } from "../catalog/kubernetes-limits.js";
import { radixAtSpeed, SWITCH_MODELS, switchModelIds } from "../catalog/switches.js";
import { SYSTEM_NAMESPACE } from "../constructs/campus-inventory.js";
import { NAMES } from "../constructs/naming.js";
import { buildCampusPlan, effectiveNodeCap, fabricDemand } from "../plan/campus-plan.js";
import { maxHostsForTiers } from "../plan/fat-tree.js";
import type { CampusPlan } from "../plan/plan-types.js";
import { poolRacks } from "../plan/pool-size.js";
import { POLICY_RULE_IDS } from "../policy/rules/index.js";
import { patternCanMatchStack } from "../policy/suppression.js";
import type { EnvironmentError, FieldPath } from "./environment-error.js";
import type { Environment } from "./schema.js";
import type { SourceMap } from "./source-map.js";

/**
 * Rules that need the catalog or the derived plan. Catalog and reference errors are found
 * first (the plan cannot be derived without them); when there are none, the plan is derived and
 * checked against physics and Kubernetes' limits. Every error says the value, the limit and by
 * how much it was broken.
 */

type Report = (path: FieldPath, message: string) => void;

const fmt = (value: number, digits = 1) =>
  value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });

export function checkEnvironment(env: Environment, file: string, sourceMap: SourceMap): EnvironmentError[] {
  const errors: EnvironmentError[] = [];
  const report: Report = (path, message) => errors.push({ file, ...sourceMap.locate(path), path, message });
  checkReferences(env, report);
  checkReservedNamespaces(env, report);
  checkPolicyRules(env, report);
  if (errors.length > 0) return errors;
  const plan = buildCampusPlan(env);
  checkPhysics(env, plan, report);
  checkClusters(env, plan, report);
  checkTenants(env, plan, report);
  checkSuppressionTargets(env, plan, report);
  return errors;
}

function checkDuplicates(ids: readonly string[], path: (index: number) => FieldPath, what: string, report: Report) {
  const seen = new Map<string, number>();
  ids.forEach((id, index) => {
    const first = seen.get(id);
    if (first !== undefined) report(path(index), `duplicate ${what} id "${id}" (first used at index ${first})`);
    else seen.set(id, index);
  });
}

function checkReferences(env: Environment, report: Report): void {
  checkDuplicates(
    env.buildings.map((b) => b.id),
    (i) => ["buildings", i, "id"],
    "building",
    report,
  );
  checkDuplicates(
    env.tenants.map((t) => t.id),
    (i) => ["tenants", i, "id"],
    "tenant",
    report,
  );

  const switchModel = SWITCH_MODELS.get(env.fabric.compute.switch);
  if (!switchModel) {
    report(
      ["fabric", "compute", "switch"],
      `unknown switch "${env.fabric.compute.switch}"; the catalog has: ${switchModelIds().join(", ")}`,
    );
  } else if (!switchModel.transports.includes(env.fabric.compute.transport)) {
    report(
      ["fabric", "compute", "switch"],
      `${switchModel.displayName} does not carry ${env.fabric.compute.transport}; it carries ${switchModel.transports.join(", ")}`,
    );
  }

  env.buildings.forEach((building, b) => {
    checkDuplicates(
      building.pools.map((p) => p.id),
      (i) => ["buildings", b, "pools", i, "id"],
      `pool (in building ${building.id})`,
      report,
    );
    building.pools.forEach((pool, p) => {
      const path: FieldPath = ["buildings", b, "pools", p];
      const sku = GPU_SKUS.get(pool.sku);
      if (!sku) {
        report([...path, "sku"], `unknown SKU "${pool.sku}"; the catalog has: ${gpuSkuIds().join(", ")}`);
        return;
      }
      const size = poolRacks(pool, sku);
      if (!size.ok) {
        const racks = size.value / size.perRack;
        report(
          [...path, size.field],
          `${fmt(size.value)} ${size.field} is not a whole number of ${sku.displayName} racks ` +
            `(${size.perRack} ${size.field} per rack; ${fmt(racks, 2)} racks): use ${fmt(Math.floor(racks) * size.perRack)} or ${fmt(Math.ceil(racks) * size.perRack)}`,
        );
        return;
      }
      if (switchModel && radixAtSpeed(switchModel, sku.computeNicGbps) === 0) {
        report(
          ["fabric", "compute", "switch"],
          `${switchModel.displayName} ports run at ${switchModel.portGbps}G, slower than the ${sku.computeNicGbps}G NICs of ` +
            `${sku.displayName} in buildings[${b}].pools[${p}]: the switch cannot build this fabric`,
        );
      }
      const unitNodes = Math.min(size.racks, sku.racksPerScalableUnit) * sku.nodesPerRack;
      const cap = effectiveNodeCap(env);
      if (unitNodes > cap) {
        report(
          ["clusters", "maxNodes"],
          `a ${sku.displayName} scalable unit has ${fmt(unitNodes)} nodes, more than the ${fmt(cap)}-node cluster cap; ` +
            "a scalable unit is never split across clusters",
        );
      }
    });
  });

  if (env.clusters.maxNodes > KUBERNETES_LIMITS.maxNodesPerCluster) {
    report(
      ["clusters", "maxNodes"],
      `${fmt(env.clusters.maxNodes)} nodes per cluster exceeds Kubernetes' limit of ${fmt(KUBERNETES_LIMITS.maxNodesPerCluster)} ` +
        `by ${fmt(env.clusters.maxNodes - KUBERNETES_LIMITS.maxNodesPerCluster)} (kubernetes.io: considerations for large clusters)`,
    );
  }
  if (env.clusters.maxPodsPerNode > KUBERNETES_LIMITS.maxPodsPerNode) {
    report(
      ["clusters", "maxPodsPerNode"],
      `${env.clusters.maxPodsPerNode} pods per node exceeds Kubernetes' limit of ${KUBERNETES_LIMITS.maxPodsPerNode} ` +
        `by ${env.clusters.maxPodsPerNode - KUBERNETES_LIMITS.maxPodsPerNode}`,
    );
  }

  const buildingIds = new Set(env.buildings.map((b) => b.id));
  env.tenants.forEach((tenant, t) => {
    tenant.buildings?.forEach((id, i) => {
      if (!buildingIds.has(id)) {
        report(
          ["tenants", t, "buildings", i],
          `unknown building "${id}"; the environment has: ${[...buildingIds].join(", ")}`,
        );
      }
    });
  });
}

function checkPhysics(env: Environment, plan: CampusPlan, report: Report): void {
  plan.buildings.forEach((building, b) => {
    if (building.racks > building.rackPositions) {
      report(
        ["buildings", b, "rackPositions"],
        `building ${building.id}: ${fmt(building.racks)} racks exceed its ${fmt(building.rackPositions)} rack positions ` +
          `by ${fmt(building.racks - building.rackPositions)}`,
      );
    }
    if (building.itPowerMW > building.itPowerBudgetMW + 1e-9) {
      const terms = building.pools
        .map((p) => `${fmt(p.racks)} racks × ${fmt(p.sku.rackPowerKW)} kW (${p.id})`)
        .join(" + ");
      report(
        ["buildings", b, "itPowerMW"],
        `building ${building.id}: ${terms} = ${fmt(building.itPowerMW, 2)} MW exceeds itPowerMW ${fmt(building.itPowerBudgetMW, 2)} ` +
          `by ${fmt(building.itPowerMW - building.itPowerBudgetMW, 2)} MW`,
      );
    }
    const demand = building.fabric ? undefined : fabricDemand(env, building.pools);
    if (demand) {
      const { oversubscription, maxTiers } = env.fabric.compute;
      const { linkGbps, radix } = demand;
      const reach = maxHostsForTiers(radix, oversubscription, maxTiers);
      report(
        ["fabric", "compute", "maxTiers"],
        `building ${building.id}: ${fmt(demand.hostsPerPlane)} ${linkGbps}G ports per plane need more than ${maxTiers} tier(s) of ` +
          `${demand.switchModel.displayName} (radix ${radix} at ${linkGbps}G, oversubscription ${oversubscription}:1 ` +
          `reaches ${fmt(reach)} ports): the switch cannot build this fabric`,
      );
    }
  });
  if (plan.gridPowerMW !== undefined && plan.totals.facilityPowerMW > plan.gridPowerMW + 1e-9) {
    report(
      ["campus", "gridPowerMW"],
      `campus facility power ${fmt(plan.totals.itPowerMW, 1)} MW IT × PUE ${plan.pue} = ${fmt(plan.totals.facilityPowerMW, 1)} MW ` +
        `exceeds gridPowerMW ${fmt(plan.gridPowerMW)} by ${fmt(plan.totals.facilityPowerMW - plan.gridPowerMW, 1)} MW`,
    );
  }
}

function checkClusters(env: Environment, plan: CampusPlan, report: Report): void {
  const clusterIds = new Set(plan.clusters.map((c) => c.id));
  for (const cluster of plan.clusters) {
    if (cluster.kubeconfig.context === undefined) {
      report(
        ["clusters", "kubeconfig"],
        `cluster ${cluster.id} (stack ${cluster.stackName}) has no kubeconfig context: set clusters.kubeconfig.contextPattern ` +
          `(e.g. "${plan.campusId}-{cluster}") or clusters.kubeconfig.contexts.${cluster.id}`,
      );
    }
  }
  for (const id of Object.keys(env.clusters.kubeconfig.contexts)) {
    if (!clusterIds.has(id)) {
      report(
        ["clusters", "kubeconfig", "contexts", id],
        `no cluster "${id}" in this environment; the plan derives: ${[...clusterIds].join(", ")}`,
      );
    }
  }
}

function checkTenants(env: Environment, plan: CampusPlan, report: Report): void {
  for (const cluster of plan.clusters) {
    const quota = cluster.tenants.reduce((sum, t) => sum + t.gpuQuota, 0);
    if (quota > cluster.gpus && !env.clusters.allowQuotaOvercommit) {
      const terms = cluster.tenants.map((t) => `${t.id} ${fmt(t.gpuQuota)}`).join(" + ");
      report(
        ["tenants"],
        `cluster ${cluster.id}: tenant GPU quotas ${terms} = ${fmt(quota)} exceed its ${fmt(cluster.gpus)} GPUs by ` +
          `${fmt(quota - cluster.gpus)} (set clusters.allowQuotaOvercommit to allow it)`,
      );
    }
    const capacityTiB = cluster.gpus * env.storage.sharedFilesystem.capacityTiBPerGpu;
    const volumes = cluster.tenants.reduce(
      (sum, t) => sum + (t.datasetVolumeTiB ?? 0) + (t.checkpointVolumeTiB ?? 0),
      0,
    );
    if (volumes > capacityTiB + 1e-9) {
      report(
        ["tenants"],
        `cluster ${cluster.id}: tenant dataset and checkpoint volumes total ${fmt(volumes)} TiB, more than the ` +
          `${fmt(capacityTiB)} TiB of shared filesystem its ${fmt(cluster.gpus)} GPUs get ` +
          `(storage.sharedFilesystem.capacityTiBPerGpu ${env.storage.sharedFilesystem.capacityTiBPerGpu}) by ${fmt(volumes - capacityTiB)} TiB`,
      );
    }
  }
}

/**
 * A tenant's namespace is its id. Kubernetes reserves `default` and the `kube-` prefix
 * (kubernetes.io/docs/concepts/overview/working-with-objects/namespaces), and the campus owns its
 * system namespaces: a tenant there would share them and escape its own quotas and policies.
 */
function checkReservedNamespaces(env: Environment, report: Report): void {
  const campus = [SYSTEM_NAMESPACE, NAMES.devicePluginNamespace];
  env.tenants.forEach((tenant, t) => {
    if (tenant.id === "default" || tenant.id.startsWith("kube-") || campus.includes(tenant.id)) {
      report(
        ["tenants", t, "id"],
        `tenant id "${tenant.id}" would be namespace "${tenant.id}", which is reserved ` +
          `(Kubernetes: default and kube-*; the campus: ${campus.join(", ")})`,
      );
    }
  });
}

function checkPolicyRules(env: Environment, report: Report): void {
  env.policy.suppressions.forEach((suppression, i) => {
    if (!POLICY_RULE_IDS.includes(suppression.rule)) {
      report(
        ["policy", "suppressions", i, "rule"],
        `unknown policy rule "${suppression.rule}"; the pack has ${POLICY_RULE_IDS[0]} to ${POLICY_RULE_IDS.at(-1)} (docs/policy.md: rules)`,
      );
    }
  });
}

/** A suppression whose path can match no stack of the environment is a typo that suppresses nothing. */
function checkSuppressionTargets(env: Environment, plan: CampusPlan, report: Report): void {
  const stacks = plan.clusters.map((c) => c.stackName);
  env.policy.suppressions.forEach((suppression, i) => {
    if (!patternCanMatchStack(suppression.resource, stacks)) {
      report(
        ["policy", "suppressions", i, "resource"],
        `"${suppression.resource}" matches no stack of this environment: paths start with the stack name ` +
          `(${stacks.length > 3 ? `${stacks.slice(0, 3).join(", ")}, …` : stacks.join(", ")}) or a glob such as "*"`,
      );
    }
  });
}
