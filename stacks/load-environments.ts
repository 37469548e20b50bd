import { MAX_DEFAULT_RAILS, RAIL_BLOCKS_PER_RAIL } from "../src/constructs/rail-networks.js";
import { type EnvironmentError, formatFigure as fmt, type Report } from "../src/model/environment-error.js";
import {
  fileReporter,
  type LoadedEnvironment,
  type LoadResult,
  loadEnvironmentFile,
  parseEnvironment,
} from "../src/model/load-environment.js";
import { buildCampusPlan } from "../src/plan/campus-plan.js";
import { checkPlan } from "../src/plan/plan-checks.js";
import type { CampusPlan } from "../src/plan/plan-types.js";
import { checkPolicyRules, checkSuppressionTargets } from "../src/policy/suppression-checks.js";

/** An environment ready to synthesize: its checked spec and the plan derived from it, once. */
export interface PlannedEnvironment {
  readonly loaded: LoadedEnvironment;
  readonly plan: CampusPlan;
}

export type PlanResult =
  | { readonly ok: true; readonly environments: readonly PlannedEnvironment[] }
  | { readonly ok: false; readonly errors: readonly EnvironmentError[] };

/**
 * The pipeline's checks in their order, for one environment that loaded: suppression rule ids
 * (which need nothing but the pack), then the plan is derived once and checked (physics, clusters,
 * tenants, suppression targets). The plan is only derived when the earlier checks are clean.
 */
export function planEnvironment(loaded: LoadedEnvironment): PlanResult {
  const errors: EnvironmentError[] = [];
  const report = fileReporter(loaded, errors);
  checkPolicyRules(loaded.spec, report);
  if (errors.length > 0) return { ok: false, errors };
  const plan = buildCampusPlan(loaded.spec);
  checkPlan(loaded.spec, plan, report);
  checkConstructLimits(loaded, plan, report);
  checkSuppressionTargets(loaded.spec, plan, report);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, environments: [{ loaded, plan }] };
}

/**
 * What the constructs would refuse at synth, caught here so the error names the environment field
 * (a construct validation can only name its construct path): the default rail address ranges fit
 * RAIL_BLOCKS_PER_RAIL clusters on one building's fabric and MAX_DEFAULT_RAILS rails
 * (src/constructs/rail-networks.ts), and the environment has no field to give other ranges.
 */
function checkConstructLimits(loaded: LoadedEnvironment, plan: CampusPlan, report: Report): void {
  if (!loaded.spec.addons.multus) return;
  const reported = new Set<string>();
  for (const cluster of plan.clusters) {
    const buildingId = cluster.buildings[0]?.building.id ?? "";
    const b = loaded.spec.buildings.findIndex((building) => building.id === buildingId);
    if (cluster.fabricIndex >= RAIL_BLOCKS_PER_RAIL && !reported.has(buildingId)) {
      reported.add(buildingId);
      const sharing = plan.clusters.filter((c) => c.buildings.some((s) => s.building.id === buildingId)).length;
      report(
        b >= 0 ? ["buildings", b] : ["buildings"],
        `building ${buildingId}: ${fmt(sharing)} clusters would share its fabric, more than the ${RAIL_BLOCKS_PER_RAIL} ` +
          `the rail address ranges fit by ${fmt(sharing - RAIL_BLOCKS_PER_RAIL)}: raise clusters.maxNodes ` +
          `(now ${fmt(loaded.spec.clusters.maxNodes)}) or split the building's pools across buildings`,
      );
    }
    if (cluster.rails > MAX_DEFAULT_RAILS) {
      report(
        b >= 0 ? ["buildings", b, "pools"] : ["buildings"],
        `cluster ${cluster.id}: ${cluster.rails} rails per node exceed the ${MAX_DEFAULT_RAILS} the rail address ranges fit ` +
          `by ${cluster.rails - MAX_DEFAULT_RAILS}`,
      );
    }
  }
}

/** Plans one loaded file's result, keeping its errors. */
function planResult(result: LoadResult): PlanResult {
  return result.ok ? planEnvironment(result.environment) : result;
}

/** Same as loadEnvironments for one text in memory (tests, the diff tool). */
export function planEnvironmentText(text: string, file: string): PlanResult {
  return planResult(parseEnvironment(text, file));
}

/**
 * Loads, checks and plans every file; collects every error of every file (and environment names
 * used twice). Nothing is synthesized unless all of them are clean.
 */
export function loadEnvironments(files: readonly string[]): PlanResult {
  const errors: EnvironmentError[] = [];
  const environments: PlannedEnvironment[] = [];
  for (const file of files) {
    const result = planResult(loadEnvironmentFile(file));
    if (result.ok) environments.push(...result.environments);
    else errors.push(...result.errors);
  }
  const names = new Map<string, string>();
  for (const { loaded } of environments) {
    const other = names.get(loaded.spec.name);
    if (other) {
      errors.push({
        file: loaded.file,
        ...loaded.sourceMap.locate(["name"]),
        path: ["name"],
        message: `environment name "${loaded.spec.name}" is also used by ${other}`,
      });
    }
    names.set(loaded.spec.name, loaded.file);
  }
  // Stack names are `<environment>-<cluster>`: "a-b" + "c" and "a" + "b-c" would write one directory.
  const stacks = new Map<string, string>();
  for (const { loaded, plan } of environments) {
    for (const cluster of plan.clusters) {
      const other = stacks.get(cluster.stackName);
      if (other !== undefined && other !== loaded.spec.name) {
        errors.push({
          file: loaded.file,
          ...loaded.sourceMap.locate(["name"]),
          path: ["name"],
          message:
            `environment ${loaded.spec.name}'s cluster ${cluster.id} would be stack "${cluster.stackName}", ` +
            `which environment ${other} also writes: rename one of the environments`,
        });
      }
      stacks.set(cluster.stackName, loaded.spec.name);
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, environments };
}
