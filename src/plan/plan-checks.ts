import { formatFigure as fmt, type Report } from "../model/environment-error.js";
import type { Environment } from "../model/schema.js";
import { fabricDemand, linkOf } from "./campus-plan.js";
import { maxHostsForTiers } from "./fat-tree.js";
import type { BuildingPlan, CampusPlan } from "./plan-types.js";

/**
 * Checks that need the derived plan: physics (campus grid power, a fabric the switch cannot
 * build), clusters (a kubeconfig context for each, none for
 * clusters that do not exist) and tenants (GPU quotas and volumes within each cluster's
 * capacity). Every error says the value, the limit and by how much it was broken.
 */
export function checkPlan(env: Environment, plan: CampusPlan, report: Report): void {
  checkFabricDesign(env, report);
  checkPhysics(env, plan, report);
  checkClusters(env, plan, report);
  checkTenants(env, plan, report);
}

function checkPhysics(env: Environment, plan: CampusPlan, report: Report): void {
  // Rack positions, and racks × rack kW against the budget, are checked before the plan is derived
  // (src/model/reference-checks.ts: they bound its size); the unit power with its share of the
  // fabric and the SKU's published scalable-unit power is only known here.
  plan.buildings.forEach((building, b) => {
    if (building.itPowerMW > building.itPowerBudgetMW + 1e-9) {
      const terms = building.pools.map(
        (p) => `${fmt(p.scalableUnits.length)} units of ${p.id} ${fmt(p.itPowerKW / 1000, 2)} MW`,
      );
      report(
        ["buildings", b, "itPowerMW"],
        `building ${building.id}: ${terms.join(" + ")} = ${fmt(building.itPowerMW, 2)} MW ` +
          `(racks ${fmt(building.rackPowerMW, 2)} MW, compute fabric ${fmt(building.networkPowerMW, 2)} MW, ` +
          `each unit at least its SKU's published scalable-unit TDP) exceeds itPowerMW ${fmt(building.itPowerBudgetMW, 2)} ` +
          `by ${fmt(building.itPowerMW - building.itPowerBudgetMW, 2)} MW`,
      );
    }
    if (!building.fabric) checkFabric(env, building, report);
  });
  if (plan.gridPowerMW !== undefined && plan.totals.facilityPowerMW > plan.gridPowerMW + 1e-9) {
    report(
      ["campus", "gridPowerMW"],
      `campus facility power ${fmt(plan.totals.itPowerMW, 1)} MW IT × PUE ${plan.pue} = ${fmt(plan.totals.facilityPowerMW, 1)} MW ` +
        `exceeds gridPowerMW ${fmt(plan.gridPowerMW)} by ${fmt(plan.totals.facilityPowerMW - plan.gridPowerMW, 1)} MW`,
    );
  }
}

/** `planes` belongs to multi-plane fabrics only: a rail-optimized fabric is one plane by definition. */
function checkFabricDesign(env: Environment, report: Report): void {
  const { design, planes } = env.fabric.compute;
  if (design === "rail-optimized" && planes !== undefined) {
    report(
      ["fabric", "compute", "planes"],
      `planes ${JSON.stringify(planes)} is set but design is rail-optimized, one Clos whose rails join at the spine; ` +
        "set design: multi-plane for independent planes, or remove planes",
    );
  }
}

/** Why a building has no fabric: pools at different link speeds, or more hosts than maxTiers reach. */
function checkFabric(env: Environment, building: BuildingPlan, report: Report): void {
  const links = building.pools.map((p) => ({ pool: p, link: linkOf(env, p.sku) }));
  // A NIC that cannot link at all is reported by the reference checks, at the switch.
  if (links.some((l) => !l.link.ok)) return;
  const speeds = [...new Set(links.map((l) => (l.link.ok ? l.link.link.linkGbps : 0)))];
  if (speeds.length > 1) {
    const b = env.buildings.findIndex((spec) => spec.id === building.id);
    report(
      ["buildings", b, "pools"],
      `building ${building.id}: pools link to ${env.fabric.compute.switch} at different speeds ` +
        `(${links.map((l) => `${l.pool.id} ${l.link.ok ? l.link.link.linkGbps : 0}G`).join(", ")}): one fabric runs one link speed; ` +
        "put the pools in different buildings or pick a switch both link to at one speed",
    );
    return;
  }
  const demand = fabricDemand(env, building.pools);
  if (!demand) return;
  const { oversubscription, maxTiers } = env.fabric.compute;
  const { linkGbps, radix } = demand.link;
  const reach = maxHostsForTiers(radix, oversubscription, maxTiers);
  report(
    ["fabric", "compute", "maxTiers"],
    `building ${building.id}: ${fmt(demand.hostsPerPlane)} ${linkGbps}G ports per plane need more than ${maxTiers} tier(s) of ` +
      `${demand.switchModel.displayName} (radix ${radix} at ${linkGbps}G, oversubscription ${oversubscription}:1 ` +
      `reaches ${fmt(reach)} ports): the switch cannot build this fabric`,
  );
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
