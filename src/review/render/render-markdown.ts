import { metricChanged } from "../diff/capacity-delta.js";
import { unitMovesText } from "../diff/unit-moves.js";
import {
  type AttributeChange,
  type BuildingDelta,
  type CapacityDelta,
  countActions,
  type DestroyWarning,
  type MetricDelta,
  type ResourceChange,
  type ReviewReport,
  type StackChange,
  totalActions,
} from "../model.js";
import { campusFloorTable } from "./campus-floor.js";
import {
  ACTION_SYMBOL,
  ACTION_VERB,
  deltaPhrase,
  formatDelta,
  formatNumber,
  formatValue,
  metricDelta,
  metricLabel,
  plural,
  valuePhrase,
} from "./format.js";
import { groupIdenticalStacks } from "./stack-groups.js";

/**
 * The review as GitHub-flavoured Markdown: destroys first and loud, a summary, the capacity
 * delta, a table of stacks, then one collapsible <details> section per stack (stacks whose
 * changes are identical share one section). The first line is a marker the PR workflow uses to
 * find and update its own comment.
 */

export const COMMENT_MARKER = "<!-- gpu-campus-review -->";
/** GitHub rejects issue and PR comments longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** Rows of a created or destroyed resource's attributes shown before "… N more". */
const MAX_BODY_ROWS = 25;
const MAX_DIFF_LINES = 60;

export interface MarkdownSections {
  readonly head: string;
  /** One entry per <details> block, in order. */
  readonly details: readonly string[];
  /** Per details block: 0 holds a destroy, 1 a replacement, 2 an update, 3 only creations. */
  readonly priorities: readonly number[];
  readonly foot: string;
}

export interface MarkdownOptions {
  /** Created resources as one line each, without their attribute tables (to fit a comment). */
  readonly compact?: boolean;
}

export function renderMarkdown(report: ReviewReport): string {
  const { head, details, foot } = markdownSections(report);
  return joinSections(head, details, foot);
}

export function joinSections(head: string, details: readonly string[], foot: string): string {
  return `${[head, ...details, foot].filter((s) => s !== "").join("\n\n")}\n`;
}

export function markdownSections(report: ReviewReport, options: MarkdownOptions = {}): MarkdownSections {
  const head = [
    COMMENT_MARKER,
    `## ${report.title}`,
    report.subtitle,
    destroySection(report.destroys),
    summarySection(report),
    capacitySection(report.capacity),
    stackTable(report.stacks),
    ...report.notes.map((n) => `> [!NOTE]\n> ${n}`),
  ]
    .filter((s) => s !== "")
    .join("\n\n");
  const foot =
    report.kind === "synth-diff"
      ? '<sub>`npm run diff` · cdktf metadata ("//") ignored · sensitive values masked · replacements per hashicorp/kubernetes 2.38 and the Kubernetes API</sub>'
      : "<sub>`npm run plan-report` · sensitive values masked (the plan's flags, and credential-like names) · replacements as the plan's replace_paths say</sub>";
  const details = stackDetails(report.stacks, options.compact ?? false);
  return { head, details: details.map((d) => d.markdown), priorities: details.map((d) => d.priority), foot };
}

// ---------------------------------------------------------------------------------------------
// Escaping

/** Escapes text content (never used inside an attribute, so quotes stay as they are). */
function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** Inline code that is safe inside a table cell whatever the text holds (`|`, backticks, newlines). */
function code(text: string): string {
  return `<code>${escapeHtml(text).replaceAll("|", "&#124;").replaceAll("\n", "⏎")}</code>`;
}

function fence(lines: readonly string[], language: string): string {
  const longest = Math.max(2, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((run) => run.length))));
  const marks = "`".repeat(longest + 1);
  return [`${marks}${language}`, ...lines, marks].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Head

const DESTROY_LABEL: Readonly<Record<DestroyWarning["kind"], string>> = {
  "data-volume": "data volume",
  protected: "protected resource",
  namespace: "namespace",
  stack: "whole stack",
};

function destroySection(destroys: readonly DestroyWarning[]): string {
  if (destroys.length === 0) return "";
  const lines = destroys.map((d) => {
    const where = d.address ? ` · ${code(d.address)}` : "";
    return `> - 🛑 **${DESTROY_LABEL[d.kind]}** · ${code(d.stack)}${where}: ${escapeHtml(d.message)}`;
  });
  return [
    "> [!CAUTION]",
    `> **${plural(destroys.length, "destructive change")}: data or whole scopes would be lost.** Check each one before merging.`,
    ">",
    ...lines,
  ].join("\n");
}

function summarySection(report: ReviewReport): string {
  const stacks = report.stacks;
  const count = (status: StackChange["status"]) => stacks.filter((s) => s.status === status).length;
  const actions = totalActions(stacks);
  const columns: [string, number][] = [
    ["+ create", actions.create],
    ["~ update", actions.update],
    ["± replace", actions.replace],
    ["− destroy", actions.delete],
    ...(actions.read > 0 ? [["≤ read", actions.read] as [string, number]] : []),
    ...(actions.forget > 0 ? [["⊘ forget", actions.forget] as [string, number]] : []),
  ];
  const lines = [
    "### Summary",
    "",
    "| | added | removed | changed | unchanged |",
    "|---|--:|--:|--:|--:|",
    `| **stacks** | ${count("added")} | ${count("removed")} | ${count("changed")} | ${count("unchanged")} |`,
    "",
    `| | ${columns.map(([label]) => label).join(" | ")} |`,
    `|---|${columns.map(() => "--:|").join("")}`,
    `| **resources** | ${columns.map(([, n]) => n).join(" | ")} |`,
  ];
  const headlines = report.capacity.filter((c) => c.status !== "unchanged").map(capacityHeadline);
  if (headlines.length > 0) lines.push("", ...headlines);
  const impacts = report.impacts ?? [];
  if (impacts.length > 0) lines.push("", "**For the campus's users**", "", ...impacts.map((i) => `- ${escapeHtml(i)}`));
  return lines.join("\n");
}

/** One line per environment: what the change does to the campus, in a phrase a reviewer reads first. */
export function capacityHeadlineText(delta: CapacityDelta): string {
  const headline = (metrics: readonly MetricDelta[], absolute: boolean) =>
    metrics
      .filter((m) => HEADLINE_METRICS.includes(m.label) && (absolute || metricChanged(m)))
      .map((m) => (absolute ? valuePhrase(m) : deltaPhrase(m)))
      .join(", ");
  const parts: string[] = [];
  if (delta.unitMoves) parts.push(unitMovesText(delta.unitMoves));
  if (delta.status === "added") parts.push(`new environment (${headline(delta.metrics, true)})`);
  else if (delta.status === "removed") parts.push("environment removed");
  else {
    const totals = headline(delta.metrics, false);
    if (totals) parts.push(totals);
  }
  for (const b of delta.buildings) {
    if (b.status === "added") parts.push(`new building ${b.id} (${headline(b.metrics, true)})`);
    else if (b.status === "removed") parts.push(`building ${b.id} removed`);
    else parts.push(`building ${b.id} ${headline(b.metrics, false)}`);
  }
  if (delta.stacksAdded.length > 0)
    parts.push(`${plural(delta.stacksAdded.length, "new stack")}: ${delta.stacksAdded.join(", ")}`);
  if (delta.stacksRemoved.length > 0) {
    parts.push(`${plural(delta.stacksRemoved.length, "stack")} removed: ${delta.stacksRemoved.join(", ")}`);
  }
  return `${delta.environment}: ${parts.join(" · ")}`;
}

const HEADLINE_METRICS = ["GPUs", "nodes", "IT power"];

function capacityHeadline(delta: CapacityDelta): string {
  const [env, ...rest] = capacityHeadlineText(delta).split(": ");
  return `- **${env}**: ${escapeHtml(rest.join(": "))}`;
}

function metricRow(m: MetricDelta): string {
  const delta = metricChanged(m) ? `**${formatDelta(metricDelta(m), m.digits)}**` : "";
  return `| ${metricLabel(m)} | ${formatNumber(m.before, m.digits)} | ${formatNumber(m.after, m.digits)} | ${delta} |`;
}

function buildingCell(m: MetricDelta, status: BuildingDelta["status"]): string {
  if (status === "added") return formatNumber(m.after, m.digits);
  if (status === "removed") return `~~${formatNumber(m.before, m.digits)}~~`;
  if (!metricChanged(m)) return formatNumber(m.after, m.digits);
  return `${formatNumber(m.before, m.digits)} → ${formatNumber(m.after, m.digits)} (${formatDelta(metricDelta(m), m.digits)})`;
}

function capacitySection(deltas: readonly CapacityDelta[]): string {
  const changed = deltas.filter((d) => d.status !== "unchanged");
  if (changed.length === 0) {
    return deltas.length > 0 ? "### Capacity\n\nNo change to capacity in any environment." : "";
  }
  const parts = ["### Capacity"];
  for (const delta of changed) {
    const status = delta.status === "changed" ? "" : ` (${delta.status})`;
    parts.push(
      [
        `#### ${delta.environment}${status}`,
        "",
        "| | before | after | change |",
        "|---|--:|--:|--:|",
        ...delta.metrics.filter((m) => m.before !== undefined || m.after !== undefined).map(metricRow),
      ].join("\n"),
    );
    if (delta.buildings.length > 0) {
      const [first] = delta.buildings;
      const labels = (first?.metrics ?? []).map(metricLabel);
      parts.push(
        [
          `| building | change | ${labels.join(" | ")} |`,
          `|---|---|${labels.map(() => "--:|").join("")}`,
          ...delta.buildings.map(
            (b) => `| ${b.id} | ${b.status} | ${b.metrics.map((m) => buildingCell(m, b.status)).join(" | ")} |`,
          ),
        ].join("\n"),
      );
    }
    const floor = campusFloorTable(delta.environment, delta.floor ?? []);
    if (floor !== "") parts.push(floor);
    if (delta.pictures && [delta.pictures.before, delta.pictures.after].some((p) => p && /^https?:/.test(p))) {
      // A CI artifact: GitHub cannot show an image from inside it, so link to where it is.
      const url = delta.pictures.after ?? delta.pictures.before;
      const names = [
        delta.pictures.before ? `campus-${delta.environment}-before.svg` : "",
        delta.pictures.after ? `campus-${delta.environment}-after.svg` : "",
      ]
        .filter((n) => n !== "")
        .map((n) => `\`${n}\``)
        .join(" and ");
      parts.push(`Campus pictures ${names}: in the [workflow's artifact](${url}).`);
    } else if (delta.pictures) {
      const { before, after } = delta.pictures;
      const images = [
        before ? `![${delta.environment} before](${before})` : "",
        after ? `![${delta.environment} after](${after})` : "",
      ].filter((s) => s !== "");
      const links = [before ? `[before](${before})` : "", after ? `[after](${after})` : ""].filter((s) => s !== "");
      parts.push(
        `<details><summary>Campus picture: ${links.join(" · ")}</summary>\n\n${images.join("\n\n")}\n\n</details>`,
      );
    }
  }
  return parts.join("\n\n");
}

function stackTable(stacks: readonly StackChange[]): string {
  const changed = stacks.filter((s) => s.status !== "unchanged");
  if (changed.length === 0) return stacks.length > 0 ? `### Stacks\n\nAll ${stacks.length} stacks unchanged.` : "";
  const withEnvironment = stacks.some((s) => s.environment !== undefined);
  const rows = changed.map((s) => {
    const c = countActions(s.resources);
    const n = (v: number) => (v > 0 ? String(v) : "");
    const status = s.status === "removed" || s.status === "added" ? `**${s.status}**` : s.status;
    const env = withEnvironment ? ` ${s.environment ?? ""} |` : "";
    return `| ${code(s.stack)} |${env} ${status} | ${n(c.create)} | ${n(c.update)} | ${n(c.replace)} | ${n(c.delete)} |`;
  });
  const unchanged = stacks.length - changed.length;
  return [
    "### Stacks",
    "",
    `| stack |${withEnvironment ? " environment |" : ""} change | + | ~ | ± | − |`,
    `|---|${withEnvironment ? "---|" : ""}---|--:|--:|--:|--:|`,
    ...rows,
    ...(unchanged > 0 ? ["", `_${plural(unchanged, "stack")} unchanged._`] : []),
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Details

function priorityOf(stack: StackChange): number {
  const actions = new Set(stack.resources.map((r) => r.action));
  if (stack.status === "removed" || actions.has("delete")) return 0;
  if (actions.has("replace")) return 1;
  return actions.has("update") || stack.settings.length > 0 ? 2 : 3;
}

function stackDetails(stacks: readonly StackChange[], compact: boolean): { markdown: string; priority: number }[] {
  return groupIdenticalStacks(stacks).map(({ members, addressesDiffer }) => {
    const [first] = members;
    const shownFor =
      addressesDiffer && first
        ? `_The same change in every stack listed; addresses differ per stack (named after its building and pool), shown for ${code(first.stack)}._\n\n`
        : "";
    const content = `${shownFor}${first ? stackBody(first, compact) : ""}`;
    const c = countActions(first?.resources ?? []);
    const counts = [
      c.delete > 0 ? `−${c.delete} destroy` : "",
      c.replace > 0 ? `±${c.replace} replace` : "",
      c.update > 0 ? `~${c.update} update` : "",
      c.create > 0 ? `+${c.create} create` : "",
      c.read > 0 ? `≤${c.read} read` : "",
      (first?.settings.length ?? 0) > 0 && first?.status === "changed" ? "settings" : "",
    ]
      .filter((s) => s !== "")
      .join(", ");
    const names =
      members.length === 1
        ? `<code>${escapeHtml(first?.stack ?? "")}</code>`
        : `<code>${escapeHtml(first?.stack ?? "")}</code> and ${members.length - 1} more with the same changes`;
    const list = members.length > 1 ? `Stacks: ${members.map((m) => code(m.stack)).join(", ")}\n\n` : "";
    return {
      markdown: `<details><summary>${names} · ${first?.status} · ${counts}</summary>\n\n${list}${content}\n\n</details>`,
      priority: Math.min(...members.map(priorityOf)),
    };
  });
}

function stackBody(stack: StackChange, compact: boolean): string {
  const parts: string[] = [];
  if (stack.settings.length > 0 && stack.status === "changed") {
    parts.push(
      `**stack settings** (provider, backend, terraform block)\n\n${attributeTable(stack.settings, "update")}`,
    );
  }
  if (stack.status === "added" || stack.status === "removed") {
    // A whole new or removed stack: the list of what it holds is what a reviewer needs.
    parts.push(stack.resources.map((r) => `- ${resourceLine(r).slice(2)}`).join("\n"));
  } else {
    const created = compact ? stack.resources.filter((r) => r.action === "create") : [];
    for (const r of stack.resources.filter((x) => !created.includes(x))) parts.push(resourceSection(r));
    if (created.length > 0) {
      parts.push(
        [
          `**+ create** (${plural(created.length, "resource")}; attributes in the full report)`,
          "",
          ...created.map((r) => `- ${resourceLine(r).slice(2)}`),
        ].join("\n"),
      );
    }
  }
  return parts.join("\n\n");
}

function resourceLine(r: ResourceChange): string {
  const object = r.object ? ` — ${escapeHtml(r.object)}` : "";
  const data = r.dataHolding ? " 💾 data-holding" : "";
  return `${ACTION_SYMBOL[r.action]} ${code(r.address)}${object}${data}`;
}

function resourceSection(r: ResourceChange): string {
  const order = r.replaceOrder ? ` (${r.replaceOrder})` : "";
  const heading = `**${ACTION_SYMBOL[r.action]} ${ACTION_VERB[r.action]}${order}** ${resourceLine(r).slice(2)}`;
  const notes = (r.notes ?? []).map((n) => `> ${escapeHtml(n)}`);
  const parts = [heading, ...(notes.length > 0 ? [notes.join("\n")] : [])];
  if (r.action !== "delete" && r.attributes.length > 0) parts.push(attributeTable(r.attributes, r.action));
  return parts.join("\n\n");
}

function attributeTable(attributes: readonly AttributeChange[], action: ResourceChange["action"]): string {
  const oneSided = action === "create" || action === "delete" || action === "read";
  const shown = oneSided ? attributes.slice(0, MAX_BODY_ROWS) : attributes;
  const rows = shown.map((a) => {
    const path = `${code(a.path)}${a.forcesReplacement ? ` ⚠️ **forces replacement**: ${escapeHtml(a.forcesReplacement.text)}` : ""}`;
    const note = a.note ? `<br><sub>${escapeHtml(a.note)}</sub>` : "";
    const after = a.unknownAfter ? "<i>(known after apply)</i>" : valueCell(a.after);
    if (oneSided) return `| ${path} | ${action === "delete" ? valueCell(a.before) : after}${note} |`;
    return `| ${path} | ${valueCell(a.before)} | ${after}${note} |`;
  });
  const header = oneSided
    ? ["| attribute | value |", "|---|---|"]
    : ["| attribute | before | after |", "|---|---|---|"];
  const more = attributes.length - shown.length;
  const diffs = attributes
    .filter((a) => a.textDiff && a.textDiff.length > 0)
    .map((a) => {
      const lines = a.textDiff ?? [];
      const cut =
        lines.length > MAX_DIFF_LINES
          ? [...lines.slice(0, MAX_DIFF_LINES), `… ${lines.length - MAX_DIFF_LINES} more lines`]
          : lines;
      return `${code(a.path)}:\n\n${fence(cut, "diff")}`;
    });
  return [
    [...header, ...rows].join("\n"),
    ...(more > 0 ? [`_… and ${more} more attributes_`] : []),
    ...(oneSided ? [] : diffs),
  ].join("\n\n");
}

function valueCell(value: unknown): string {
  return value === undefined ? "<i>(absent)</i>" : code(formatValue(value));
}
