import { parse } from "yaml";
import { CapacityFileSchema } from "../../plan/capacity-schema.js";
import { GPU_RESOURCE } from "../../vocabulary/labels.js";
import { APP_LABEL, NAMES } from "../../vocabulary/names.js";
import { parseQuantity } from "../../vocabulary/quantity.js";
import type { SynthOutput } from "../read/synth-output.js";
import { isRecord, singleBlock } from "./values.js";

/**
 * What a change means for the people using the campus, read from the synthesized stacks and
 * capacity.json of both sides: GPUs advertised and device plugin restarts when a pool's sharing
 * changes, tenants and GPU quota, data volumes, and a building that was probably renamed. Each is
 * one line for the summary; a resource-by-resource diff shows the same facts as text diffs that a
 * reviewer would have to interpret.
 */

const QUOTA_GPUS = `requests.${GPU_RESOURCE}`;

type Resources = Record<string, Record<string, unknown>>;

function resourcesOf(stack: unknown, type: string): Record<string, unknown>[] {
  const resources = isRecord(stack) && isRecord(stack.resource) ? (stack.resource as Resources) : {};
  const byName = resources[type];
  return isRecord(byName) ? Object.values(byName).filter(isRecord) : [];
}

const labelsOf = (body: Record<string, unknown>) => {
  const labels = singleBlock(body.metadata)?.labels;
  return isRecord(labels) ? labels : {};
};
const nameOf = (body: Record<string, unknown>) => String(singleBlock(body.metadata)?.name ?? "");

const count = (n: number) => n.toLocaleString("en-US");
const signed = (n: number) => (n > 0 ? `+${count(n)}` : n < 0 ? `−${count(-n)}` : "±0");
const change = (before: number, after: number) => `${count(before)} → ${count(after)} (${signed(after - before)})`;
const TIB = 2 ** 40;
const tib = (bytes: number) => `${count(Math.round((bytes / TIB) * 100) / 100)} TiB`;

// ---------------------------------------------------------------------------------------------
// Device plugin sharing

/** How one pool's GPUs are advertised: source NVIDIA/k8s-device-plugin README, "Shared Access to GPUs". */
interface Sharing {
  /** `timeSlicing`, `mps`, or `none`. */
  readonly strategy: string;
  /** How many times each physical GPU is advertised. */
  readonly replicas: number;
  /** With renameByDefault the shared GPUs are advertised as `<resource>.shared`. */
  readonly resource: string;
}

const NO_SHARING: Sharing = { strategy: "none", replicas: 1, resource: GPU_RESOURCE };

function sharingOf(configYaml: unknown): Sharing {
  if (typeof configYaml !== "string") return NO_SHARING;
  let config: unknown;
  try {
    config = parse(configYaml);
  } catch {
    return NO_SHARING;
  }
  const sharing = isRecord(config) && isRecord(config.sharing) ? config.sharing : undefined;
  for (const [strategy, body] of Object.entries(sharing ?? {})) {
    if (!isRecord(body) || !Array.isArray(body.resources)) continue;
    const gpu = body.resources.find((r) => isRecord(r) && r.name === GPU_RESOURCE);
    const replicas = isRecord(gpu) && typeof gpu.replicas === "number" ? gpu.replicas : 1;
    return { strategy, replicas, resource: body.renameByDefault === true ? `${GPU_RESOURCE}.shared` : GPU_RESOURCE };
  }
  return NO_SHARING;
}

/** Config key (the pool's `nvidia.com/device-plugin.config` label value) → sharing, for one stack. */
function sharingByPool(stack: unknown): Map<string, Sharing> {
  const configMap = resourcesOf(stack, "kubernetes_config_map_v1").find(
    (c) => nameOf(c) === NAMES.devicePluginConfigMap,
  );
  const data = configMap && isRecord(configMap.data) ? configMap.data : {};
  return new Map(Object.entries(data).map(([key, yaml]) => [key, sharingOf(yaml)]));
}

const describeSharing = (s: Sharing) =>
  s.strategy === "none" ? "no sharing" : `${s.strategy === "timeSlicing" ? "time-slicing" : s.strategy} ×${s.replicas}`;

/** Nodes and GPUs of each pool of each stack, from capacity.json's clusters (pool key `<building>-<pool>`). */
function poolSizes(capacity: ReadonlyMap<string, unknown>): Map<string, { nodes: number; gpus: number }> {
  const sizes = new Map<string, { nodes: number; gpus: number }>();
  for (const document of capacity.values()) {
    const clusters = isRecord(document) && Array.isArray(document.clusters) ? document.clusters : [];
    for (const cluster of clusters.filter(isRecord)) {
      const buildings = Array.isArray(cluster.buildings) ? cluster.buildings.filter(isRecord) : [];
      for (const building of buildings) {
        const pools = Array.isArray(building.pools) ? building.pools.filter(isRecord) : [];
        for (const pool of pools) {
          sizes.set(`${String(cluster.stack)}/${String(building.id)}-${String(pool.id)}`, {
            nodes: Number(pool.nodes) || 0,
            gpus: Number(pool.gpus) || 0,
          });
        }
      }
    }
  }
  return sizes;
}

interface SharingChange {
  readonly stack: string;
  readonly pool: string;
  readonly before: Sharing;
  readonly after: Sharing;
  readonly nodes: number;
  readonly gpus: number;
}

function sharingChanges(before: SynthOutput, after: SynthOutput): SharingChange[] {
  const sizes = poolSizes(after.capacity);
  const changes: SharingChange[] = [];
  for (const [stack, document] of after.stacks) {
    const old = sharingByPool(before.stacks.get(stack));
    for (const [pool, now] of sharingByPool(document)) {
      const was = old.get(pool);
      if (!was || JSON.stringify(was) === JSON.stringify(now)) continue;
      const size = sizes.get(`${stack}/${pool}`) ?? { nodes: 0, gpus: 0 };
      changes.push({ stack, pool, before: was, after: now, ...size });
    }
  }
  return changes;
}

/** Identical sharing changes (every GB200 pool of production) are summed into one line. */
function sharingLines(changes: readonly SharingChange[]): string[] {
  const groups = new Map<string, SharingChange[]>();
  for (const c of changes) {
    const key = JSON.stringify([c.before, c.after]);
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.values()].map((group) => {
    const [first] = group;
    if (!first) return "";
    const nodes = group.reduce((sum, c) => sum + c.nodes, 0);
    const gpus = group.reduce((sum, c) => sum + c.gpus, 0);
    const perNode = first.nodes > 0 ? first.gpus / first.nodes : 0;
    const where =
      group.length === 1
        ? `pool ${first.pool} of ${first.stack}`
        : `${group.length} pools in ${new Set(group.map((c) => c.stack)).size} stacks (${group.map((c) => `${c.stack}/${c.pool}`).join(", ")})`;
    const advertised =
      first.before.resource === first.after.resource
        ? `each node advertises ${count(perNode * first.after.replicas)} ${first.after.resource} instead of ${count(perNode * first.before.replicas)}; ${change(gpus * first.before.replicas, gpus * first.after.replicas)} advertised`
        : `each node advertises ${count(perNode * first.after.replicas)} ${first.after.resource} instead of ${count(perNode * first.before.replicas)} ${first.before.resource}: pods requesting ${first.before.resource} no longer fit there`;
    return (
      `GPU sharing ${describeSharing(first.before)} → ${describeSharing(first.after)} on ${where}: ${advertised}. ` +
      `The device plugin restarts on all ${count(nodes)} nodes of ${group.length === 1 ? "the pool" : "those pools"} ` +
      "(its DaemonSet's config hash changes); a node takes no new GPU pods until its plugin has re-registered."
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Tenants, quota and volumes

/**
 * Tenant id → GPU quota in GPUs, summed over an environment's stacks: the plan's quota as
 * capacity.json records it per cluster (since 2026-12). A ResourceQuota is not the quota: it
 * counts advertised units (sharing replicas) and, with Kueue, the quota plus what the tenant may
 * borrow (docs/environments.md). Outputs older than those records (whose ResourceQuota was the
 * quota) are read from their ResourceQuotas.
 */
function tenantQuotas(output: SynthOutput, environment: string, stacks: readonly string[]): Map<string, number> {
  const quotas = new Map<string, number>();
  const add = (tenant: string, gpus: number) => quotas.set(tenant, (quotas.get(tenant) ?? 0) + gpus);
  const capacity = CapacityFileSchema.safeParse(output.capacity.get(environment));
  for (const stack of stacks) {
    const planned = capacity.success ? capacity.data.clusters.find((c) => c.stack === stack)?.tenants : undefined;
    if (planned) {
      for (const tenant of planned) add(tenant.id, tenant.gpuQuota);
      continue;
    }
    for (const quota of resourcesOf(output.stacks.get(stack), "kubernetes_resource_quota_v1")) {
      const tenant = labelsOf(quota)[APP_LABEL.instance];
      const spec = singleBlock(quota.spec);
      const gpus = parseQuantity(isRecord(spec?.hard) ? spec.hard[QUOTA_GPUS] : undefined);
      if (typeof tenant === "string" && gpus !== undefined) add(tenant, gpus);
    }
  }
  return quotas;
}

/** `<tenant>/<claim>` → requested bytes, over an environment's stacks. */
function volumes(output: SynthOutput, stacks: readonly string[]): Map<string, number> {
  const claims = new Map<string, number>();
  for (const stack of stacks) {
    for (const claim of resourcesOf(output.stacks.get(stack), "kubernetes_persistent_volume_claim_v1")) {
      const tenant = String(labelsOf(claim)[APP_LABEL.instance] ?? "?");
      const requests = singleBlock(singleBlock(claim.spec)?.resources)?.requests;
      const bytes = parseQuantity(isRecord(requests) ? requests.storage : undefined) ?? 0;
      const key = `${tenant}/${nameOf(claim)}`;
      claims.set(key, (claims.get(key) ?? 0) + bytes);
    }
  }
  return claims;
}

function tenantLine(environment: string, before: Map<string, number>, after: Map<string, number>): string | undefined {
  const parts: string[] = [];
  for (const [tenant, gpus] of after) {
    const was = before.get(tenant);
    if (was === undefined) parts.push(`new tenant ${tenant} (GPU quota ${count(gpus)})`);
    else if (was !== gpus) parts.push(`tenant ${tenant} GPU quota ${change(was, gpus)}`);
  }
  for (const [tenant, gpus] of before) {
    if (!after.has(tenant)) parts.push(`tenant ${tenant} removed (GPU quota ${count(gpus)})`);
  }
  if (parts.length === 0) return undefined;
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  parts.push(`GPU quota total ${change(total(before), total(after))}`);
  return `${environment}: ${parts.join(" · ")}`;
}

function volumeLine(environment: string, before: Map<string, number>, after: Map<string, number>): string | undefined {
  const parts: string[] = [];
  for (const [claim, bytes] of after) {
    const was = before.get(claim);
    if (was === undefined) parts.push(`new volume ${claim} ${tib(bytes)}`);
    else if (was !== bytes) parts.push(`volume ${claim} ${tib(was)} → ${tib(bytes)}`);
  }
  for (const [claim, bytes] of before) if (!after.has(claim)) parts.push(`volume ${claim} removed (${tib(bytes)})`);
  if (parts.length === 0) return undefined;
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  parts.push(`volumes total ${tib(total(before))} → ${tib(total(after))}`);
  return `${environment}: ${parts.join(" · ")}`;
}

// ---------------------------------------------------------------------------------------------
// Renamed buildings

/** What a building is, without its id: two buildings alike in all of it are one building renamed. */
function buildingShape(building: Record<string, unknown>): string {
  const { id, ...rest } = building;
  // Names derived from the id (scalable units "stg-gb200-su01") change with it.
  return JSON.stringify(rest, (_key, value) => (typeof value === "string" ? value.replaceAll(String(id), "") : value));
}

export interface BuildingRename {
  readonly environment: string;
  readonly from: string;
  readonly to: string;
}

/** A removed and an added building of one environment that are alike but for their id. */
export function buildingRenames(before: SynthOutput, after: SynthOutput): BuildingRename[] {
  const renames: BuildingRename[] = [];
  for (const [environment, now] of after.capacity) {
    const buildings = (doc: unknown) =>
      new Map(
        (isRecord(doc) && Array.isArray(doc.buildings) ? doc.buildings.filter(isRecord) : []).map((b) => [
          String(b.id),
          b,
        ]),
      );
    const old = buildings(before.capacity.get(environment));
    const current = buildings(now);
    const added = [...current].filter(([id]) => !old.has(id));
    for (const [id, building] of old) {
      if (current.has(id)) continue;
      const twin = added.find(([, b]) => buildingShape(b) === buildingShape(building));
      if (twin) renames.push({ environment, from: id, to: twin[0] });
    }
  }
  return renames;
}

function renameLine(rename: BuildingRename, before: SynthOutput, after: SynthOutput): string {
  const gone = [...before.stacks.keys()].filter((s) => s.includes(`-${rename.from}-`) && !after.stacks.has(s));
  const stacks = gone.map((s) => `${s} → ${s.replace(`-${rename.from}-`, `-${rename.to}-`)}`).join(", ");
  return (
    `${rename.environment}: probable rename of building ${rename.from} → ${rename.to} (same racks, pools, power and fabric). ` +
    `Its stacks are replaced (${stacks || "none"}), its nodes' names and labels change, and its volumes would be ` +
    "destroyed with the old stack: if this is a rename, move each stack's state to the new backend key (`tofu state mv` or copying the state) before applying."
  );
}

// ---------------------------------------------------------------------------------------------

/** Every impact line of a diff, renamed buildings first. */
export function workloadImpacts(
  before: SynthOutput,
  after: SynthOutput,
  stackEnvironments: ReadonlyMap<string, string>,
): string[] {
  const lines = buildingRenames(before, after).map((r) => renameLine(r, before, after));
  lines.push(...sharingLines(sharingChanges(before, after)));
  const environments = [...new Set([...before.capacity.keys(), ...after.capacity.keys()])].sort();
  for (const environment of environments) {
    const stacks = [...stackEnvironments].filter(([, env]) => env === environment).map(([stack]) => stack);
    const tenants = tenantLine(
      environment,
      tenantQuotas(before, environment, stacks),
      tenantQuotas(after, environment, stacks),
    );
    const claims = volumeLine(environment, volumes(before, stacks), volumes(after, stacks));
    lines.push(...[tenants, claims].filter((l): l is string => l !== undefined));
  }
  return lines;
}
