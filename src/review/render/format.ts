import type { ChangeAction, MetricDelta } from "../model.js";

/** Number and value formatting shared by the Markdown and terminal renderers. */

export function formatNumber(value: number | undefined, digits = 0): string {
  if (value === undefined) return "—";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Power in MW with one decimal, or in kW below 1 MW (the kind campus draws a few kW). */
export function formatPower(mw: number): string {
  if (mw !== 0 && Math.abs(mw) < 1) return `${formatNumber(mw * 1000, Math.abs(mw) < 0.01 ? 1 : 0)} kW`;
  return `${formatNumber(mw, 1)} MW`;
}

/** `+49,536`, `−88`, `±0`; the minus is U+2212 so a delta never reads as a Markdown list item. */
export function formatDelta(delta: number, digits = 0): string {
  const rounded = Number(delta.toFixed(digits));
  if (rounded === 0) return "±0";
  const text = formatNumber(Math.abs(rounded), digits);
  return rounded > 0 ? `+${text}` : `−${text}`;
}

export function metricDelta(m: MetricDelta): number {
  return (m.after ?? 0) - (m.before ?? 0);
}

export function metricLabel(m: MetricDelta): string {
  return m.unit ? `${m.label} (${m.unit})` : m.label;
}

/** `IT power` reads `IT` after a unit: `+90.8 MW IT`. */
function phraseLabel(m: MetricDelta): string {
  return m.unit === "MW" ? m.label.replace(/ power$/, "") : m.label;
}

/** `+49,536 GPUs`, `+90.8 MW IT`: a metric's change in one phrase. */
export function deltaPhrase(m: MetricDelta): string {
  const unit = m.unit ? ` ${m.unit}` : "";
  return `${formatDelta(metricDelta(m), m.digits)}${unit} ${phraseLabel(m)}`;
}

/** `49,536 GPUs`, `90.8 MW IT`: a metric's new value in one phrase. */
export function valuePhrase(m: MetricDelta): string {
  const unit = m.unit ? ` ${m.unit}` : "";
  return `${formatNumber(m.after ?? m.before, m.digits)}${unit} ${phraseLabel(m)}`;
}

/** An attribute value on one line: strings as they are, everything else as JSON; cut at `max`. */
export function formatValue(value: unknown, max = 120): string {
  if (value === undefined) return "(absent)";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export const ACTION_SYMBOL: Readonly<Record<ChangeAction, string>> = {
  create: "+",
  update: "~",
  replace: "±",
  delete: "−",
  read: "≤",
  forget: "⊘",
  "no-op": " ",
};

export const ACTION_VERB: Readonly<Record<ChangeAction, string>> = {
  create: "create",
  update: "update in place",
  replace: "replace",
  delete: "destroy",
  read: "read",
  forget: "forget (removed from state, object kept)",
  "no-op": "no change",
};

export function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${formatNumber(count)} ${count === 1 ? word : pluralWord}`;
}
