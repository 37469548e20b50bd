import { GPU_SKUS, gpuSkuIds } from "../catalog/gpu-skus.js";
import { clusterNodeCap, KUBERNETES_LIMITS } from "../catalog/kubernetes-limits.js";
import { NVIDIA_DRA_DRIVER } from "../catalog/nvidia-dra-driver.js";
import { radixAtSpeed, SWITCH_MODELS, switchModelIds } from "../catalog/switches.js";
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
  checkAddons(env, report);
}

/**
 * Add-ons that need something of the cluster: the DRA driver needs DRA GA (Kubernetes ≥ 1.34,
 * kubernetes.io/blog/2025/09/01/kubernetes-v1-34-dra-updates) and a pool whose NVLink domain spans
 * nodes; MPS sharing needs GPU feature discovery, which needs NFD (NVIDIA/k8s-device-plugin v0.20.0
 * templates/daemonset-mps-control-daemon.yml selects `nvidia.com/mps.capable`, a GFD label); RDMA
 * tenants need the rails' NetworkAttachmentDefinitions (Multus).
 */
function checkAddons(env: Environment, report: Report): void {
  const minor = Number(env.clusters.kubernetesVersion.split(".")[1]);
  const required = NVIDIA_DRA_DRIVER.minKubernetesMinor;
  if (env.addons.nvidiaDra && minor < required) {
    report(
      ["addons", "nvidiaDra"],
      `the NVIDIA DRA driver needs Kubernetes ≥ 1.${required} (DRA GA, resource.k8s.io/v1); clusters.kubernetesVersion is ` +
        `"${env.clusters.kubernetesVersion}", ${required - minor} minor version(s) short`,
    );
  }
  // An unknown SKU is reported on its own; judging NVLink domains then would only echo it.
  const skusKnown = env.buildings.every((b) => b.pools.every((p) => GPU_SKUS.has(p.sku)));
  if (env.addons.nvidiaDra && skusKnown) {
    const multiNode = env.buildings.some((b) =>
      b.pools.some((p) => {
        const sku = GPU_SKUS.get(p.sku);
        return sku !== undefined && sku.nvlinkDomainGpus > sku.gpusPerNode;
      }),
    );
    if (!multiNode) {
      report(
        ["addons", "nvidiaDra"],
        "no pool has an NVLink domain larger than one node (GB200/GB300 NVL72): ComputeDomains would have nothing to span",
      );
    }
  }
  env.buildings.forEach((building, b) => {
    building.pools.forEach((pool, p) => {
      if (pool.devicePlugin.sharing?.strategy === "mps" && !env.addons.nodeFeatureDiscovery) {
        report(
          ["buildings", b, "pools", p, "devicePlugin", "sharing", "strategy"],
          "MPS sharing needs GPU feature discovery (the MPS control daemon runs only on nodes labelled nvidia.com/mps.capable=true), " +
            "and GFD needs Node Feature Discovery: set addons.nodeFeatureDiscovery: true",
        );
      }
    });
  });
  env.tenants.forEach((tenant, t) => {
    if (tenant.rdma && !env.addons.multus) {
      report(
        ["tenants", t, "rdma"],
        `tenant ${tenant.id} opts in to RDMA, but without addons.multus there are no rail networks to attach to`,
      );
    }
  });
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
      if (switchModel && radixAtSpeed(switchModel, sku.computeNicGbps) === 0) {
        report(
          ["fabric", "compute", "switch"],
          `${switchModel.displayName} ports run at ${switchModel.portGbps}G, slower than the ${sku.computeNicGbps}G NICs of ` +
            `${sku.displayName} in buildings[${b}].pools[${p}]: the switch cannot build this fabric`,
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
  const campus: readonly string[] = [
    NAMES.systemNamespace,
    NAMES.devicePluginNamespace,
    NAMES.draDriverNamespace,
    NAMES.telemetryNamespace,
    NAMES.rdmaDevicePluginNamespace,
  ];
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
