import type { PlanFinding, PlanRule } from "../policy-rule.js";

/**
 * Every GPU of an NVLink domain (one NVL72 rack, one HGX board) sits in one cluster: a
 * ComputeDomain cannot span two API servers, so a split domain is 72 GPUs that can never run
 * one job. Checked on the plan, where clusters are cut: each scalable unit's GPUs are numbered
 * inside its pool and mapped to domains; a domain reached from two clusters is split.
 * Source: docs/design.md (principle 2); NVIDIA DRA driver ComputeDomain (kubernetes-sigs/dra-driver-nvidia-gpu).
 */
export const nvlinkDomainNotSplit: PlanRule = {
  id: "GPC-022",
  name: "nvlink-domain-not-split",
  scope: "plan",
  level: "error",
  description: "No NVLink domain of a pool is split across clusters (the plan cuts clusters at scalable units).",
  why: "An NVLink domain split between two clusters can never run the one job it was built for.",
  fix: "Shard at scalable-unit boundaries (src/plan/shards.ts) and keep racksPerScalableUnit a multiple of the racks per NVLink domain.",
  sources: [
    {
      title: "NVIDIA DRA driver for GPUs: ComputeDomain",
      url: "https://github.com/kubernetes-sigs/dra-driver-nvidia-gpu",
    },
    {
      title: "NVIDIA DGX SuperPOD GB200 reference architecture: scalable units",
      url: "https://docs.nvidia.com/dgx-superpod/",
    },
  ],
  evaluate(plan) {
    const findings: PlanFinding[] = [];
    for (const building of plan.buildings) {
      for (const pool of building.pools) {
        const owners = new Map<number, Set<string>>();
        for (const cluster of plan.clusters) {
          for (const slice of cluster.buildings) {
            if (slice.building.id !== building.id) continue;
            for (const poolSlice of slice.pools) {
              if (poolSlice.pool.id !== pool.id) continue;
              for (const unit of poolSlice.scalableUnits) {
                const firstGpu = (unit.firstRack - 1) * pool.sku.gpusPerRack;
                const first = Math.floor(firstGpu / pool.sku.nvlinkDomainGpus);
                const last = Math.floor((firstGpu + unit.gpus - 1) / pool.sku.nvlinkDomainGpus);
                for (let domain = first; domain <= last; domain++) {
                  const set = owners.get(domain) ?? new Set<string>();
                  set.add(cluster.id);
                  owners.set(domain, set);
                }
              }
            }
          }
        }
        for (const [domain, clusters] of owners) {
          if (clusters.size < 2) continue;
          const ids = [...clusters].sort();
          for (const clusterId of ids) {
            findings.push({
              clusterId,
              reason:
                `building ${building.id} pool ${pool.id}: NVLink domain ${domain + 1} (${pool.sku.nvlinkDomainGpus} GPUs) ` +
                `is split across clusters ${ids.join(", ")}`,
            });
          }
        }
      }
    }
    return findings;
  },
};
