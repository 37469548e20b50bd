import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { App, Aspects } from "cdktf";
import { campusCapacity } from "../src/artifacts/capacity-summary.js";
import { kindClusterName, kindConfigYaml } from "../src/artifacts/kind-config.js";
import { writeNodeRegistration } from "../src/artifacts/node-registration.js";
import type { LoadedEnvironment } from "../src/model/load-environment.js";
import { buildCampusPlan } from "../src/plan/campus-plan.js";
import { clusterNodes } from "../src/plan/node-identity.js";
import type { CampusPlan } from "../src/plan/plan-types.js";
import { campusPolicyPack } from "../src/policy/campus-policy.js";
import { type PolicyReport, policyReport } from "../src/policy/policy-report.js";
import { ClusterStack } from "./cluster-stack.js";

/** An environment ready to synthesize: its checked spec and the plan derived from it. */
export interface PlannedEnvironment {
  readonly loaded: LoadedEnvironment;
  readonly plan: CampusPlan;
}

export function planEnvironment(loaded: LoadedEnvironment): PlannedEnvironment {
  return { loaded, plan: buildCampusPlan(loaded.spec) };
}

/**
 * One ClusterStack per cluster of every environment, in environment then cluster order, each
 * checked by the campus policy pack (src/policy) when it synthesizes.
 */
export function addCampusStacks(app: App, environments: readonly PlannedEnvironment[]): ClusterStack[] {
  return environments.flatMap(({ loaded, plan }) =>
    plan.clusters.map((cluster) => {
      const stack = new ClusterStack(app, { environment: loaded.spec, plan, cluster });
      Aspects.of(stack).add(campusPolicyPack(loaded, plan, cluster));
      return stack;
    }),
  );
}

/** Writes capacity.json, the node registration per cluster and, for simulated campuses, kind's config. */
export function writeArtifacts(outdir: string, { plan }: PlannedEnvironment): void {
  const dir = join(outdir, "environments", plan.environment);
  mkdirSync(join(dir, "nodes"), { recursive: true });
  writeFileSync(join(dir, "capacity.json"), `${JSON.stringify(campusCapacity(plan), null, 2)}\n`);
  for (const cluster of plan.clusters) {
    writeNodeRegistration(join(dir, "nodes", `${cluster.id}.jsonl`), plan, cluster);
  }
  const simulated = plan.buildings.every((b) => b.pools.every((p) => p.sku.simulated));
  const [onlyCluster] = plan.clusters;
  if (simulated && plan.clusters.length === 1 && onlyCluster) {
    const name = kindClusterName(onlyCluster.kubeconfig.context ?? plan.environment);
    writeFileSync(join(dir, "kind-config.yaml"), kindConfigYaml(name, [...clusterNodes(plan, onlyCluster)]));
  }
}

/** What a successful synth reports besides the files: the policy pack's warnings and suppressions. */
export interface SynthResult {
  readonly policy: PolicyReport;
}

/**
 * Synthesizes every stack and artifact into a temporary directory beside `outdir`, and moves the
 * result into place only when all of it succeeded: a failed synth (a policy violation, a
 * validation error) leaves the previous output untouched and writes nothing new.
 * Terraform's working files in existing stack directories (.terraform, lock files) are kept.
 */
export function synthCampus(outdir: string, environments: readonly PlannedEnvironment[]): SynthResult {
  const target = resolve(outdir);
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(`${target}.partial-`);
  try {
    // No stack traces in metadata: cdktf captures one per token, which costs seconds on a campus.
    const app = new App({ outdir: staging, skipValidation: false, stackTraces: false });
    addCampusStacks(app, environments);
    app.synth();
    for (const environment of environments) writeArtifacts(staging, environment);
    const policy = policyReport(app);
    promote(staging, target);
    return { policy };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function promote(staging: string, target: string): void {
  // Only what this synth produced is replaced: a narrowed synth (`--env staging`) leaves the other
  // environments' stack working directories (the cdktf CLI reads them) and artifacts alone.
  // manifest.json lists the stacks of this synth.
  for (const stack of readdirSync(join(staging, "stacks"))) {
    moveFilesInto(join(staging, "stacks", stack), join(target, "stacks", stack));
  }
  mkdirSync(join(target, "environments"), { recursive: true });
  for (const environment of readdirSync(join(staging, "environments"))) {
    rmSync(join(target, "environments", environment), { recursive: true, force: true });
    renameSync(join(staging, "environments", environment), join(target, "environments", environment));
  }
  renameSync(join(staging, "manifest.json"), join(target, "manifest.json"));
}

function moveFilesInto(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    const source = join(from, entry);
    const destination = join(to, entry);
    if (statSync(source).isDirectory()) moveFilesInto(source, destination);
    else renameSync(source, destination);
  }
}
