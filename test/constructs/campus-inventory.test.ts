import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { CampusInventory } from "../../src/constructs/campus-inventory.js";
import { planOf } from "../fixtures/environments.js";

describe("CampusInventory", () => {
  it("GIVEN a document key with a dot WHEN added THEN it stays one key of the ConfigMap's data", () => {
    const plan = planOf("staging");
    const cluster = plan.clusters[0];
    if (!cluster) throw new Error("staging has no cluster");
    const synth = Testing.synthScope((scope) => {
      new CampusInventory(scope, "inventory", { environment: plan.environment, cluster }).addDocument(
        "fabric-stg.json",
        { tiers: 1 },
      );
    });
    expect(synth).toHaveResourceWithProperties(ConfigMapV1, {
      data: expect.objectContaining({ "fabric-stg.json": '{\n  "tiers": 1\n}\n', environment: "staging" }),
    });
  });

  it("GIVEN a document published twice or an invalid key WHEN added THEN it fails naming the key", () => {
    const plan = planOf("staging");
    const cluster = plan.clusters[0];
    if (!cluster) throw new Error("staging has no cluster");
    Testing.synthScope((scope) => {
      const inventory = new CampusInventory(scope, "inventory", { environment: plan.environment, cluster });
      inventory.addDocument("a.json", 1);
      expect(() => inventory.addDocument("a.json", 2)).toThrow(/"a.json" is already published/);
      expect(() => inventory.addDocument("a/b", 2)).toThrow(/"a\/b" is not a valid ConfigMap key/);
    });
  });
});
