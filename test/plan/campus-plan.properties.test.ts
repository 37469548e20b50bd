import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KUBERNETES_LIMITS } from "../../src/catalog/kubernetes-limits.js";
import { EnvironmentSchema } from "../../src/model/schema.js";
import { buildCampusPlan } from "../../src/plan/campus-plan.js";
import { clusterNodes } from "../../src/plan/node-identity.js";
import type { CampusPlan } from "../../src/plan/plan-types.js";
import { LABEL } from "../../src/vocabulary/labels.js";
import { arbitraryEnvironment } from "./arbitrary-environment.js";

const planOfInput = (input: unknown): CampusPlan => buildCampusPlan(EnvironmentSchema.parse(input));
const RUNS = { numRuns: 150 };

describe("campus plan properties", () => {
  it("conserves GPUs, nodes and racks from pools to buildings to clusters to totals", () => {
    fc.assert(
      fc.property(arbitraryEnvironment, (input) => {
        const plan = planOfInput(input);
        const poolGpus = plan.buildings.flatMap((b) => b.pools).reduce((s, p) => s + p.gpus, 0);
        const clusterGpus = plan.clusters.reduce((s, c) => s + c.gpus, 0);
        const clusterNodesTotal = plan.clusters.reduce((s, c) => s + c.nodes, 0);
        const clusterRacks = plan.clusters.reduce((s, c) => s + c.racks, 0);
        expect(clusterGpus).toBe(poolGpus);
        expect(plan.totals.gpus).toBe(poolGpus);
        expect(clusterNodesTotal).toBe(plan.totals.nodes);
        expect(clusterRacks).toBe(plan.totals.racks);
        for (const pool of plan.buildings.flatMap((b) => b.pools)) {
          expect(pool.gpus).toBe(pool.racks * pool.sku.gpusPerRack);
          expect(pool.nodes * pool.sku.gpusPerNode).toBe(pool.gpus);
        }
      }),
      RUNS,
    );
  });

  it("derives power as racks × rack kW and facility power as IT × PUE", () => {
    fc.assert(
      fc.property(arbitraryEnvironment, (input) => {
        const plan = planOfInput(input);
        for (const building of plan.buildings) {
          const kw = building.pools.reduce((s, p) => s + p.racks * p.sku.rackPowerKW, 0);
          expect(building.itPowerMW).toBeCloseTo(kw / 1000, 9);
          expect(building.facilityPowerMW).toBeCloseTo((kw / 1000) * plan.pue, 9);
        }
      }),
      RUNS,
    );
  });

  it("keeps every cluster within its node cap and Kubernetes' node and pod limits", () => {
    fc.assert(
      fc.property(arbitraryEnvironment, (input) => {
        const plan = planOfInput(input);
        for (const cluster of plan.clusters) {
          expect(cluster.nodes).toBeLessThanOrEqual(input.clusters.maxNodes ?? 5_000);
          expect(cluster.nodes).toBeLessThanOrEqual(KUBERNETES_LIMITS.maxNodesPerCluster);
          expect(cluster.maxPods).toBeLessThanOrEqual(KUBERNETES_LIMITS.maxPodsPerCluster);
        }
      }),
      RUNS,
    );
  });

  it("puts every scalable unit in exactly one cluster, and no building's cluster exceeds an even share by a unit or more", () => {
    fc.assert(
      fc.property(arbitraryEnvironment, (input) => {
        const plan = planOfInput(input);
        const owner = new Map<string, string>();
        for (const cluster of plan.clusters) {
          for (const unit of cluster.buildings.flatMap((b) => b.pools.flatMap((p) => p.scalableUnits))) {
            expect(owner.has(unit.id)).toBe(false);
            owner.set(unit.id, cluster.id);
          }
        }
        const allUnits = plan.buildings.flatMap((b) => b.pools.flatMap((p) => p.scalableUnits));
        expect(owner.size).toBe(allUnits.length);
        if (input.clusters.grouping === "per-building") {
          const largestUnit = Math.max(...allUnits.map((u) => u.nodes));
          for (const building of plan.buildings) {
            const sizes = plan.clusters.filter((c) => c.id.startsWith(`${building.id}-`)).map((c) => c.nodes);
            const evenShare = building.nodes / sizes.length;
            expect(Math.max(...sizes)).toBeLessThan(evenShare + largestUnit);
          }
        }
      }),
      RUNS,
    );
  });

  it("names nodes uniquely and stably, never splits a rack, and labels each node with its position", () => {
    fc.assert(
      fc.property(arbitraryEnvironment, (input) => {
        const plan = planOfInput(input);
        const again = planOfInput(input);
        const names = new Set<string>();
        const rackCluster = new Map<string, string>();
        const rackNodes = new Map<string, number>();
        for (const [c, cluster] of plan.clusters.entries()) {
          const second = [...clusterNodes(again, again.clusters[c] as (typeof again.clusters)[number])];
          const first = [...clusterNodes(plan, cluster)];
          expect(first).toEqual(second);
          expect(first.length).toBe(cluster.nodes);
          for (const node of first) {
            expect(names.has(node.name)).toBe(false);
            names.add(node.name);
            const rack = node.labels[LABEL.rack] as string;
            expect(node.name.startsWith(`${rack}-n`)).toBe(true);
            expect(rack.startsWith(`${node.labels[LABEL.building]}-${node.labels[LABEL.pool]}-r`)).toBe(true);
            expect(
              node.labels[LABEL.scalableUnit]?.startsWith(
                `${node.labels[LABEL.building]}-${node.labels[LABEL.pool]}-su`,
              ),
            ).toBe(true);
            expect(node.labels[LABEL.zone]).toBe(node.labels[LABEL.building]);
            expect(node.labels[LABEL.cluster]).toBe(cluster.id);
            expect(rackCluster.get(rack) ?? cluster.id).toBe(cluster.id);
            rackCluster.set(rack, cluster.id);
            rackNodes.set(rack, (rackNodes.get(rack) ?? 0) + 1);
            for (const value of Object.values(node.labels)) expect(value.length).toBeLessThanOrEqual(63);
          }
        }
        for (const building of plan.buildings) {
          for (const pool of building.pools) {
            for (let r = 1; r <= pool.racks; r++) {
              const rack = `${building.id}-${pool.id}-r${String(r).padStart(4, "0")}`;
              expect(rackNodes.get(rack)).toBe(pool.sku.nodesPerRack);
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
