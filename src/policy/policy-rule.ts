import type { CampusPlan, ClusterPlan } from "../plan/plan-types.js";
import type { ResourceJson } from "../terraform-json/kubernetes-object.js";

/**
 * The shapes every policy rule shares. A rule is data (id, description, fix, sources) plus a pure
 * function: of one synthesized resource, of all resources of one stack, or of the campus plan.
 * Rules never touch constructs; the pack (policy-pack.ts) feeds them and reports what they find.
 */

/**
 * One Terraform resource as it is written to cdk.tf.json, with where it came from. Its `config` is
 * snake_case (a `kubernetes_manifest` keeps its object under `manifest`, camelCase); references to
 * another resource's `metadata[0].name` in the same stack are replaced by that name when literal.
 */
export interface SynthesizedResource extends ResourceJson {
  /** `<type>.<logical id>`, the address Terraform plans show. */
  readonly address: string;
  /** Construct path, e.g. `staging-c1/inventory/namespace`: what suppressions match. */
  readonly path: string;
}

export type RuleResult =
  | { readonly status: "compliant" }
  | { readonly status: "not-applicable" }
  | {
      readonly status: "non-compliant";
      readonly reasons: readonly string[];
      /** False when the rule's justification annotation must not excuse this finding. @default true */
      readonly justifiable?: boolean;
    };

export const COMPLIANT: RuleResult = { status: "compliant" };
export const NOT_APPLICABLE: RuleResult = { status: "not-applicable" };

/** Non-compliant when any reason is given, compliant otherwise. */
export function verdict(reasons: readonly string[]): RuleResult {
  return reasons.length > 0 ? { status: "non-compliant", reasons } : COMPLIANT;
}

/** What a rule may know besides the resources: facts from the plan and the pack's settings. */
export interface PolicyContext {
  /** Namespaces of the tenants this cluster hosts (Pod Security `restricted`, quotas, default deny). */
  readonly tenantNamespaces: ReadonlySet<string>;
  /** The namespaces that may run GPU system daemons with Pod Security `privileged`. */
  readonly gpuSystemNamespaces: ReadonlySet<string>;
  /** Host paths a pod may mount (a path or anything below it). */
  readonly hostPathAllowlist: readonly string[];
  /** The cluster the stack deploys to. Undefined outside a campus stack (capacity rules do not apply). */
  readonly cluster: ClusterPlan | undefined;
  /** Tenant GPU quotas may add up to more than the cluster's GPUs (clusters.allowQuotaOvercommit). */
  readonly allowQuotaOvercommit: boolean;
}

/** A standard a rule comes from: Pod Security Standards, CIS Kubernetes Benchmark, Checkov, kube-linter. */
export interface RuleSource {
  readonly title: string;
  readonly url: string;
}

interface RuleInfo {
  /** Stable id, `GPC-NNN`; never reused for another meaning. */
  readonly id: string;
  /** kebab-case name, for people. */
  readonly name: string;
  /** One line: what a compliant resource looks like. */
  readonly description: string;
  /** Why it matters, one sentence (the rule table in docs/policy.md). */
  readonly why: string;
  /** How to fix a violation. */
  readonly fix: string;
  /** `error` fails the synth; `warning` is reported and the synth goes on. */
  readonly level: "error" | "warning";
  readonly sources: readonly RuleSource[];
  /**
   * Topic of the `justification.gpu-campus.io/<topic>` annotation that justifies an exception on
   * the object itself (a root daemon says why it is root). @default - only suppressions apply
   */
  readonly justification?: string;
}

export interface ResourceRule extends RuleInfo {
  readonly scope: "resource";
  evaluate(resource: SynthesizedResource, context: PolicyContext): RuleResult;
}

/** What a stack rule found about one resource (the construct the finding is reported on). */
export interface ResourceVerdict {
  readonly resource: SynthesizedResource;
  readonly result: RuleResult;
}

export interface StackRule extends RuleInfo {
  readonly scope: "stack";
  evaluate(resources: readonly SynthesizedResource[], context: PolicyContext): readonly ResourceVerdict[];
}

/** A plan-level finding, reported on the stack of the cluster it concerns. */
export interface PlanFinding {
  readonly clusterId: string;
  readonly reason: string;
}

export interface PlanRule extends RuleInfo {
  readonly scope: "plan";
  evaluate(plan: CampusPlan): readonly PlanFinding[];
}

export type PolicyRule = ResourceRule | StackRule | PlanRule;
