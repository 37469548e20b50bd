import { Annotations, type IAspect, TerraformResource, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import type { CampusPlan, ClusterPlan } from "../plan/plan-types.js";
import { block, type Dict, manifestOf, stringMap } from "../terraform-json/kubernetes-object.js";
import { justificationAnnotation, NAMES } from "../vocabulary/names.js";
import { reasonProblem } from "../vocabulary/suppression-reason.js";
import type { PlanFinding, PolicyContext, PolicyRule, SynthesizedResource } from "./policy-rule.js";
import { DEVICE_PLUGIN_HOST_PATH } from "./rules/gpc-012-host-path-allowlist.js";
import { POLICY_RULE_IDS, POLICY_RULES, policyRule } from "./rules/index.js";
import { type AppliedSuppression, type DeclaredSuppression, patternMatches } from "./suppression.js";
import { stackResources } from "./synthesized-resources.js";

export interface PolicyPackProps {
  /** The cluster the stack deploys to: its tenants and GPUs. @default - no tenants from the plan; capacity rules do not apply */
  readonly cluster?: ClusterPlan;
  /** The campus plan, for plan-level rules (NVLink domains). @default - plan-level rules are skipped */
  readonly plan?: CampusPlan;
  /** Tenant namespaces. @default - the namespaces of the cluster's tenants */
  readonly tenantNamespaces?: readonly string[];
  /** Namespaces that may be Pod Security `privileged`. @default - GPU_SYSTEM_NAMESPACES (device plugin, DRA driver, telemetry, RDMA plugin) */
  readonly gpuSystemNamespaces?: readonly string[];
  /** Host paths pods may mount. @default - the kubelet's device plugin directory only */
  readonly hostPathAllowlist?: readonly string[];
  /** Tenant GPU quotas may exceed the cluster's GPUs. @default false */
  readonly allowQuotaOvercommit?: boolean;
  /** Suppressions from the environment file. @default - none */
  readonly suppressions?: readonly DeclaredSuppression[];
  /** The rules to run. @default - every rule (POLICY_RULES) */
  readonly rules?: readonly PolicyRule[];
}

/** A warning-level finding (GPC-011, image digests): reported, never fatal. */
export interface PolicyWarning {
  readonly rule: string;
  readonly path: string;
  readonly reason: string;
}

/** What the pack found in one stack at its last validation. */
export interface StackEvaluation {
  readonly stack: string;
  readonly errors: number;
  readonly warnings: readonly PolicyWarning[];
  readonly suppressions: readonly AppliedSuppression[];
}

/** The namespaces of the campus's node agents: the only ones that may be `privileged`, with a justification. */
export const GPU_SYSTEM_NAMESPACES: readonly string[] = [
  NAMES.devicePluginNamespace,
  NAMES.draDriverNamespace,
  NAMES.telemetryNamespace,
  NAMES.rdmaDevicePluginNamespace,
];

/** Node metadata type of a suppression declared through the construct API. */
const SUPPRESSION_METADATA = "gpu-campus/policy-suppression";

interface ConstructSuppression {
  readonly rule: string;
  readonly reason: string;
}

interface Evaluation extends StackEvaluation {
  readonly messages: ReadonlyMap<IConstruct, readonly string[]>;
}

/** Suppressions declared with PolicyPack.suppress anywhere under `root`, for the unused-suppression check. */
export function constructSuppressions(root: IConstruct): DeclaredSuppression[] {
  return root.node.findAll().flatMap((node) =>
    node.node.metadata
      .filter((entry) => entry.type === SUPPRESSION_METADATA)
      .map((entry) => {
        const data = entry.data as ConstructSuppression;
        const path = node.node.path || "<root>";
        return { rule: data.rule, resource: path, reason: data.reason, origin: `construct ${path}` };
      }),
  );
}

/**
 * The campus policy pack, an Aspect: add it to a stack (or the app) and every synth runs every
 * rule on every resource. A violation fails the synth through the resource's validation, naming
 * the rule, the construct path and how to fix it; warnings become cdktf warning annotations.
 * Rules see each resource as cdk.tf.json will hold it, so they judge what Terraform will apply.
 */
export class PolicyPack implements IAspect {
  /**
   * Suppresses a rule for a construct and everything below it, with the reason a reviewer reads
   * in the synth summary. Throws on an unknown rule or a reason shorter than 10 characters.
   */
  static suppress(construct: IConstruct, ruleId: string, reason: string): void {
    const where = `PolicyPack.suppress(${construct.node.path || "<root>"})`;
    if (!policyRule(ruleId)) {
      throw new Error(`${where}: unknown rule "${ruleId}"; the pack has ${POLICY_RULE_IDS.join(", ")}`);
    }
    const problem = reasonProblem(reason);
    if (problem) throw new Error(`${where}: suppression of ${ruleId} ${problem}`);
    const entry: ConstructSuppression = { rule: ruleId, reason: reason.trim() };
    construct.node.addMetadata(SUPPRESSION_METADATA, entry);
  }

  readonly rules: readonly PolicyRule[];
  private readonly props: PolicyPackProps;
  private readonly context: PolicyContext;
  private readonly wired = new WeakSet<IConstruct>();
  private readonly evaluations = new Map<TerraformStack, Evaluation>();
  private readonly warned = new Set<string>();
  private planFindings: Map<string, readonly PlanFinding[]> | undefined;

  constructor(props: PolicyPackProps = {}) {
    this.props = props;
    this.rules = props.rules ?? POLICY_RULES;
    this.context = {
      tenantNamespaces: new Set(props.tenantNamespaces ?? props.cluster?.tenants.map((t) => t.namespace) ?? []),
      gpuSystemNamespaces: new Set(props.gpuSystemNamespaces ?? GPU_SYSTEM_NAMESPACES),
      hostPathAllowlist: props.hostPathAllowlist ?? [DEVICE_PLUGIN_HOST_PATH],
      cluster: props.cluster,
      allowQuotaOvercommit: props.allowQuotaOvercommit ?? false,
    };
  }

  visit(node: IConstruct): void {
    if (this.wired.has(node)) return;
    if (TerraformStack.isStack(node)) {
      this.wired.add(node);
      // Runs first (validations run parent before child): evaluates the whole stack once.
      node.node.addValidation({ validate: () => [...(this.evaluate(node).messages.get(node) ?? [])] });
    } else if (TerraformResource.isTerraformResource(node)) {
      this.wired.add(node);
      node.node.addValidation({
        validate: () => {
          const stack = TerraformStack.of(node);
          const evaluation = this.evaluations.get(stack) ?? this.evaluate(stack);
          return [...(evaluation.messages.get(node) ?? [])];
        },
      });
    }
  }

  /** The result of the last validation of each stack the pack ran on. */
  get stackEvaluations(): readonly StackEvaluation[] {
    return [...this.evaluations.values()].map(({ stack, errors, warnings, suppressions }) => ({
      stack,
      errors,
      warnings,
      suppressions,
    }));
  }

  /** The environment suppressions this pack was given. */
  get declaredSuppressions(): readonly DeclaredSuppression[] {
    return this.props.suppressions ?? [];
  }

  private evaluate(stack: TerraformStack): Evaluation {
    const items = stackResources(stack);
    const resources = items.map((item) => item.resource);
    const constructOf = new Map(items.map((item) => [item.resource.address, item.construct]));
    const messages = new Map<IConstruct, string[]>();
    const warnings: PolicyWarning[] = [];
    const suppressions: AppliedSuppression[] = [];
    let errors = 0;

    const report = (
      rule: PolicyRule,
      construct: IConstruct,
      resource: SynthesizedResource | undefined,
      reasons: readonly string[],
      justifiable = true,
    ) => {
      const path = construct.node.path;
      const suppression = this.suppressionFor(rule, construct, justifiable ? resource : undefined);
      if (suppression.applied) {
        suppressions.push(suppression.applied);
        return;
      }
      for (const reason of reasons) {
        if (rule.level === "warning") {
          warnings.push({ rule: rule.id, path, reason });
          const message = `[${rule.id}] ${reason}. How to fix: ${rule.fix}`;
          if (!this.warned.has(`${path}\n${message}`)) {
            this.warned.add(`${path}\n${message}`);
            Annotations.of(construct).addWarning(message);
          }
          continue;
        }
        errors++;
        const list = messages.get(construct) ?? [];
        list.push(this.errorMessage(rule, resource, reason, suppression.note));
        messages.set(construct, list);
      }
    };

    for (const rule of this.rules) {
      if (rule.scope === "resource") {
        for (const { resource, construct } of items) {
          const result = rule.evaluate(resource, this.context);
          if (result.status === "non-compliant") report(rule, construct, resource, result.reasons, result.justifiable);
        }
      } else if (rule.scope === "stack") {
        for (const { resource, result } of rule.evaluate(resources, this.context)) {
          const construct = constructOf.get(resource.address) ?? stack;
          if (result.status === "non-compliant") report(rule, construct, resource, result.reasons, result.justifiable);
        }
      } else {
        const clusterId = this.props.cluster?.id;
        const findings = this.planFindingsOf(rule).filter((f) => clusterId === undefined || f.clusterId === clusterId);
        if (findings.length > 0)
          report(
            rule,
            stack,
            undefined,
            findings.map((f) => f.reason),
          );
      }
    }
    const evaluation: Evaluation = { stack: stack.node.path, errors, warnings, suppressions, messages };
    this.evaluations.set(stack, evaluation);
    return evaluation;
  }

  private planFindingsOf(rule: PolicyRule): readonly PlanFinding[] {
    if (rule.scope !== "plan" || !this.props.plan) return [];
    this.planFindings ??= new Map();
    let findings = this.planFindings.get(rule.id);
    if (!findings) {
      findings = rule.evaluate(this.props.plan);
      this.planFindings.set(rule.id, findings);
    }
    return findings;
  }

  private errorMessage(
    rule: PolicyRule,
    resource: SynthesizedResource | undefined,
    reason: string,
    note: string | undefined,
  ): string {
    const source = rule.sources[0];
    return (
      `${rule.id} ${rule.name}: ${reason}${resource ? ` [${resource.address}]` : ""}${note ? ` (${note})` : ""}. ` +
      `How to fix: ${rule.fix}${source ? ` Standard: ${source.title}, ${source.url}.` : ""} ` +
      `If it must stay, suppress ${rule.id} for this path with a reason (environment policy.suppressions or PolicyPack.suppress).`
    );
  }

  /** The suppression in force for a finding, if any; `note` explains a justification that did not count. */
  private suppressionFor(
    rule: PolicyRule,
    construct: IConstruct,
    resource: SynthesizedResource | undefined,
  ): { applied?: AppliedSuppression; note?: string } {
    const path = construct.node.path;
    for (const scope of [...construct.node.scopes].reverse()) {
      for (const entry of scope.node.metadata) {
        if (entry.type !== SUPPRESSION_METADATA) continue;
        const data = entry.data as ConstructSuppression;
        if (data.rule !== rule.id) continue;
        const where = scope.node.path || "<root>";
        return { applied: { rule: rule.id, path, reason: data.reason, origin: `construct ${where}`, matcher: where } };
      }
    }
    for (const declared of this.props.suppressions ?? []) {
      if (declared.rule === rule.id && patternMatches(declared.resource, path)) {
        return {
          applied: {
            rule: rule.id,
            path,
            reason: declared.reason,
            origin: declared.origin,
            matcher: declared.resource,
          },
        };
      }
    }
    if (rule.justification && resource) {
      const key = justificationAnnotation(rule.justification);
      const reason = objectAnnotations(resource)[key];
      if (reason !== undefined) {
        const problem = reasonProblem(reason);
        if (!problem) {
          return { applied: { rule: rule.id, path, reason: reason.trim(), origin: "annotation", matcher: key } };
        }
        return { note: `its annotation ${key} ${problem}` };
      }
    }
    return {};
  }
}

/** Annotations on the object and on its pod template: either may carry a justification. */
function objectAnnotations(resource: SynthesizedResource): Record<string, string> {
  const root: Dict = manifestOf(resource) ?? resource.config;
  const metadata = block(root.metadata);
  const spec = block(root.spec);
  const template =
    block(spec?.template) ?? block(block(block(spec?.jobTemplate ?? spec?.job_template)?.spec)?.template);
  return { ...stringMap(block(template?.metadata)?.annotations), ...stringMap(metadata?.annotations) };
}
