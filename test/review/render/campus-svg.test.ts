import { DOMParser, type Element } from "@xmldom/xmldom";
import { describe, expect, it } from "vitest";
import { campusCapacity } from "../../../src/plan/capacity.js";
import { parseCapacityFile } from "../../../src/plan/capacity-schema.js";
import { buildingRuns, campusSvg } from "../../../src/review/render/campus-svg.js";
import { type EnvironmentName, planOf } from "../../fixtures/environments.js";

/** capacity.json of a shipped environment, as the synth writes it (round-tripped through JSON). */
function capacityOf(name: EnvironmentName) {
  return parseCapacityFile(JSON.parse(JSON.stringify(campusCapacity(planOf(name)))), name);
}

/** Parses strictly: any XML error throws; xmldom tolerates a bare "&", so that is checked too. */
function parseSvg(svg: string) {
  expect(svg).not.toMatch(/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/);
  const parser = new DOMParser({
    onError: (level, message) => {
      throw new Error(`${level}: ${message}`);
    },
  });
  return parser.parseFromString(svg, "image/svg+xml");
}

const elements = (
  root: { getElementsByTagName(name: string): { length: number; item(i: number): Element | null } },
  tag: string,
) => {
  const list = root.getElementsByTagName(tag);
  return Array.from({ length: list.length }, (_, i) => list.item(i) as Element);
};

describe.each<EnvironmentName>(["production", "staging", "kind"])("campusSvg(%s)", (name) => {
  const capacity = capacityOf(name);
  const svg = campusSvg(capacity);
  const doc = parseSvg(svg);
  const root = doc.documentElement as Element;

  it("GIVEN the environment's capacity WHEN drawn THEN the result is a well-formed SVG document", () => {
    expect(root.tagName).toBe("svg");
    expect(root.getAttribute("xmlns")).toBe("http://www.w3.org/2000/svg");
  });

  it("GIVEN the environment's capacity WHEN drawn THEN the SVG states its totals as capacity.json has them", () => {
    const t = capacity.totals;
    expect(Number(root.getAttribute("data-gpus"))).toBe(t.gpus);
    expect(Number(root.getAttribute("data-nodes"))).toBe(t.nodes);
    expect(Number(root.getAttribute("data-racks"))).toBe(t.racks);
    expect(Number(root.getAttribute("data-switches"))).toBe(t.switches);
    expect(Number(root.getAttribute("data-it-power-mw"))).toBeCloseTo(t.itPowerMW, 2);
    const text = elements(doc, "text")
      .map((e) => e.textContent ?? "")
      .join("\n");
    expect(text).toContain(`${t.gpus.toLocaleString("en-US")} GPU`);
    expect(text).toContain(`${t.nodes.toLocaleString("en-US")} node`);
  });

  it("GIVEN the environment's capacity WHEN drawn THEN there is one tile per building with its figures, and every rack of it in a cluster colour", () => {
    const tiles = elements(doc, "g").filter((g) => g.getAttribute("class") === "building");
    expect(tiles.map((g) => g.getAttribute("data-id"))).toEqual(capacity.buildings.map((b) => b.id));
    for (const [i, building] of capacity.buildings.entries()) {
      const tile = tiles[i] as Element;
      expect(Number(tile.getAttribute("data-gpus"))).toBe(building.gpus);
      expect(Number(tile.getAttribute("data-racks"))).toBe(building.racks);
      expect(Number(tile.getAttribute("data-switches"))).toBe(building.fabric?.switches ?? 0);
      const drawnRacks = elements(tile, "rect")
        .filter((r) => r.getAttribute("class")?.startsWith("unit shard-"))
        .reduce((sum, r) => sum + Number(r.getAttribute("data-racks")), 0);
      expect(drawnRacks).toBe(building.racks);
      expect(buildingRuns(capacity, building).some((run) => run.shard === "unassigned")).toBe(false);
    }
  });

  it("GIVEN the environment's capacity WHEN drawn THEN each building shows its per-tier cabling and fabric power from capacity.json", () => {
    const tiles = elements(doc, "g").filter((g) => g.getAttribute("class") === "building");
    for (const [i, building] of capacity.buildings.entries()) {
      const cabling = building.fabric?.cabling;
      if (!cabling) throw new Error(`${building.id}: no cabling in capacity.json`);
      const line = elements(tiles[i] as Element, "text").find((t) => t.getAttribute("class") === "small cabling");
      expect(Number(line?.getAttribute("data-node-leaf"))).toBe(cabling.nodeLeaf);
      expect(Number(line?.getAttribute("data-leaf-spine"))).toBe(cabling.leafSpine);
      expect(Number(line?.getAttribute("data-spine-core"))).toBe(cabling.spineCore);
      expect(line?.textContent).toContain(`node–leaf ${cabling.nodeLeaf.toLocaleString("en-US")} links`);
      expect(Number((tiles[i] as Element).getAttribute("data-network-power-mw"))).toBeCloseTo(
        building.networkPowerMW ?? -1,
        2,
      );
    }
  });
});

describe("campusSvg for a diff", () => {
  it("GIVEN a change that adds a building WHEN drawn for the diff THEN the added building is outlined and the side is captioned", () => {
    const svg = campusSvg(capacityOf("production"), {
      marks: new Map([["b1", "added"]]),
      caption: "after: working tree",
    });
    const doc = parseSvg(svg);
    const marks = elements(doc, "rect").filter((r) => r.getAttribute("class") === "mark mark-added");
    expect(marks).toHaveLength(2); // the outline and its legend swatch
    const text = elements(doc, "text").map((e) => e.textContent ?? "");
    expect(text).toContain("new");
    expect(text).toContain("after: working tree");
    expect(text).toContain("building added by this change");
  });
});
