import { Aspects, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { constructSuppressions, PolicyPack, type PolicyWarning } from "./policy-pack.js";
import type { AppliedSuppression, DeclaredSuppression } from "./suppression.js";

/** What the policy pack found across an app: for the synth summary. */
export interface PolicyReport {
  readonly rules: number;
  readonly stacks: number;
  readonly warnings: readonly PolicyWarning[];
  readonly suppressions: readonly AppliedSuppression[];
  /** Suppressions (environment or PolicyPack.suppress) that matched nothing: stale, or a typo. */
  readonly unused: readonly DeclaredSuppression[];
}

/** Collects the packs' results after `app.synth()` (the packs evaluate during validation). */
export function policyReport(root: IConstruct): PolicyReport {
  const packs = new Set<PolicyPack>();
  for (const node of root.node.findAll()) {
    if (!TerraformStack.isStack(node)) continue;
    for (const scope of node.node.scopes) {
      for (const aspect of Aspects.of(scope).all) if (aspect instanceof PolicyPack) packs.add(aspect);
    }
  }
  const evaluations = [...packs].flatMap((pack) => pack.stackEvaluations);
  const suppressions = evaluations.flatMap((e) => e.suppressions);
  const used = new Set(suppressions.map((s) => `${s.rule}\n${s.origin}\n${s.matcher}`));
  const declared = new Map<string, DeclaredSuppression>();
  for (const d of [...[...packs].flatMap((pack) => pack.declaredSuppressions), ...constructSuppressions(root)]) {
    declared.set(`${d.rule}\n${d.origin}\n${d.resource}`, d);
  }
  return {
    rules: Math.max(0, ...[...packs].map((pack) => pack.rules.length)),
    stacks: evaluations.length,
    warnings: evaluations.flatMap((e) => e.warnings),
    suppressions,
    unused: [...declared.entries()].filter(([key]) => !used.has(key)).map(([, d]) => d),
  };
}

const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

/**
 * The lines printed after the synth summary table: how many rules ran, the warnings by rule, and
 * every suppression in force, grouped by rule, origin and reason (one line covers the same
 * justification on every cluster of a campus).
 */
export function formatPolicySummary(report: PolicyReport): string {
  const lines = [
    `policy: ${plural(report.rules, "rule")} on ${plural(report.stacks, "stack")}, 0 violations, ` +
      `${plural(report.warnings.length, "warning")}, ${plural(report.suppressions.length, "suppressed finding")}`,
  ];
  const warningsByRule = new Map<string, number>();
  for (const w of report.warnings) warningsByRule.set(w.rule, (warningsByRule.get(w.rule) ?? 0) + 1);
  for (const [rule, count] of [...warningsByRule].sort()) {
    const example = report.warnings.find((w) => w.rule === rule);
    lines.push(`  warning ${rule} × ${count}: ${example?.reason ?? ""}${count > 1 ? " (and others)" : ""}`);
  }
  const groups = new Map<string, { applied: AppliedSuppression; origin: string; paths: Set<string> }>();
  for (const s of report.suppressions) {
    const origin = s.origin.startsWith("construct ")
      ? "PolicyPack.suppress"
      : s.origin === "annotation"
        ? `annotation ${s.matcher}`
        : s.origin;
    const key = [s.rule, origin, s.reason].join("\n");
    const group = groups.get(key) ?? { applied: s, origin, paths: new Set<string>() };
    group.paths.add(s.path);
    groups.set(key, group);
  }
  if (groups.size > 0) lines.push("suppressions in force:");
  const sorted = [...groups.values()].sort(
    (a, b) => a.applied.rule.localeCompare(b.applied.rule) || a.origin.localeCompare(b.origin),
  );
  for (const { applied, origin, paths } of sorted) {
    lines.push(`  ${applied.rule}  ${describePaths([...paths])}  [${origin}]  "${applied.reason}"`);
  }
  for (const d of report.unused) {
    lines.push(
      `  unused suppression ${d.rule} "${d.resource}" at ${d.origin}: it matched nothing; remove it or fix the path`,
    );
  }
  return lines.join("\n");
}

/** One path, or many as one glob: segments that differ (the stack name, a pool) become `*`. */
function describePaths(paths: readonly string[]): string {
  const [first = ""] = paths;
  if (paths.length === 1) return first;
  const split = paths.map((p) => p.split("/"));
  const depth = split[0]?.length ?? 0;
  if (split.some((segments) => segments.length !== depth)) return `${first} and ${paths.length - 1} more`;
  const glob = Array.from({ length: depth }, (_, i) => {
    const values = new Set(split.map((segments) => segments[i]));
    return values.size === 1 ? [...values][0] : "*";
  }).join("/");
  return `${glob} (${plural(paths.length, "resource")})`;
}
