import { formatFigure as fmt, type Report } from "../model/environment-error.js";
import type { Environment } from "../model/schema.js";
import { fabricDemand } from "./campus-plan.js";
import { maxHostsForTiers } from "./fat-tree.js";
import type { CampusPlan } from "./plan-types.js";

/**
 * Checks that need the derived plan: physics (campus grid power, a fabric the switch cannot
 * build), clusters (a kubeconfig context for each, none for
 * clusters that do not exist) and tenants (GPU quotas and volumes within each cluster's
 * capacity). Every error says the value, the limit and by how much it was broken.
 */
export function checkPlan(env: Environment, plan: CampusPlan, report: Report): void {
  checkPhysics(env, plan, report);
  checkClusters(env, plan, report);
  checkTenants(env, plan, report);
}

function checkPhysics(env: Environment, plan: CampusPlan, report: Report): void {
  // Rack positions and building power are checked before the plan is derived
  // (src/model/reference-checks.ts: they bound its size).
  plan.buildings.forEach((building) => {
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
  // One API server per context: two clusters on one context would apply both clusters' objects to it.
  const byContext = new Map<string, string>();
  for (const cluster of plan.clusters) {
    const context = cluster.kubeconfig.context;
    if (context === undefined) continue;
    const other = byContext.get(context);
    if (other === undefined) {
      byContext.set(context, cluster.id);
      continue;
    }
    const explicit = env.clusters.kubeconfig.contexts[cluster.id] !== undefined;
    report(
      explicit ? ["clusters", "kubeconfig", "contexts", cluster.id] : ["clusters", "kubeconfig", "contextPattern"],
      `clusters ${other} and ${cluster.id} would both use kubeconfig context "${context}": a deploy would apply both ` +
        "clusters' objects to one API server; give each cluster its own context",
    );
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
  const tenantIndex = new Map(env.tenants.map((t, i) => [t.id, i]));
  for (const cluster of plan.clusters) {
    for (const tenant of cluster.tenants) {
      const t = tenantIndex.get(tenant.id) ?? 0;
      const spec = env.tenants[t];
      if (spec?.gpuShare !== undefined && tenant.gpuQuota < 1) {
        report(
          ["tenants", t, "gpuShare"],
          `cluster ${cluster.id}: gpuShare ${spec.gpuShare} of its ${fmt(cluster.gpus)} GPUs is ${fmt(spec.gpuShare * cluster.gpus, 3)}, ` +
            `which rounds down to a quota of 0 GPUs; the least share that gives one GPU is ${fmt(1 / cluster.gpus, 6)}`,
        );
      }
      // Overcommit lets the sum of quotas exceed the cluster, never one quota (GPC-020).
      if (tenant.gpuQuota > cluster.gpus) {
        report(
          ["tenants", t, spec?.gpuShare !== undefined ? "gpuShare" : "gpuQuota"],
          `cluster ${cluster.id}: tenant ${tenant.id}'s quota of ${fmt(tenant.gpuQuota)} GPUs exceeds the cluster's ` +
            `${fmt(cluster.gpus)} GPUs by ${fmt(tenant.gpuQuota - cluster.gpus)}, overcommit or not`,
        );
      }
    }
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
