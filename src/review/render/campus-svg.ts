import type { CapacityBuilding, CapacityFile } from "../../plan/capacity-schema.js";
import { formatNumber, formatPower, plural } from "./format.js";

/**
 * A picture of one environment's campus, drawn from its capacity.json alone (so the diff can
 * draw the base commit's campus too): one building per tile, the tile sized by the building's
 * power budget; inside, every rack position, racks coloured by the cluster shard that holds them
 * and grouped into scalable units; under it the power drawn against the budget, the shards and
 * the fabric's tiers. Figures appear as text and as data-* attributes, so a test can check the
 * picture against capacity.json.
 */

const MARGIN = 24;
const COLUMN = 300;
const GAP = 22;
const HEADER = 100;
const FLOOR_HEIGHT = 160;
const MAX_CELL = 22;
const FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";

/** Okabe–Ito colours, distinguishable with the common colour-vision deficiencies. */
const SHARD_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C6D1F", "#6A3D9A"];

type Attrs = Readonly<Record<string, string | number | undefined>>;

function escapeXml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function attrs(a: Attrs): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(typeof v === "number" ? String(round(v)) : String(v))}"`)
    .join("");
}

function el(name: string, a: Attrs, children?: string | readonly string[]): string {
  if (children === undefined) return `<${name}${attrs(a)}/>`;
  const inner = typeof children === "string" ? escapeXml(children) : children.join("");
  return `<${name}${attrs(a)}>${inner}</${name}>`;
}

function text(x: number, y: number, content: string, a: Attrs = {}): string {
  return el("text", { x, y, ...a }, content);
}

/** The colour key of a cluster: its shard suffix (`b1-c2` → `c2`), shared by every building. */
export function shardKey(clusterId: string): string {
  return clusterId.split("-").at(-1) ?? clusterId;
}

interface RackRun {
  /** Index of the first rack position of the run in the building. */
  readonly start: number;
  readonly racks: number;
  readonly shard: string;
  readonly unit: string;
}

/**
 * Each scalable unit of a building as a run of rack positions, in pool then unit order, with the
 * cluster that holds it. Unit sizes come from capacity.json itself (the last unit of a pool may be
 * short), so a base commit is drawn with its own unit sizes; a file without them splits evenly.
 */
export function buildingRuns(capacity: CapacityFile, building: CapacityBuilding): RackRun[] {
  const unitCluster = new Map<string, string>();
  for (const cluster of capacity.clusters) {
    for (const slice of cluster.buildings) {
      if (slice.id !== building.id) continue;
      for (const pool of slice.pools) for (const unit of pool.scalableUnits) unitCluster.set(unit, cluster.id);
    }
  }
  const runs: RackRun[] = [];
  let position = 0;
  for (const pool of building.pools) {
    const prefix = `${building.id}-${pool.id}-su`;
    const units = [...unitCluster.keys()].filter((u) => u.startsWith(prefix)).sort();
    const count = Math.max(units.length, 1);
    // Older capacity files do not carry the unit size: their pool's racks are split evenly.
    const size = pool.racksPerScalableUnit ?? Math.ceil(pool.racks / count);
    let left = pool.racks;
    units.forEach((unit) => {
      const racks = Math.min(size, left);
      if (racks <= 0) return;
      runs.push({ start: position, racks, shard: shardKey(unitCluster.get(unit) ?? "?"), unit });
      position += racks;
      left -= racks;
    });
    if (left > 0) {
      // Racks no cluster holds (should not happen; drawn unassigned rather than dropped).
      runs.push({ start: position, racks: left, shard: "unassigned", unit: `${pool.id}-rest` });
      position += left;
    }
  }
  return runs;
}

interface Grid {
  readonly columns: number;
  readonly rows: number;
  readonly cell: number;
}

/** Columns a multiple of the unit size where possible, so scalable units line up in rows. */
function grid(positions: number, width: number, height: number, unitSize: number): Grid {
  const n = Math.max(positions, 1);
  let columns = Math.max(1, Math.round(Math.sqrt((n * width) / height)));
  if (unitSize > 1 && n >= unitSize) columns = Math.max(unitSize, Math.ceil(columns / unitSize) * unitSize);
  columns = Math.min(columns, n);
  const rows = Math.ceil(n / columns);
  const cell = Math.min(MAX_CELL, width / columns, height / rows);
  return { columns, rows, cell };
}

interface Tile {
  readonly svg: string;
  readonly height: number;
}

function fabricDiagram(building: CapacityBuilding, x: number, y: number, width: number): Tile {
  const fabric = building.fabric;
  if (!fabric) return { svg: text(x, y + 12, "fabric: none planned", { class: "small" }), height: 20 };
  const tiers = [
    { name: "core", count: fabric.coresPerPlane },
    { name: "spine", count: fabric.spinesPerPlane },
    { name: "leaf", count: fabric.leavesPerPlane },
  ].filter((t) => t.count > 0);
  const parts: string[] = [
    text(
      x,
      y + 12,
      `fabric: ${fabric.tiers} tier${fabric.tiers === 1 ? "" : "s"} · ${fabric.planes} plane${fabric.planes === 1 ? "" : "s"} · ${formatNumber(fabric.switches)} switches`,
      { class: "small" },
    ),
    text(
      x,
      y + 26,
      `${fabric.design ?? "fabric"} · ${fabric.switch} · ${fabric.transport} ${fabric.linkGbps}G${fabric.breakout && fabric.breakout > 1 ? ` (1:${fabric.breakout} breakout)` : ""}`,
      { class: "small muted" },
    ),
  ];
  const shown = 12;
  const box = 8;
  const rowHeight = 22;
  const rowsTop = y + 36;
  const centres: number[][] = [];
  tiers.forEach((tier, row) => {
    const n = Math.min(tier.count, shown);
    const span = width - 130;
    const step = n > 1 ? Math.min(14, span / (n - 1)) : 0;
    const cy = rowsTop + row * rowHeight + box / 2;
    const xs: number[] = [];
    for (let i = 0; i < n; i++) {
      const cx = x + box / 2 + i * step;
      xs.push(cx);
      parts.push(
        el("rect", { x: cx - box / 2, y: cy - box / 2, width: box, height: box, class: `switch ${tier.name}` }),
      );
    }
    const more = tier.count > shown ? " …" : "";
    parts.push(
      text(x + (n - 1) * step + box + 6, cy + 4, `${formatNumber(tier.count)} ${tier.name}${more} / plane`, {
        class: "small",
      }),
    );
    centres.push(xs.map((cx) => round(cx)));
  });
  // Every switch of a tier is cabled to every switch of the tier below (a Clos): one path per pair.
  for (let row = 0; row + 1 < centres.length; row++) {
    const upper = centres[row] ?? [];
    const lower = centres[row + 1] ?? [];
    const y1 = rowsTop + row * rowHeight + box;
    const y2 = rowsTop + (row + 1) * rowHeight;
    const d = upper.flatMap((ux) => lower.map((lx) => `M${ux} ${round(y1)}L${lx} ${round(y2)}`)).join("");
    parts.push(el("path", { d, class: "cable" }));
  }
  let height = 36 + tiers.length * rowHeight;
  // Per-tier cabling and optics over all planes, as capacity.json carries them (since 2026-12).
  const cabling = fabric.cabling;
  const optics = fabric.transceivers;
  if (cabling && optics) {
    const tierLine = (name: string, links: number, t: { host: number; switch: number }) =>
      links > 0 ? `${name} ${formatNumber(links)} links, ${formatNumber(t.host + t.switch)} optics` : "";
    const line = [
      tierLine("node–leaf", cabling.nodeLeaf, optics.nodeLeaf),
      tierLine("leaf–spine", cabling.leafSpine, optics.leafSpine),
      tierLine("spine–core", cabling.spineCore, optics.spineCore),
    ]
      .filter((l) => l !== "")
      .join(" · ");
    parts.push(
      el(
        "text",
        {
          x,
          y: y + height + 4,
          class: "small cabling",
          "data-node-leaf": cabling.nodeLeaf,
          "data-leaf-spine": cabling.leafSpine,
          "data-spine-core": cabling.spineCore,
        },
        line,
      ),
    );
    height += 14;
    if (fabric.switchPowerKW !== undefined && fabric.opticsPowerKW !== undefined) {
      parts.push(
        text(
          x,
          y + height + 4,
          `fabric power ${formatPower((fabric.switchPowerKW + fabric.opticsPowerKW) / 1000)} (switches ${formatNumber(fabric.switchPowerKW)} kW + optics ${formatNumber(fabric.opticsPowerKW)} kW)`,
          { class: "small muted" },
        ),
      );
      height += 14;
    }
  }
  return { svg: parts.join(""), height };
}

function buildingTile(capacity: CapacityFile, building: CapacityBuilding, x: number, y: number, scale: number): Tile {
  const parts: string[] = [];
  const floorWidth = (COLUMN - 8) * scale;
  const floorHeight = FLOOR_HEIGHT * scale;
  parts.push(text(x, y + 16, building.id, { class: "building-id" }));
  if (building.phase !== undefined) {
    parts.push(text(x + 10 + building.id.length * 10, y + 16, `phase ${building.phase}`, { class: "small muted" }));
  }
  parts.push(
    text(x + COLUMN - 8, y + 16, `${formatNumber(building.gpus)} GPUs`, { class: "figure", "text-anchor": "end" }),
  );
  parts.push(
    text(
      x,
      y + 34,
      `${plural(building.nodes, "node")} · ${plural(building.racks, "rack")} / ${plural(building.rackPositions, "position")} · ${plural(building.scalableUnits, "SU")}`,
      { class: "small" },
    ),
  );

  const floorTop = y + 44;
  parts.push(el("rect", { x, y: floorTop, width: floorWidth, height: floorHeight, rx: 4, class: "floor" }));
  const runs = buildingRuns(capacity, building);
  const unitSize = Math.max(1, ...runs.map((r) => r.racks));
  const g = grid(building.rackPositions, floorWidth - 12, floorHeight - 12, unitSize);
  const gx = x + (floorWidth - g.columns * g.cell) / 2;
  const gy = floorTop + (floorHeight - g.rows * g.cell) / 2;
  // Every position first (empty), then the racks over them, then the cell lines on top.
  const positions: string[] = [];
  const fullRows = Math.floor(building.rackPositions / g.columns);
  if (fullRows > 0) {
    positions.push(
      el("rect", { x: gx, y: gy, width: g.columns * g.cell, height: fullRows * g.cell, class: "position" }),
    );
  }
  const rest = building.rackPositions - fullRows * g.columns;
  if (rest > 0) {
    positions.push(
      el("rect", { x: gx, y: gy + fullRows * g.cell, width: rest * g.cell, height: g.cell, class: "position" }),
    );
  }
  parts.push(...positions);
  for (const run of runs) {
    // A unit may wrap onto the next row: one rectangle per row segment.
    let start = run.start;
    let left = run.racks;
    while (left > 0) {
      const column = start % g.columns;
      const row = Math.floor(start / g.columns);
      const take = Math.min(left, g.columns - column);
      parts.push(
        el("rect", {
          x: gx + column * g.cell,
          y: gy + row * g.cell,
          width: take * g.cell,
          height: g.cell,
          class: `unit shard-${run.shard}`,
          "data-unit": run.unit,
          "data-racks": take,
        }),
      );
      start += take;
      left -= take;
    }
  }
  if (g.cell >= 3) {
    // Cell lines from a pattern anchored at the grid's corner: one element instead of one per rack.
    const c = round(g.cell);
    parts.push(
      el("defs", {}, [
        el(
          "pattern",
          { id: `cells-${building.id}`, x: gx, y: gy, width: c, height: c, patternUnits: "userSpaceOnUse" },
          [el("path", { d: `M${c} 0V${c}H0`, class: "cell-line" })],
        ),
      ]),
    );
    parts.push(
      el("rect", {
        x: gx,
        y: gy,
        width: g.columns * g.cell,
        height: g.rows * g.cell,
        fill: `url(#cells-${building.id})`,
        "pointer-events": "none",
      }),
    );
  }

  let cursor = floorTop + floorHeight + 10;
  const used = building.itPowerBudgetMW > 0 ? Math.min(1, building.itPowerMW / building.itPowerBudgetMW) : 0;
  const barWidth = COLUMN - 8;
  parts.push(el("rect", { x, y: cursor, width: barWidth, height: 8, rx: 2, class: "power-budget" }));
  parts.push(el("rect", { x, y: cursor, width: barWidth * used, height: 8, rx: 2, class: "power-used" }));
  cursor += 22;
  parts.push(
    text(
      x,
      cursor,
      `${formatPower(building.itPowerMW)} of ${formatPower(building.itPowerBudgetMW)} IT${building.networkPowerMW !== undefined ? ` (fabric ${formatPower(building.networkPowerMW)})` : ""} · ${formatPower(building.facilityPowerMW)} facility`,
      { class: "small" },
    ),
  );
  cursor += 16;
  parts.push(
    text(x, cursor, building.pools.map((p) => `${p.id}: ${formatNumber(p.racks)} × ${p.sku}`).join(" · "), {
      class: "small muted",
    }),
  );

  // The shards (clusters) holding this building, with their share of its racks.
  cursor += 8;
  const shards = new Map<string, number>();
  for (const run of runs) shards.set(run.shard, (shards.get(run.shard) ?? 0) + run.racks);
  let sx = x;
  for (const [shard, racks] of shards) {
    parts.push(el("rect", { x: sx, y: cursor + 2, width: 10, height: 10, class: `shard-${shard}` }));
    const label = `${shard} ${plural(racks, "rack")}`;
    parts.push(text(sx + 14, cursor + 11, label, { class: "small" }));
    sx += 22 + label.length * 6;
  }
  cursor += 18;
  const fabric = fabricDiagram(building, x, cursor, COLUMN - 8);
  parts.push(fabric.svg);
  cursor += fabric.height;

  const group = el(
    "g",
    {
      class: "building",
      "data-id": building.id,
      "data-gpus": building.gpus,
      "data-nodes": building.nodes,
      "data-racks": building.racks,
      "data-rack-positions": building.rackPositions,
      "data-scalable-units": building.scalableUnits,
      "data-it-power-mw": building.itPowerMW,
      "data-facility-power-mw": building.facilityPowerMW,
      "data-switches": building.fabric?.switches ?? 0,
      "data-network-power-mw": building.networkPowerMW ?? 0,
    },
    parts,
  );
  return { svg: group, height: cursor - y };
}

export type BuildingMark = "added" | "removed" | "changed";

export interface CampusSvgOptions {
  /** Buildings to outline, for a before/after pair in a diff. @default - none */
  readonly marks?: ReadonlyMap<string, BuildingMark>;
  /** A line under the title, e.g. "after: working tree". @default - none */
  readonly caption?: string;
}

const MARK_LABEL: Readonly<Record<BuildingMark, string>> = { added: "new", removed: "removed", changed: "changed" };

/** A dashed outline around a building tile with a tag saying what the change does to it. */
function markTile(mark: BuildingMark, x: number, y: number, height: number): string {
  return [
    el("rect", { x: x - 8, y: y - 6, width: COLUMN + 8, height: height + 12, rx: 6, class: `mark mark-${mark}` }),
    el("rect", { x: x + COLUMN - 70, y: y - 18, width: 62, height: 16, rx: 8, class: `tag tag-${mark}` }),
    text(x + COLUMN - 39, y - 6, MARK_LABEL[mark], { class: "tag-text", "text-anchor": "middle" }),
  ].join("");
}

/** The campus picture of one environment as a standalone SVG document. */
export function campusSvg(capacity: CapacityFile, options: CampusSvgOptions = {}): string {
  const buildings = capacity.buildings;
  const columns = Math.max(1, Math.min(4, buildings.length));
  const width = Math.max(820, MARGIN * 2 + columns * COLUMN + (columns - 1) * GAP);
  const maxBudget = Math.max(...buildings.map((b) => b.itPowerBudgetMW), 0);
  const scaleOf = (b: CapacityBuilding) =>
    maxBudget > 0 ? Math.max(0.5, Math.sqrt(b.itPowerBudgetMW / maxBudget)) : 1;

  const tiles: string[] = [];
  let y = HEADER;
  for (let row = 0; row * columns < buildings.length; row++) {
    const members = buildings.slice(row * columns, (row + 1) * columns);
    let rowHeight = 0;
    members.forEach((building, i) => {
      const x = MARGIN + i * (COLUMN + GAP);
      const tile = buildingTile(capacity, building, x, y, scaleOf(building));
      const mark = options.marks?.get(building.id);
      if (mark) tiles.push(markTile(mark, x, y, tile.height));
      tiles.push(tile.svg);
      rowHeight = Math.max(rowHeight, tile.height);
    });
    y += rowHeight + GAP;
  }

  const shardKeys = [
    ...new Set(capacity.clusters.map((c) => shardKey(c.id))),
    ...(buildings.some((b) => buildingRuns(capacity, b).some((r) => r.shard === "unassigned")) ? ["unassigned"] : []),
  ];
  const legend = legendBlock(capacity, shardKeys, MARGIN, y, width - 2 * MARGIN, [
    ...new Set(options.marks?.values() ?? []),
  ]);
  const height = y + legend.height + MARGIN;

  const t = capacity.totals;
  const header = [
    text(MARGIN, 36, `${capacity.environment} — campus ${capacity.campus} (${capacity.region})`, { class: "title" }),
    ...(options.caption ? [text(width - MARGIN, 36, options.caption, { class: "caption", "text-anchor": "end" })] : []),
    text(
      MARGIN,
      62,
      [
        plural(t.buildings, "building"),
        plural(t.clusters, "cluster"),
        plural(t.gpus, "GPU"),
        plural(t.nodes, "node"),
        plural(t.racks, "rack"),
        plural(t.scalableUnits, "scalable unit"),
      ].join(" · "),
      { class: "totals" },
    ),
    text(
      MARGIN,
      82,
      `${formatPower(t.itPowerMW)} IT · ${formatPower(t.facilityPowerMW)} facility (PUE ${capacity.pue})${capacity.gridPowerMW !== null ? ` of ${formatPower(capacity.gridPowerMW)} grid` : ""} · ${plural(t.switches, "switch", "switches")} · ${formatNumber(t.storageCapacityTiB, t.storageCapacityTiB < 10 ? 2 : 0)} TiB storage`,
      { class: "totals" },
    ),
  ];

  const shardStyles = shardKeys
    .map((key, i) =>
      key === "unassigned"
        ? ".shard-unassigned{fill:#999}"
        : `.shard-${key}{fill:${SHARD_COLOURS[i % SHARD_COLOURS.length]}}`,
    )
    .join("");
  const style = [
    `text{font-family:${FONT};fill:#1f2328}`,
    ".title{font-size:20px;font-weight:700}",
    ".totals{font-size:13px}",
    ".building-id{font-size:16px;font-weight:700}",
    ".figure{font-size:14px;font-weight:600}",
    ".small{font-size:11px}",
    ".muted{fill:#57606a}",
    ".legend-title{font-size:12px;font-weight:700}",
    ".floor{fill:#f6f8fa;stroke:#8c959f;stroke-width:1}",
    ".position{fill:#ffffff;stroke:#d0d7de;stroke-width:0.5}",
    ".unit{stroke:#1f2328;stroke-width:0.6}",
    ".cell-line{fill:none;stroke:#ffffff;stroke-width:0.5;stroke-opacity:0.8}",
    ".power-budget{fill:#eaeef2;stroke:#8c959f;stroke-width:0.5}",
    ".power-used{fill:#bf8700}",
    ".switch{stroke:#1f2328;stroke-width:0.5}",
    ".leaf{fill:#8c959f}.spine{fill:#57606a}.core{fill:#24292f}",
    ".cable{stroke:#6e7781;stroke-width:0.5;fill:none;stroke-opacity:0.6}",
    ".caption{font-size:13px;font-weight:600;fill:#57606a}",
    ".mark{fill:none;stroke-width:2;stroke-dasharray:6 4}",
    ".mark-added{stroke:#1a7f37}.mark-removed{stroke:#cf222e}.mark-changed{stroke:#9a6700}",
    ".tag-added{fill:#1a7f37}.tag-removed{fill:#cf222e}.tag-changed{fill:#9a6700}",
    ".tag-text{font-size:11px;font-weight:700;fill:#ffffff}",
    shardStyles,
  ].join("");

  return [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    el(
      "svg",
      {
        xmlns: "http://www.w3.org/2000/svg",
        width: Math.ceil(width),
        height: Math.ceil(height),
        viewBox: `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`,
        role: "img",
        "aria-label": `Campus ${capacity.campus}, environment ${capacity.environment}`,
        "data-environment": capacity.environment,
        "data-gpus": t.gpus,
        "data-nodes": t.nodes,
        "data-racks": t.racks,
        "data-scalable-units": t.scalableUnits,
        "data-buildings": t.buildings,
        "data-clusters": t.clusters,
        "data-it-power-mw": t.itPowerMW,
        "data-facility-power-mw": t.facilityPowerMW,
        "data-switches": t.switches,
        "data-storage-tib": t.storageCapacityTiB,
      },
      [
        el("title", {}, `${capacity.environment}: ${formatNumber(t.gpus)} GPUs in ${t.buildings} buildings`),
        el("defs", {}, [el("style", {}, style)]),
        el("rect", { x: 0, y: 0, width: Math.ceil(width), height: Math.ceil(height), fill: "#ffffff" }),
        ...header,
        ...tiles,
        legend.svg,
      ],
    ),
    "\n",
  ].join("");
}

function legendBlock(
  capacity: CapacityFile,
  shardKeys: readonly string[],
  x: number,
  y: number,
  width: number,
  marks: readonly BuildingMark[],
): Tile {
  const parts: string[] = [el("line", { x1: x, y1: y - 8, x2: x + width, y2: y - 8, stroke: "#d0d7de" })];
  parts.push(text(x, y + 10, "Legend", { class: "legend-title" }));
  let cx = x;
  let cy = y + 24;
  const item = (swatch: string, label: string) => {
    const w = 22 + label.length * 6.2 + 18;
    if (cx + w > x + width) {
      cx = x;
      cy += 20;
    }
    parts.push(swatch.replaceAll("{x}", String(round(cx))).replaceAll("{y}", String(round(cy))));
    parts.push(text(cx + 16, cy + 10, label, { class: "small" }));
    cx += w;
  };
  const clusterCount = new Map<string, number>();
  for (const c of capacity.clusters) clusterCount.set(shardKey(c.id), (clusterCount.get(shardKey(c.id)) ?? 0) + 1);
  for (const key of shardKeys) {
    const n = clusterCount.get(key) ?? 0;
    item(
      `<rect x="{x}" y="{y}" width="12" height="12" class="unit shard-${escapeXml(key)}"/>`,
      key === "unassigned" ? "racks in no cluster" : `cluster shard ${key}${n > 1 ? ` (${n} clusters)` : ""}`,
    );
  }
  item('<rect x="{x}" y="{y}" width="12" height="12" class="position"/>', "empty rack position");
  item(
    '<rect x="{x}" y="{y}" width="12" height="12" class="unit" fill="#ffffff"/>',
    "outlined block = one scalable unit; cell = one rack",
  );
  item('<rect x="{x}" y="{y}" width="12" height="12" class="power-used"/>', "IT power drawn of the building budget");
  item(
    '<rect x="{x}" y="{y}" width="12" height="12" class="switch spine"/>',
    "fabric tiers per plane (leaf → spine → core)",
  );
  for (const mark of marks) {
    item(
      `<rect x="{x}" y="{y}" width="12" height="12" rx="2" class="mark mark-${mark}"/>`,
      `building ${mark} by this change`,
    );
  }
  cy += 22;
  parts.push(
    text(x, cy + 8, "Tiles are sized by each building's IT power budget.", {
      class: "small muted",
    }),
  );
  return { svg: el("g", { class: "legend" }, parts), height: cy + 16 - y };
}
