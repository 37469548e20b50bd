import { metricChanged } from "../diff/capacity-delta.js";
import {
  type AttributeChange,
  type ChangeAction,
  countActions,
  type ResourceChange,
  type ReviewReport,
  type StackChange,
  totalActions,
} from "../model.js";
import { ACTION_SYMBOL, formatDelta, formatNumber, formatValue, metricDelta, metricLabel, plural } from "./format.js";
import { capacityHeadlineText } from "./render-markdown.js";
import { groupIdenticalStacks } from "./stack-groups.js";

/**
 * The review for a terminal: the same order as the Markdown (destroys, summary, capacity,
 * stacks), with ANSI colours when the output is a TTY (and NO_COLOR is unset).
 */

export interface TerminalOptions {
  readonly color: boolean;
  /** Attribute lines per resource before "… N more". */
  readonly maxAttributes?: number;
}

type Paint = (text: string) => string;

function palette(color: boolean) {
  const sgr =
    (open: number, close = 39): Paint =>
    (text) =>
      color ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31),
    green: sgr(32),
    yellow: sgr(33),
    magenta: sgr(35),
    cyan: sgr(36),
    inverseRed: (text: string) => (color ? `\u001b[41;97;1m${text}\u001b[0m` : text),
  };
}

export function renderTerminal(report: ReviewReport, options: TerminalOptions): string {
  const p = palette(options.color);
  const max = options.maxAttributes ?? 30;
  const byAction: Record<ChangeAction, Paint> = {
    create: p.green,
    update: p.yellow,
    replace: p.magenta,
    delete: p.red,
    read: p.cyan,
    forget: p.dim,
    "no-op": p.dim,
  };
  const out: string[] = [p.bold(report.title), p.dim(report.subtitle), ""];

  if (report.destroys.length > 0) {
    out.push(p.inverseRed(` ${plural(report.destroys.length, "DESTRUCTIVE CHANGE").toUpperCase()} `));
    for (const d of report.destroys) {
      out.push(`  ${p.red("✗")} ${p.bold(d.kind)}  ${d.stack}${d.address ? `  ${d.address}` : ""}`);
      out.push(`      ${p.red(d.message)}`);
    }
    out.push("");
  }

  const t = totalActions(report.stacks);
  const count = (status: StackChange["status"]) => report.stacks.filter((s) => s.status === status).length;
  out.push(
    `${p.bold("Stacks")}     ${p.green(`+${count("added")} added`)}  ${p.red(`−${count("removed")} removed`)}  ${p.yellow(`~${count("changed")} changed`)}  ${p.dim(`${count("unchanged")} unchanged`)}`,
    `${p.bold("Resources")}  ${p.green(`+${t.create} create`)}  ${p.yellow(`~${t.update} update`)}  ${p.magenta(`±${t.replace} replace`)}  ${p.red(`−${t.delete} destroy`)}${t.read > 0 ? `  ${p.cyan(`≤${t.read} read`)}` : ""}`,
    "",
  );

  const impacts = report.impacts ?? [];
  if (impacts.length > 0) {
    out.push(p.bold("For the campus's users"), ...impacts.map((i) => `  • ${i}`), "");
  }

  const changedCapacity = report.capacity.filter((c) => c.status !== "unchanged");
  if (changedCapacity.length > 0) {
    out.push(p.bold("Capacity"));
    for (const delta of changedCapacity) {
      out.push(`  ${p.bold(capacityHeadlineText(delta))}`);
      const width = Math.max(...delta.metrics.map((m) => metricLabel(m).length));
      for (const m of delta.metrics.filter(metricChanged)) {
        const change = metricDelta(m);
        const paint = change > 0 ? p.green : change < 0 ? p.red : p.dim;
        out.push(
          `    ${metricLabel(m).padEnd(width)}  ${formatNumber(m.before, m.digits).padStart(12)} → ${formatNumber(m.after, m.digits).padStart(12)}  ${paint(formatDelta(change, m.digits))}`,
        );
      }
      if (delta.pictures?.after)
        out.push(`    ${p.dim(`pictures: ${delta.pictures.before ?? "—"} | ${delta.pictures.after}`)}`);
    }
    out.push("");
  }

  // Stacks with identical changes (a version bump in every stack) are printed once.
  for (const { members, addressesDiffer } of groupIdenticalStacks(report.stacks)) {
    const [first] = members;
    if (!first) continue;
    const body = [
      first.status,
      ...(addressesDiffer ? [p.dim(`  (addresses differ per stack; shown for ${first.stack})`)] : []),
      ...stackLines(first, p, byAction, max),
    ].join("\n");
    const c = countActions(first.resources);
    const status =
      first.status === "removed"
        ? p.red(first.status)
        : first.status === "added"
          ? p.green(first.status)
          : p.yellow(first.status);
    const names =
      members.length === 1
        ? p.bold(first.stack)
        : `${p.bold(first.stack)} and ${members.length - 1} more with the same changes`;
    out.push(`${names} ${status}  ${p.dim(`+${c.create} ~${c.update} ±${c.replace} −${c.delete}`)}`);
    if (members.length > 1) out.push(p.dim(`  ${members.map((m) => m.stack).join(", ")}`));
    out.push(...body.split("\n").slice(1), "");
  }
  if (report.stacks.every((s) => s.status === "unchanged")) out.push(p.dim("No changes."));
  return `${out.join("\n").trimEnd()}\n`;
}

function stackLines(
  stack: StackChange,
  p: ReturnType<typeof palette>,
  byAction: Record<ChangeAction, Paint>,
  max: number,
): string[] {
  const out: string[] = [];
  if (stack.status === "changed")
    for (const s of stack.settings) out.push(`    ${p.yellow("~")} ${attributeLine(s, p)}`);
  for (const r of stack.resources) {
    out.push(`  ${byAction[r.action](`${ACTION_SYMBOL[r.action]} ${r.address}`)}${resourceSuffix(r, p)}`);
    for (const n of r.notes ?? []) out.push(`      ${p.dim(n)}`);
    if (stack.status === "added" || stack.status === "removed" || r.action === "delete") continue;
    const shown = r.attributes.slice(0, max);
    for (const a of shown) out.push(`      ${attributeLine(a, p)}`);
    if (r.attributes.length > shown.length) out.push(`      ${p.dim(`… ${r.attributes.length - shown.length} more`)}`);
  }
  return out;
}

function resourceSuffix(r: ResourceChange, p: ReturnType<typeof palette>): string {
  const object = r.object ? p.dim(`  ${r.object}`) : "";
  const data = r.dataHolding ? p.red("  [data-holding]") : "";
  const order = r.replaceOrder ? p.dim(`  (${r.replaceOrder})`) : "";
  return `${object}${data}${order}`;
}

function attributeLine(a: AttributeChange, p: ReturnType<typeof palette>): string {
  const before = a.before === undefined ? p.dim("(absent)") : p.red(formatValue(a.before, 80));
  const after = a.unknownAfter
    ? p.dim("(known after apply)")
    : a.after === undefined
      ? p.dim("(absent)")
      : p.green(formatValue(a.after, 80));
  const forces = a.forcesReplacement ? p.magenta(`  # forces replacement: ${a.forcesReplacement.text}`) : "";
  const note = a.note ? p.dim(`  # ${a.note}`) : "";
  const diff = (a.textDiff ?? [])
    .slice(0, 40)
    .map(
      (line) => `\n        ${line.startsWith("+") ? p.green(line) : line.startsWith("-") ? p.red(line) : p.dim(line)}`,
    )
    .join("");
  const change =
    a.before === undefined
      ? `= ${after}`
      : a.after === undefined && !a.unknownAfter
        ? `= ${before} (removed)`
        : `${before} → ${after}`;
  return `${a.path}: ${change}${forces}${note}${diff}`;
}
