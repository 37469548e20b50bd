import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kueueModuleDir } from "../../src/engine/kueue-manager.js";
import type { SchedulingTwin } from "../../src/engine/scheduling-twin.js";
import type { TwinJobResult, TwinReport } from "../../src/engine/twin-report.js";
import { runTwin } from "../../src/engine/twin-run.js";
import { kueueVersion, loadTwinToolchain } from "../../src/engine/twin-toolchain.js";
import type { ClusterPlan } from "../../src/plan/plan-types.js";
import { LABEL } from "../../src/vocabulary/labels.js";
import { PRIORITY_CLASS } from "../../src/vocabulary/names.js";
import { planOf } from "../fixtures/environments.js";
import { ROOT, synthInto } from "./support/synth.js";

/**
 * The scheduling twin on staging (288 GB200 trays, 1,152 GPUs): the real kube-scheduler, Kueue
 * v0.17 and kwok, the stack applied with OpenTofu, the tenant mix submitted. Asserts what the
 * campus promises: required-topology jobs inside one domain, over-quota work waits, borrowing
 * and preemption exactly as staging.yaml configures them. GPU_CAMPUS_TWIN_SCALE=1 also runs
 * production b1-c1 (4,320 trays, 17,280 GPUs: 30 scalable units; minutes).
 *
 * Kueue's metrics server reads its certificate from a fixed path under /etc: the twin gives it
 * an overlay of /etc in a private mount namespace, which needs root.
 */
function twinToolchainProblem(): string | undefined {
  try {
    loadTwinToolchain(ROOT);
    return undefined;
  } catch (error) {
    return (error as Error).message.split("\n")[0];
  }
}
const problem =
  process.getuid?.() === 0 ? twinToolchainProblem() : "needs root (a private mount namespace for Kueue's /etc/kueue)";
const canRun = problem === undefined;
if (problem) process.stdout.write(`twin e2e not run: ${problem}\n`);

const work = mkdtempSync(join(tmpdir(), "gpu-campus-twin-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function twinOf(environment: "staging" | "production", clusterId: string, timeoutMs: number) {
  const outdir = join(work, environment, "cdktf.out");
  synthInto(outdir, [environment]);
  const cluster = planOf(environment).clusters.find((c) => c.id === clusterId);
  if (!cluster) throw new Error(`${environment} has no cluster ${clusterId}`);
  const result = await runTwin({
    tools: loadTwinToolchain(ROOT),
    environment,
    cluster,
    outdir,
    runDir: join(work, environment, "twin"),
    kueueModule: kueueModuleDir(kueueVersion(ROOT)),
    phaseTimeoutMs: timeoutMs,
    log: () => undefined,
  });
  return { ...result, cluster };
}

const byPhase = (report: TwinReport, phase: string, tenant?: string) =>
  report.jobs.filter((j) => j.phase === phase && (tenant === undefined || j.tenant === tenant));
const admittedGpus = (jobs: readonly TwinJobResult[]) => jobs.filter((j) => j.admitted).reduce((n, j) => n + j.gpus, 0);

describe.runIf(canRun)("the scheduling twin on staging", () => {
  let twin: SchedulingTwin;
  let report: TwinReport;
  let cluster: ClusterPlan;

  beforeAll(async () => {
    ({ twin, report, cluster } = await twinOf("staging", "stg-c1", 300_000));
  }, 900_000);

  afterAll(async () => {
    await twin?.stop();
  }, 120_000);

  it("GIVEN 72-GPU and 576-GPU jobs requiring a level WHEN placed THEN 100 % of their pods are inside one domain of that level", () => {
    expect(report.summary.requiredTopologyPods).toBeGreaterThanOrEqual(144 + 4 * 18);
    expect(report.summary.shareInRequiredDomain).toBe(1);
    for (const job of report.jobs.filter((j) => j.admitted && j.required)) {
      expect(job.requiredDomains, job.name).toHaveLength(1);
      expect(job.podsBound, job.name).toBe(job.pods);
    }
    const unit = report.jobs.find((j) => j.shape === "scalable-unit" && j.admitted);
    expect(unit?.required).toBe(LABEL.scalableUnit);
    expect(unit?.pods).toBe(144);
  });

  it("GIVEN platform-tests' quota 576 and borrowingLimitGpus 288 WHEN it asks for more THEN it borrows exactly 288 GPUs and the next job waits", () => {
    const tenant = cluster.tenants.find((t) => t.id === "platform-tests");
    expect(tenant?.queue.borrowingLimitGpus).toBe(288);
    const own = admittedGpus(byPhase(report, "fill", "platform-tests"));
    const borrowed = admittedGpus(byPhase(report, "borrow", "platform-tests"));
    expect(own).toBe(576);
    expect(borrowed).toBe(288);
    const waiting = byPhase(report, "borrow", "platform-tests").filter((j) => !j.admitted);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]?.pendingMessage ?? "").toMatch(/insufficient|borrow|quota/i);
  });

  it("GIVEN inference-canary with borrowingLimitGpus 0 and a full quota WHEN it submits one more job THEN that job waits", () => {
    const [over] = byPhase(report, "over-quota", "inference-canary");
    expect(over?.admitted).toBe(false);
    expect(over?.podsBound).toBe(0);
    expect(over?.pendingMessage ?? "").toMatch(/insufficient unused quota/i);
  });

  it("GIVEN preemption withinClusterQueue LowerPriority WHEN an inference-priority job arrives in a full queue THEN it is admitted by evicting one training-priority job", () => {
    const [urgent] = byPhase(report, "preempt", "inference-canary");
    expect(urgent?.priorityClass).toBe(PRIORITY_CLASS.inference);
    expect(urgent?.admitted).toBe(true);
    expect(urgent?.podsBound).toBe(urgent?.pods);
    const evicted = report.jobs.filter((j) => j.evicted);
    expect(evicted).toHaveLength(1);
    expect(evicted[0]?.tenant).toBe("inference-canary");
    expect(evicted[0]?.priorityClass).toBe(PRIORITY_CLASS.training);
  });

  it("GIVEN the mix WHEN it settled THEN every job did what it was expected to and the GPUs are ≥ 95 % in use", () => {
    expect(report.summary.unexpected).toEqual([]);
    expect(report.summary.problems).toEqual([]);
    expect(report.summary.gpuUtilisation).toBeGreaterThanOrEqual(0.95);
    expect(report.summary.podsPlaced).toBe(report.jobs.reduce((n, j) => n + j.podsBound, 0));
  });
});

const scale = canRun && process.env.GPU_CAMPUS_TWIN_SCALE === "1";
if (canRun && !scale) process.stdout.write("twin scale run (production b1-c1) not run: set GPU_CAMPUS_TWIN_SCALE=1\n");

describe.runIf(scale)("the scheduling twin at production scale (b1-c1)", () => {
  let twin: SchedulingTwin;
  let report: TwinReport;
  let cluster: ClusterPlan;

  beforeAll(async () => {
    ({ twin, report, cluster } = await twinOf("production", "b1-c1", 900_000));
  }, 1_800_000);

  afterAll(async () => {
    await twin?.stop();
  }, 120_000);

  it("GIVEN b1-c1's trays (4,320 in the plan) WHEN the mix settles THEN ≥ 95 % of its GPUs are in use, 100 % of required-topology pods in one domain", () => {
    // The twin registered every tray of the plan, with the GPUs the plan gives them.
    expect(report.nodes).toBe(cluster.nodes);
    expect(report.gpus).toBe(cluster.gpus);
    expect(cluster.nodes).toBeGreaterThanOrEqual(4000);
    expect(report.summary.gpuUtilisation).toBeGreaterThanOrEqual(0.95);
    expect(report.summary.shareInRequiredDomain).toBe(1);
    expect(report.summary.unexpected).toEqual([]);
    expect(report.summary.problems).toEqual([]);
  });
});
