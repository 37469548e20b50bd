import type { Report } from "../model/environment-error.js";
import type { Environment } from "../model/schema.js";
import type { CampusPlan } from "../plan/plan-types.js";
import { POLICY_RULE_IDS } from "./rules/index.js";
import { patternCanMatchStack } from "./suppression.js";

/** Every suppression names a rule the pack has (before the plan: a typo is caught at once). */
export function checkPolicyRules(env: Environment, report: Report): void {
  env.policy.suppressions.forEach((suppression, i) => {
    if (!POLICY_RULE_IDS.includes(suppression.rule)) {
      report(
        ["policy", "suppressions", i, "rule"],
        `unknown policy rule "${suppression.rule}"; the pack has ${POLICY_RULE_IDS[0]} to ${POLICY_RULE_IDS.at(-1)} (docs/policy.md: rules)`,
      );
    }
  });
}

/** A suppression whose path can match no stack of the environment is a typo that suppresses nothing. */
export function checkSuppressionTargets(env: Environment, plan: CampusPlan, report: Report): void {
  const stacks = plan.clusters.map((c) => c.stackName);
  env.policy.suppressions.forEach((suppression, i) => {
    if (!patternCanMatchStack(suppression.resource, stacks)) {
      report(
        ["policy", "suppressions", i, "resource"],
        `"${suppression.resource}" matches no stack of this environment: paths start with the stack name ` +
          `(${stacks.length > 3 ? `${stacks.slice(0, 3).join(", ")}, …` : stacks.join(", ")}) or a glob such as "*"`,
      );
    }
  });
}
