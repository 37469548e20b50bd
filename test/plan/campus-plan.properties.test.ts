import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GPU_SKUS } from "../../src/catalog/gpu-skus.js";
import { KUBERNETES_LIMITS } from "../../src/catalog/kubernetes-limits.js";
import { EnvironmentSchema } from "../../src/model/schema.js";
import { buildCampusPlan, effectiveNodeCap } from "../../src/plan/campus-plan.js";
import { clusterNodes } from "../../src/plan/node-identity.js";
import type { CampusPlan } from "../../src/plan/plan-types.js";
import { clusterTarget } from "../../src/plan/shards.js";
import { LABEL } from "../../src/vocabulary/labels.js";
import { arbitraryEnvironment } from "./arbitrary-environment.js";

const planOfInput = (input: unknown): CampusPlan => buildCampusPlan(EnvironmentSchema.parse(input));
const RUNS = { numRuns: 150 };

describe("campus plan properties", () => {
  it("GIVEN any generated environment WHEN planned THEN GPUs, nodes and racks are conserved from pools to buildings to clusters to totals", () => {
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

  it("GIVEN any generated environment WHEN planned THEN each unit is budgeted at its racks plus its fabric share, or its SKU's published SU TDP if larger, and facility power as IT × PUE", () => {
    fc.assert(
      fc.property(arbitraryEnvironment, (input) => {
        const plan = planOfInput(input);
        for (const building of plan.buildings) {
          const rackKW = building.pools.reduce((s, p) => s + p.racks * p.sku.rackPowerKW, 0);
          expect(building.rackPowerMW).toBeCloseTo(rackKW / 1000, 9);
          const units = building.pools.flatMap((p) => p.scalableUnits.map((u) => ({ u, sku: p.sku })));
          for (const { u, sku } of units) {
            expect(u.powerKW).toBeGreaterThanOrEqual(u.racks * sku.rackPowerKW - 1e-9);
            const tdp = sku.scalableUnitTdpKW;
            if (tdp !== undefined)
              expect(u.powerKW).toBeGreaterThanOrEqual((tdp * u.racks) / sku.racksPerScalableUnit - 1e-9);
          }
          const unitsKW = units.reduce((s, { u }) => s + u.powerKW, 0);
          expect(building.itPowerMW).toBeCloseTo(unitsKW / 1000, 9);
          // Without a published TDP every unit is bottom-up: the building is racks + fabric exactly.
          if (units.every(({ sku }) => sku.scalableUnitTdpKW === undefined)) {
            expect(building.itPowerMW).toBeCloseTo(building.rackPowerMW + building.networkPowerMW, 9);
          }
          expect(building.facilityPowerMW).toBeCloseTo(building.itPowerMW * plan.pue, 9);
        }
      }),
      RUNS,
    );
  });

  it("GIVEN any generated environment WHEN planned THEN every cluster keeps within its node cap and Kubernetes' node and pod limits", () => {
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

  it("GIVEN any generated environment WHEN planned THEN every scalable unit is in exactly one cluster, and no cluster fills past the floor's even share of the cap", () => {
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
          const cap = effectiveNodeCap(EnvironmentSchema.parse(input));
          for (const building of plan.buildings) {
            const skus = [...GPU_SKUS.values()];
            const floor = building.rackPositions * Math.max(...skus.map((sku) => sku.nodesPerRack));
            const largest = Math.max(...skus.map((sku) => sku.racksPerScalableUnit * sku.nodesPerRack));
            const target = clusterTarget(floor, cap, Math.min(cap, largest));
            for (const c of plan.clusters.filter((c) => c.id.startsWith(`${building.id}-`))) {
              expect(c.nodes).toBeLessThanOrEqual(target);
            }
          }
        }
      }),
      RUNS,
    );
  });

  it("GIVEN a building of any SKU and size WHEN scalable units are added (to its last pool, or a new pool) THEN no existing unit moves to another cluster", () => {
    const skus = ["gb200-nvl72", "gb300-nvl72", "hgx-b200", "dgx-b300"];
    const step = fc.record({
      newPool: fc.boolean(),
      sku: fc.constantFrom(...skus),
      racks: fc.integer({ min: 1, max: 160 }),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...skus),
        fc.integer({ min: 1, max: 200 }),
        fc.array(step, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 144, max: 5_000 }),
        (firstSku, firstRacks, steps, maxNodes) => {
          const pools = [{ id: "p1", sku: firstSku, racks: firstRacks }];
          const placement = (): Map<string, string> => {
            const plan = planOfInput({
              name: "grow",
              campus: { id: "grow", region: "test", pue: 1.2 },
              buildings: [{ id: "b1", itPowerMW: 2_000, rackPositions: 1_200, pools: pools.map((p) => ({ ...p })) }],
              fabric: { compute: { transport: "infiniband", switch: "quantum2-qm9700" } },
              storage: { sharedFilesystem: { csiDriver: "example.csi", capacityTiBPerGpu: 1 } },
              clusters: { maxNodes, kubernetesVersion: "1.33", kubeconfig: { contextPattern: "ctx-{cluster}" } },
              backend: { type: "local" },
            });
            const out = new Map<string, string>();
            for (const c of plan.clusters)
              for (const u of c.buildings.flatMap((b) => b.pools.flatMap((p) => p.scalableUnits))) out.set(u.id, c.id);
            return out;
          };
          let before = placement();
          for (const grow of steps) {
            const last = pools[pools.length - 1];
            if (grow.newPool || !last) pools.push({ id: `p${pools.length + 1}`, sku: grow.sku, racks: grow.racks });
            // Whole units only: a partial last unit that fills up is the same unit, growing.
            else last.racks += grow.racks;
            const after = placement();
            for (const [unit, cluster] of before) {
              if (after.has(unit)) expect(after.get(unit)).toBe(cluster);
            }
            before = after;
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("GIVEN any generated environment WHEN planned THEN nodes are named uniquely and stably, no rack is split, and each node is labelled with its position", () => {
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
      // Each run enumerates up to ~13,000 nodes twice: 25 runs keep it within seconds on a shared 2-core machine.
      { numRuns: 25 },
    );
  });
});
