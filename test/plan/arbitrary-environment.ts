import fc from "fast-check";
import { GPU_SKUS } from "../../src/catalog/gpu-skus.js";
import type { EnvironmentInput } from "../../src/model/schema.js";

/**
 * Valid environments of every shape the schema allows: 1–4 buildings of 1–3 pools of any SKU,
 * any cluster cap from one scalable unit up to Kubernetes' limit, either grouping. Budgets are
 * generous so that the physical checks pass; the properties check the derivation itself.
 */
export const arbitraryEnvironment: fc.Arbitrary<EnvironmentInput> = fc
  .record({
    buildings: fc.array(
      fc.array(fc.record({ sku: fc.constantFrom(...GPU_SKUS.keys()), racks: fc.integer({ min: 1, max: 60 }) }), {
        minLength: 1,
        maxLength: 3,
      }),
      { minLength: 1, maxLength: 4 },
    ),
    maxNodes: fc.integer({ min: 144, max: 5_000 }),
    maxPodsPerNode: fc.integer({ min: 10, max: 110 }),
    grouping: fc.constantFrom("per-building" as const, "campus" as const),
    pue: fc.double({ min: 1, max: 2, noNaN: true }),
  })
  .map(({ buildings, maxNodes, maxPodsPerNode, grouping, pue }) => ({
    name: "prop",
    campus: { id: "prop", region: "test", pue },
    buildings: buildings.map((pools, b) => ({
      id: `b${b + 1}`,
      itPowerMW: 1_000,
      rackPositions: 1_000,
      pools: pools.map((p, i) => ({ id: `p${i + 1}`, sku: p.sku, racks: p.racks })),
    })),
    fabric: { compute: { transport: "infiniband" as const, switch: "quantum-x800-q3400" } },
    storage: { sharedFilesystem: { csiDriver: "example.csi", capacityTiBPerGpu: 1 } },
    clusters: {
      grouping,
      maxNodes,
      maxPodsPerNode,
      kubernetesVersion: "1.33",
      kubeconfig: { contextPattern: "ctx-{cluster}" },
    },
    backend: { type: "local" as const },
  }));
