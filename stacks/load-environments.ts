import type { EnvironmentError } from "../src/model/environment-error.js";
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
  checkSuppressionTargets(loaded.spec, plan, report);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, environments: [{ loaded, plan }] };
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
  return errors.length > 0 ? { ok: false, errors } : { ok: true, environments };
}
