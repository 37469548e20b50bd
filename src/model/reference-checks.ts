import { GPU_SKUS, gpuSkuIds } from "../catalog/gpu-skus.js";
import { clusterNodeCap, KUBERNETES_LIMITS } from "../catalog/kubernetes-limits.js";
import { fabricLink } from "../catalog/links.js";
import { NVIDIA_DRA_DRIVER } from "../catalog/nvidia-dra-driver.js";
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
  checkSizeBounds(env, report);
  checkStorageClassNames(env, report);
  checkRailCni(env, report);
  checkAddons(env, report);
}

/** The three StorageClasses of a building are three objects: one name each. */
function checkStorageClassNames(env: Environment, report: Report): void {
  const classes = [
    ["localNvme", env.storage.localNvme.storageClass],
    ["sharedFilesystem", env.storage.sharedFilesystem.storageClass],
    ["checkpoint", env.storage.checkpoint.storageClass],
  ] as const;
  const seen = new Map<string, string>();
  for (const [block, name] of classes) {
    const first = seen.get(name);
    if (first !== undefined) {
      report(
        ["storage", block, "storageClass"],
        `StorageClass "${name}" is also storage.${first}.storageClass; each of the three needs its own name`,
      );
    } else seen.set(name, block);
  }
}

/** macvlan needs an Ethernet parent; an InfiniBand rail is an IPoIB interface, which has none. */
function checkRailCni(env: Environment, report: Report): void {
  if (env.addons.multus && env.fabric.railCni === "macvlan" && env.fabric.compute.transport === "infiniband") {
    report(
      ["fabric", "railCni"],
      "macvlan cannot carry InfiniBand: IPoIB interfaces have no macvlan mode; use host-device or sriov " +
        "(or transport roce)",
    );
  }
}

/**
 * Racks of the whole campus at most: ~3× a full Abilene (8 buildings × ~700 NVL72 racks,
 * DESIGN.md). Every derived size (nodes, shards, records written) is proportional to racks, so
 * this bounds the plan before it is derived.
 */
export const MAX_CAMPUS_RACKS = 20_000;

/**
 * Floor, power and campus size, from the pool sizes alone: these bound everything the plan
 * derives (shards, node records), so they run before it is (a pool of 10^12 racks must fail here
 * in milliseconds, not in the planner after minutes).
 */
function checkSizeBounds(env: Environment, report: Report): void {
  let campusRacks = 0;
  env.buildings.forEach((building, b) => {
    const pools = building.pools.flatMap((pool) => {
      const sku = GPU_SKUS.get(pool.sku);
      const size = sku ? poolRacks(pool, sku) : undefined;
      return sku && size?.ok ? [{ id: pool.id, racks: size.racks, sku }] : [];
    });
    const racks = pools.reduce((sum, p) => sum + p.racks, 0);
    campusRacks += racks;
    if (racks > building.rackPositions) {
      report(
        ["buildings", b, "rackPositions"],
        `building ${building.id}: ${fmt(racks)} racks exceed its ${fmt(building.rackPositions)} rack positions ` +
          `by ${fmt(racks - building.rackPositions)}`,
      );
    }
    const itPowerMW = pools.reduce((sum, p) => sum + p.racks * p.sku.rackPowerKW, 0) / 1000;
    if (itPowerMW > building.itPowerMW + 1e-9) {
      const terms = pools.map((p) => `${fmt(p.racks)} racks × ${fmt(p.sku.rackPowerKW)} kW (${p.id})`).join(" + ");
      report(
        ["buildings", b, "itPowerMW"],
        `building ${building.id}: ${terms} = ${fmt(itPowerMW, 2)} MW exceeds itPowerMW ${fmt(building.itPowerMW, 2)} ` +
          `by ${fmt(itPowerMW - building.itPowerMW, 2)} MW`,
      );
    }
  });
  if (campusRacks > MAX_CAMPUS_RACKS) {
    report(
      ["buildings"],
      `the campus has ${fmt(campusRacks)} racks, more than the ${fmt(MAX_CAMPUS_RACKS)} a campus may plan ` +
        `(~3× a full Abilene) by ${fmt(campusRacks - MAX_CAMPUS_RACKS)}`,
    );
  }
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

  const clusterLimitsHold =
    env.clusters.maxNodes <= KUBERNETES_LIMITS.maxNodesPerCluster &&
    env.clusters.maxPodsPerNode <= KUBERNETES_LIMITS.maxPodsPerNode;
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
      // Over Kubernetes' own limits the cap means nothing; that error (below) is the one to fix.
      if (unitNodes > cap && clusterLimitsHold) {
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
