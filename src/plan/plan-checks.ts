import { formatFigure as fmt, type Report } from "../model/environment-error.js";
import type { Environment } from "../model/schema.js";
import { fabricDemand } from "./campus-plan.js";
import { maxHostsForTiers } from "./fat-tree.js";
import type { CampusPlan } from "./plan-types.js";

/**
 * Checks that need the derived plan: physics (building power and rack positions, campus grid
 * power, a fabric the switch cannot build), clusters (a kubeconfig context for each, none for
 * clusters that do not exist) and tenants (GPU quotas and volumes within each cluster's
 * capacity). Every error says the value, the limit and by how much it was broken.
 */
export function checkPlan(env: Environment, plan: CampusPlan, report: Report): void {
  checkPhysics(env, plan, report);
  checkClusters(env, plan, report);
  checkTenants(env, plan, report);
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
    for (const tenant of cluster.tenants) {
      const lending = tenant.queue.lendingLimitGpus;
      if (lending !== undefined && lending > tenant.gpuQuota) {
        report(
          ["tenants", env.tenants.findIndex((t) => t.id === tenant.id), "queue", "lendingLimitGpus"],
          `cluster ${cluster.id}: tenant ${tenant.id} lends ${fmt(lending)} GPUs, more than its quota of ${fmt(tenant.gpuQuota)} ` +
            `there by ${fmt(lending - tenant.gpuQuota)} (Kueue: a lending limit is at most the nominal quota)`,
        );
      }
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
