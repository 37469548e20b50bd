import { describe, expect, it } from "vitest";
import { campusCapacity } from "../../../src/plan/capacity.js";
import { parseCapacityFile } from "../../../src/plan/capacity-schema.js";
import { capacityReport } from "../../../src/review/render/capacity-report.js";
import { planOf } from "../../fixtures/environments.js";

describe("capacityReport", () => {
  const capacity = parseCapacityFile(JSON.parse(JSON.stringify(campusCapacity(planOf("production")))), "production");
  const markdown = capacityReport(capacity, { picture: "campus.svg" });

  it("GIVEN production's capacity WHEN reported THEN the report embeds the picture and states the totals", () => {
    expect(markdown).toContain("![campus production](campus.svg)");
    expect(markdown).toContain(`| GPUs | ${capacity.totals.gpus.toLocaleString("en-US")} |`);
  });

  it("GIVEN production's capacity WHEN reported THEN the report has a row per building and per cluster", () => {
    for (const b of capacity.buildings) expect(markdown).toContain(`| ${b.id} | ${b.phase} | `);
    for (const c of capacity.clusters) expect(markdown).toContain(`| ${c.id} | \`${c.stack}\` |`);
  });

  it("GIVEN production THEN the compute fabric section gives per-tier links and transceivers, fabric power and headroom", () => {
    const b3 = capacity.buildings.find((b) => b.id === "b3");
    const cabling = b3?.fabric?.cabling;
    if (!cabling) throw new Error("no cabling in capacity.json");
    expect(markdown).toContain("## Compute fabric");
    const row = markdown
      .split("\n")
      .find((line) => line.startsWith("| b3 | multi-plane, one plane per NIC rail | 4 × 3-tier |"));
    expect(row).toBeDefined();
    expect(row).toContain(`| 387 / 388 / 194 | 49,536 / 49,536 / 49,536 |`);
    // node–leaf: 49,536 host optics + 24,768 twin-port switch modules; leaf–spine: 2 × 24,768.
    expect(row).toContain("| 74,304 / 49,536 / 49,536 |");
    expect(row).toContain("65,536 hosts/plane at 3 tiers (floor 12,960)");
    expect(markdown).toContain("The compute fabric draws");
  });

  it("GIVEN a capacity.json from before the fabric fields THEN it still parses and the report leaves the section out", () => {
    const old = JSON.parse(JSON.stringify(capacity));
    for (const b of old.buildings) {
      for (const key of [
        "design",
        "planeAssignment",
        "rails",
        "breakout",
        "linksPerLeafSpinePair",
        "cabling",
        "transceivers",
        "switchPowerKW",
        "opticsPowerKW",
        "growth",
      ])
        delete b.fabric[key];
      delete b.rackPowerMW;
      delete b.networkPowerMW;
    }
    delete old.totals.networkPowerMW;
    const report = capacityReport(parseCapacityFile(old, "old/capacity.json"));
    expect(report).not.toContain("## Compute fabric");
    expect(report).toContain("## Buildings");
  });

  it("GIVEN production's capacity WHEN reported THEN the report gives the power headroom against the grid", () => {
    expect(markdown).toMatch(/of the 1,200\.0 MW grid contract \(\d+\.\d%\)/);
  });
});

describe("parseCapacityFile", () => {
  it("GIVEN a capacity file with a field that does not fit WHEN parsed THEN the error names that field", () => {
    expect(() => parseCapacityFile({ environment: "x" }, "old/capacity.json")).toThrow(/^old\/capacity.json: campus: /);
  });
});
