import { describe, expect, it } from "vitest";
import { campusCapacity } from "../../../src/plan/capacity.js";
import { parseCapacityFile } from "../../../src/plan/capacity-schema.js";
import { capacityReport } from "../../../src/review/render/capacity-report.js";
import { planOf } from "../../fixtures/environments.js";

describe("capacityReport", () => {
  const capacity = parseCapacityFile(JSON.parse(JSON.stringify(campusCapacity(planOf("production")))), "production");
  const markdown = capacityReport(capacity, { picture: "campus.svg" });

  it("embeds the picture and states the totals", () => {
    expect(markdown).toContain("![campus production](campus.svg)");
    expect(markdown).toContain(`| GPUs | ${capacity.totals.gpus.toLocaleString("en-US")} |`);
  });

  it("has a row per building and per cluster", () => {
    for (const b of capacity.buildings) expect(markdown).toContain(`| ${b.id} | ${b.phase} | `);
    for (const c of capacity.clusters) expect(markdown).toContain(`| ${c.id} | \`${c.stack}\` |`);
  });

  it("gives the power headroom against the grid", () => {
    expect(markdown).toMatch(/of the 1,200\.0 MW grid contract \(\d+\.\d%\)/);
  });
});

describe("parseCapacityFile", () => {
  it("names the field that does not fit", () => {
    expect(() => parseCapacityFile({ environment: "x" }, "old/capacity.json")).toThrow(/^old\/capacity.json: campus: /);
  });
});
