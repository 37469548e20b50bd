import { GPU_SKUS, gpuSkuIds } from "../catalog/gpu-skus.js";
import { clusterNodeCap, KUBERNETES_LIMITS } from "../catalog/kubernetes-limits.js";
import { fabricLink } from "../catalog/links.js";
import { SWITCH_MODELS, switchModelIds } from "../catalog/switches.js";
import { NAMES } from "../vocabulary/names.js";
import { type FieldPath, formatFigure as fmt, type Report } from "./environment-error.js";
import { poolRacks } from "./pool-size.js";
import type { Environment } from "./schema.js";

/**
 * Checks that need only the environment file and the catalog: duplicate ids, unknown SKUs and
 * switches, pool sizes that are not whole racks, Kubernetes' limits, references to buildings that
 * do not exist, reserved namespaces. They run before the plan is derived: the plan cannot be
 * derived without them. Every error says the value, the limit and by how much it was broken.
 */
export function checkReferences(env: Environment, report: Report): void {
  checkIds(env, report);
  checkReservedNamespaces(env, report);
}

function checkDuplicates(ids: readonly string[], path: (index: number) => FieldPath, what: string, report: Report) {
  const seen = new Map<string, number>();
  ids.forEach((id, index) => {
    const first = seen.get(id);
    if (first !== undefined) report(path(index), `duplicate ${what} id "${id}" (first used at index ${first})`);
    else seen.set(id, index);
  });
}

function checkIds(env: Environment, report: Report): void {
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
      const { transport, design, planes } = env.fabric.compute;
      const fanOut = design === "multi-plane" && typeof planes === "number" ? planes : undefined;
      // A switch that does not carry the transport is reported once, above.
      const carries = switchModel?.transports.includes(transport);
      const link = switchModel && carries && fabricLink(sku.computeNic, switchModel, transport, fanOut);
      if (link && !link.ok) {
        report(
          ["fabric", "compute", "switch"],
          `${switchModel.displayName} cannot link to the ${sku.displayName} NICs in buildings[${b}].pools[${p}]: ${link.reason}`,
        );
      }
      const unitNodes = Math.min(size.racks, sku.racksPerScalableUnit) * sku.nodesPerRack;
      const cap = clusterNodeCap(env.clusters.maxNodes, env.clusters.maxPodsPerNode);
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

/**
 * A tenant's namespace is its id. Kubernetes reserves `default` and the `kube-` prefix
 * (kubernetes.io/docs/concepts/overview/working-with-objects/namespaces), and the campus owns its
 * system namespaces: a tenant there would share them and escape its own quotas and policies.
 */
function checkReservedNamespaces(env: Environment, report: Report): void {
  const campus: readonly string[] = [NAMES.systemNamespace, NAMES.devicePluginNamespace];
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
