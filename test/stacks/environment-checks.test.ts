import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { formatEnvironmentError } from "../../src/model/environment-error.js";
import { planEnvironmentText } from "../../stacks/load-environments.js";
import { environmentData } from "../fixtures/environments.js";

type Data = ReturnType<typeof environmentData>;

/** Loads modified environment data and returns its errors as the CLI prints them. */
function errorsOf(data: Data): string[] {
  const text = stringify(data);
  const result = planEnvironmentText(text, "environments/broken.yaml");
  if (result.ok) return [];
  return result.errors.map(formatEnvironmentError);
}

function lineOf(data: Data, needle: string): number {
  return (
    stringify(data)
      .split("\n")
      .findIndex((line) => line.includes(needle)) + 1
  );
}

const production = () => environmentData("production");

describe("environment checks, every stage (stacks/load-environments)", () => {
  it("GIVEN a building over its power WHEN loaded THEN the error names the units, racks and fabric, the budget and the excess", () => {
    const data = production();
    const building = data.buildings[2];
    if (!building) throw new Error("fixture");
    building.itPowerMW = 100;
    const [error, ...rest] = errorsOf(data);
    expect(rest).toEqual([]);
    expect(error).toContain("buildings[2].itPowerMW");
    // 86 units at the GB200 SuperPOD RA's 1.2 MW each: the "86-unit building over its 100 MW".
    expect(error).toContain("building b3: 86 units of gb200 103.2 MW = 103.2 MW (racks 90.82 MW, compute fabric");
    expect(error).toContain("exceeds itPowerMW 100 by 3.2 MW");
  });

  it("GIVEN too many racks for the floor THEN the error names the positions and the excess, at the field's line", () => {
    const data = production();
    const building = data.buildings[0];
    if (!building) throw new Error("fixture");
    building.rackPositions = 600;
    const errors = errorsOf(data);
    expect(errors, errors.join("\n")).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(
        `^environments/broken.yaml:${lineOf(data, "rackPositions: 600")}:\\d+: buildings\\[0\\]\\.rackPositions: `,
      ),
    );
    expect(errors[0]).toContain("664 racks exceed its 600 rack positions by 64");
  });

  it("GIVEN an unknown SKU and a fractional GPU count THEN both are reported at once", () => {
    const data = production();
    const [first, second] = data.buildings;
    if (!first?.pools[0] || !second?.pools[0]) throw new Error("fixture");
    first.pools[0].sku = "gb400-nvl144";
    second.pools[0] = { id: "gb200", sku: "gb200-nvl72", gpus: 1_000 };
    const errors = errorsOf(data);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain('buildings[0].pools[0].sku: unknown SKU "gb400-nvl144"; the catalog has: gb200-nvl72');
    expect(errors[1]).toContain(
      "buildings[1].pools[0].gpus: 1,000 gpus is not a whole number of NVIDIA GB200 NVL72 racks",
    );
    expect(errors[1]).toContain("use 936 or 1,008");
  });

  it("GIVEN a node cap over Kubernetes' limit THEN the error names 5,000 and the excess", () => {
    const data = production();
    data.clusters.maxNodes = 6_000;
    expect(errorsOf(data)).toEqual([
      expect.stringContaining("clusters.maxNodes: 6,000 nodes per cluster exceeds Kubernetes' limit of 5,000 by 1,000"),
    ]);
  });

  it("GIVEN no context for the derived clusters THEN one error per cluster names the stack", () => {
    const data = production();
    data.clusters.kubeconfig = { path: "~/.kube/config", contexts: { "b1-c1": "abilene-b1-c1" } };
    const errors = errorsOf(data);
    expect(errors).toHaveLength(23);
    expect(errors[0]).toContain(
      "clusters.kubeconfig: cluster b1-c2 (stack production-b1-c2) has no kubeconfig context",
    );
  });

  it("GIVEN a two-tier limit on a fabric that needs three THEN the error names the hosts and the reach", () => {
    const data = production();
    data.fabric.compute = { ...data.fabric.compute, maxTiers: 2 };
    const errors = errorsOf(data);
    expect(errors).toHaveLength(8);
    expect(errors[0]).toContain(
      "fabric.compute.maxTiers: building b1: 11,952 400G ports per plane need more than 2 tier(s) of NVIDIA Quantum-2 QM9700 (radix 64 at 400G, oversubscription 1:1 reaches 2,048 ports)",
    );
  });

  it("GIVEN production's GB200 on a Quantum-X800 Q3400 THEN the pairing is refused at the switch, naming both lane rates", () => {
    const data = production();
    data.fabric.compute = { ...data.fabric.compute, switch: "quantum-x800-q3400" };
    const errors = errorsOf(data);
    expect(errors).toHaveLength(8);
    expect(errors[0]).toMatch(
      new RegExp(
        `^environments/broken.yaml:${lineOf(data, "switch: quantum-x800-q3400")}:\\d+: fabric\\.compute\\.switch: `,
      ),
    );
    expect(errors[0]).toContain("ConnectX-7 400G runs 4 × 100G infiniband");
    expect(errors[0]).toContain("NVIDIA Quantum-X800 Q3400 runs 4-lane ports at 200G per lane, no breakout");
  });

  it("GIVEN the old planes: rail THEN a located error gives the new name", () => {
    const data = production();
    data.fabric.compute = { ...data.fabric.compute, design: undefined, planes: "rail" as never };
    const errors = errorsOf(data);
    expect(errors).toEqual([expect.stringContaining('fabric.compute.planes: "rail" was renamed')]);
    expect(errors[0]).toContain("design: multi-plane with planes: per-rail");
  });

  it("GIVEN tenant quotas over a cluster's GPUs THEN the error sums them", () => {
    const data = environmentData("staging");
    const tenant = data.tenants?.[0];
    if (!tenant) throw new Error("fixture");
    tenant.gpuQuota = 1_000;
    expect(errorsOf(data)).toEqual([
      expect.stringContaining(
        "cluster stg-c1: tenant GPU quotas platform-tests 1,000 + inference-canary 288 = 1,288 exceed its 1,152 GPUs by 136",
      ),
    ]);
  });

  it("GIVEN wrong types and unknown keys THEN schema errors name the field, the line and the value", () => {
    const data = environmentData("staging") as unknown as Record<string, unknown>;
    (data.campus as Record<string, unknown>).pue = "1.2";
    (data.clusters as Record<string, unknown>).maxnodes = 10;
    const errors = errorsOf(data as Data);
    expect(errors).toContain(
      `environments/broken.yaml:${lineOf(data as Data, "pue:")}:8: campus.pue: Invalid input: expected number, received string; got "1.2"`,
    );
    expect(errors).toContainEqual(expect.stringMatching(/clusters\.maxnodes: unknown key/));
  });

  it("GIVEN malformed YAML THEN a syntax error with its line", () => {
    const result = planEnvironmentText("name: x\ncampus: [a\n", "bad.yaml");
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(formatEnvironmentError(result.errors[0] as (typeof result.errors)[number])).toMatch(
        /^bad\.yaml:\d+:\d+: \(document\): YAML syntax: /,
      );
  });
});
