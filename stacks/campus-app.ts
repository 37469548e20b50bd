import { App, Aspects } from "cdktf";
import { writeEnvironmentArtifacts } from "../src/artifacts/environment-artifacts.js";
import { withStagedOutput } from "../src/artifacts/output-directory.js";
import { campusPolicyPack } from "../src/policy/campus-policy.js";
import { type PolicyReport, policyReport } from "../src/policy/policy-report.js";
import { ClusterStack } from "./cluster-stack.js";
import type { PlannedEnvironment } from "./load-environments.js";

/**
 * One ClusterStack per cluster of every environment, in environment then cluster order, each
 * checked by the campus policy pack (src/policy) when it synthesizes.
 */
export function addCampusStacks(app: App, environments: readonly PlannedEnvironment[]): ClusterStack[] {
  return environments.flatMap(({ loaded, plan }) =>
    plan.clusters.map((cluster) => {
      const stack = new ClusterStack(app, { plan, cluster });
      Aspects.of(stack).add(campusPolicyPack(loaded, plan, cluster));
      return stack;
    }),
  );
}

/** What a successful synth reports besides the files: the policy pack's warnings and suppressions. */
export interface SynthResult {
  readonly policy: PolicyReport;
}

/**
 * Synthesizes every stack and artifact; the output appears in `outdir` only when all of it
 * succeeded (src/artifacts/output-directory.ts). `complete`: these are all the environments, so
 * output of any other environment in `outdir` is stale.
 */
export function synthCampus(
  outdir: string,
  environments: readonly PlannedEnvironment[],
  options: { readonly complete: boolean } = { complete: false },
): SynthResult {
  const stackEnvironments = new Map(
    environments.flatMap(({ plan }) => plan.clusters.map((c) => [c.stackName, plan.environment] as const)),
  );
  return withStagedOutput(outdir, { stackEnvironments, complete: options.complete }, (staging) => {
    // No stack traces in metadata: cdktf captures one per token, which costs seconds on a campus.
    const app = new App({ outdir: staging, skipValidation: false, stackTraces: false });
    addCampusStacks(app, environments);
    app.synth();
    for (const { plan } of environments) writeEnvironmentArtifacts(staging, plan);
    return { policy: policyReport(app) };
  });
}
