import { z } from "zod";
import { diffAttributes, type RawPath } from "../diff/attribute-diff.js";
import { isDataHolding, resourceDestroyWarnings } from "../diff/destroy-risk.js";
import { sensitivePaths, sensitiveSetting } from "../diff/sensitive.js";
import { sortChanges } from "../diff/stack-diff.js";
import { sortDestroys } from "../diff/synth-diff.js";
import { kubernetesObject } from "../diff/values.js";
import type {
  AttributeChange,
  ChangeAction,
  DestroyWarning,
  ResourceChange,
  ReviewReport,
  StackChange,
} from "../model.js";

/**
 * Reads the machine-readable plan that `tofu show -json <planfile>` and `terraform show -json
 * <planfile>` print (the "JSON Output Format" of both tools, format_version 1.x) into the same
 * ReviewReport the synth diff produces, so a reviewer reads one shape whichever tool ran.
 * Fields used: resource_changes[].{address, previous_address, mode, type, action_reason, change:
 * {actions, before, after, after_unknown, before_sensitive, after_sensitive, replace_paths,
 * importing}}, output_changes, resource_drift, errored.
 */

const Change = z.object({
  actions: z.array(z.string()).min(1),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  after_unknown: z.unknown().optional(),
  before_sensitive: z.unknown().optional(),
  after_sensitive: z.unknown().optional(),
  replace_paths: z.array(z.array(z.union([z.string(), z.number()]))).optional(),
  importing: z.object({ id: z.string().optional() }).passthrough().optional(),
});

const ResourceChangeJson = z.object({
  address: z.string(),
  previous_address: z.string().optional(),
  mode: z.enum(["managed", "data"]),
  type: z.string(),
  name: z.string(),
  deposed: z.string().optional(),
  action_reason: z.string().optional(),
  change: Change,
});

export const PlanJsonSchema = z.object({
  format_version: z.string(),
  terraform_version: z.string().optional(),
  resource_changes: z.array(ResourceChangeJson).default([]),
  resource_drift: z.array(ResourceChangeJson).default([]),
  output_changes: z.record(z.string(), Change).default({}),
  errored: z.boolean().optional(),
});

export type PlanJson = z.infer<typeof PlanJsonSchema>;

export function parsePlanJson(value: unknown, source: string): PlanJson {
  const result = PlanJsonSchema.safeParse(value);
  if (result.success) {
    if (!result.data.format_version.startsWith("1.")) {
      throw new Error(`${source}: format_version ${result.data.format_version} is not 1.x (the only format known)`);
    }
    return result.data;
  }
  const issue = result.error.issues[0];
  throw new Error(
    `${source}: not a \`tofu show -json\` plan: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`,
  );
}

/** `["delete","create"]` and `["create","delete"]` are replacements, in that order of operations. */
function actionOf(actions: readonly string[]): { action: ChangeAction; order?: ResourceChange["replaceOrder"] } {
  const key = actions.join(",");
  switch (key) {
    case "create":
    case "read":
    case "update":
    case "delete":
    case "forget":
    case "no-op":
      return { action: key };
    case "delete,create":
      return { action: "replace", order: "destroy-before-create" };
    case "create,delete":
      return { action: "replace", order: "create-before-destroy" };
    default:
      throw new Error(`unknown plan actions [${actions.join(", ")}]`);
  }
}

/** action_reason values, from the JSON output format docs, in words. */
const REASONS: Readonly<Record<string, string>> = {
  replace_because_tainted: "replaced because the object is tainted",
  replace_because_cannot_update: "replaced because a changed attribute cannot be updated in place",
  replace_by_request: "replaced because -replace asked for it",
  replace_by_triggers: "replaced because replace_triggered_by fired",
  delete_because_no_resource_config: "destroyed because its configuration was removed",
  delete_because_no_module: "destroyed because its module was removed",
  delete_because_wrong_repetition: "destroyed because count/for_each changed shape",
  delete_because_count_index: "destroyed because its count index is out of range",
  delete_because_each_key: "destroyed because its for_each key is gone",
  delete_because_no_move_target: "destroyed because its moved target does not exist",
  read_because_config_unknown: "read during apply: its configuration depends on values not known yet",
  read_because_dependency_pending: "read during apply: it depends on resources with pending changes",
  read_because_check_nested: "read during apply: a check block needs it",
};

function resourceChange(rc: z.infer<typeof ResourceChangeJson>): ResourceChange {
  const { action, order } = actionOf(rc.change.actions);
  const before = rc.change.before ?? undefined;
  const after = rc.change.after ?? undefined;
  const attributes: AttributeChange[] = diffAttributes(before, after, {
    type: rc.type,
    sensitive: sensitivePaths(rc.type, before, after),
    replacePaths: (rc.change.replace_paths ?? []) as RawPath[],
    afterUnknown: rc.change.after_unknown,
    beforeSensitive: rc.change.before_sensitive,
    afterSensitive: rc.change.after_sensitive,
  });
  const notes = [
    ...(rc.previous_address ? [`moved from ${rc.previous_address}`] : []),
    ...(rc.change.importing ? [`imported (id ${rc.change.importing.id ?? "from identity"})`] : []),
    ...(rc.deposed ? [`deposed object ${rc.deposed}`] : []),
    ...(rc.action_reason ? [REASONS[rc.action_reason] ?? rc.action_reason] : []),
  ];
  const object = kubernetesObject(rc.type, after) ?? kubernetesObject(rc.type, before);
  const dataHolding = isDataHolding(rc.type, before) || isDataHolding(rc.type, after);
  return {
    address: rc.address,
    type: rc.type,
    mode: rc.mode,
    action,
    ...(object ? { object } : {}),
    attributes,
    ...(order ? { replaceOrder: order } : {}),
    ...(dataHolding ? { dataHolding } : {}),
    ...(notes.length > 0 ? { notes } : {}),
  };
}

/** One plan (one stack's working directory) as a StackChange. */
export function planStack(stack: string, plan: PlanJson): StackChange {
  const all = plan.resource_changes.map(resourceChange);
  const changed = all.filter((r) => r.action !== "no-op");
  const settings: AttributeChange[] = Object.entries(plan.output_changes).flatMap(([name, change]) => {
    if (change.actions.join(",") === "no-op") return [];
    return diffAttributes(
      { output: { [name]: change.before ?? undefined } },
      { output: { [name]: change.after ?? undefined } },
      {
        type: "",
        sensitive: sensitiveSetting,
        afterUnknown: { output: { [name]: change.after_unknown } },
        beforeSensitive: { output: { [name]: change.before_sensitive } },
        afterSensitive: { output: { [name]: change.after_sensitive } },
      },
    );
  });
  return {
    stack,
    status: changed.length > 0 || settings.length > 0 ? "changed" : "unchanged",
    resources: sortChanges(changed),
    settings,
    unchanged: all.length - changed.length,
  };
}

export interface NamedPlan {
  readonly stack: string;
  readonly plan: PlanJson;
}

export function planReport(plans: readonly NamedPlan[]): ReviewReport {
  const stacks = plans.map(({ stack, plan }) => planStack(stack, plan));
  const destroys: DestroyWarning[] = stacks.flatMap((s) => resourceDestroyWarnings(s.stack, s.resources));
  const notes: string[] = [];
  for (const { stack, plan } of plans) {
    if (plan.errored) notes.push(`The plan of ${stack} errored: what it shows is incomplete.`);
    if (plan.resource_drift.length > 0) {
      const drifted = plan.resource_drift.map((d) => d.address);
      notes.push(
        `${stack}: ${drifted.length} resource(s) changed outside Terraform since the last apply: ${drifted.slice(0, 10).join(", ")}${drifted.length > 10 ? ", …" : ""}`,
      );
    }
  }
  const versions = [...new Set(plans.map((p) => p.plan.terraform_version).filter((v) => v !== undefined))];
  return {
    kind: "plan",
    title: "gpu-campus plan report",
    subtitle: `${plans.length === 1 ? "1 plan" : `${plans.length} plans`}${versions.length > 0 ? ` from engine ${versions.join(", ")}` : ""}: ${plans.map((p) => `\`${p.stack}\``).join(", ")}`,
    destroys: sortDestroys(destroys),
    stacks,
    capacity: [],
    notes,
  };
}
