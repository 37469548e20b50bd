import { describe, expect, it } from "vitest";
import { jobManifest, type TwinJob, twinMix } from "../../src/engine/twin-mix.js";
import { summarise, type TwinJobResult } from "../../src/engine/twin-report.js";
import { LABEL } from "../../src/vocabulary/labels.js";
import { planOf } from "../fixtures/environments.js";

const staging = planOf("staging").clusters[0];
const production = planOf("production").clusters.find((c) => c.id === "b1-c1");
if (!staging || !production) throw new Error("shipped clusters missing");

const count = (jobs: readonly TwinJob[], phase: string, tenant: string, expect?: string) =>
  jobs.filter((j) => j.phase === phase && j.tenant.id === tenant && (expect === undefined || j.expect === expect))
    .length;

describe("twin mix", () => {
  it("GIVEN staging WHEN the mix is derived THEN platform-tests fills one scalable unit and borrows 4 racks (a fifth waits), inference-canary fills 36 inference jobs, waits over quota and preempts", () => {
    const { jobs, preemptor } = twinMix(staging);
    const unit = jobs.find((j) => j.shape === "scalable-unit");
    expect(unit).toMatchObject({ pods: 144, required: LABEL.scalableUnit, tenant: { id: "platform-tests" } });
    expect(count(jobs, "fill", "inference-canary")).toBe(36);
    expect(count(jobs, "borrow", "platform-tests", "admitted")).toBe(4);
    expect(count(jobs, "borrow", "platform-tests", "waiting")).toBe(1);
    expect(count(jobs, "over-quota", "inference-canary", "waiting")).toBe(1);
    expect(preemptor?.tenant.id).toBe("inference-canary");
  });

  it("GIVEN production b1-c1 WHEN the mix is derived THEN its fill asks for ≥ 95 % of the GPUs and no tenant is asked to preempt (each may borrow)", () => {
    const { jobs, preemptor } = twinMix(production);
    const fill = jobs.filter((j) => j.phase === "fill").reduce((n, j) => n + j.pods * j.gpusPerPod, 0);
    expect(fill).toBe(17_280);
    expect(fill / production.gpus).toBeGreaterThanOrEqual(0.95);
    expect(preemptor).toBeUndefined();
  });

  it("GIVEN a job WHEN written as a manifest THEN it carries the queue and priority labels and the topology annotation Kueue reads", () => {
    const job = twinMix(staging).jobs.find((j) => j.required === LABEL.nvlinkDomain);
    if (!job) throw new Error("no rack job");
    const manifest = jobManifest(job, 129, 792) as {
      metadata: { labels: Record<string, string> };
      spec: { completionMode: string; template: { metadata: { annotations: Record<string, string> } } };
    };
    expect(manifest.metadata.labels).toEqual({
      "kueue.x-k8s.io/queue-name": "gpu",
      "kueue.x-k8s.io/priority-class": "gpu-training",
    });
    expect(manifest.spec.completionMode).toBe("Indexed");
    expect(manifest.spec.template.metadata.annotations).toEqual({
      "kueue.x-k8s.io/podset-required-topology": LABEL.nvlinkDomain,
    });
  });
});

describe("twin report", () => {
  const result = (name: string, expected: "admitted" | "waiting", admitted: boolean): TwinJobResult => ({
    name,
    tenant: "t",
    phase: "borrow",
    shape: "nvlink-domain",
    gpus: 72,
    pods: 18,
    priorityClass: "gpu-training",
    required: LABEL.nvlinkDomain,
    expected,
    admitted,
    evicted: false,
    podsBound: admitted ? 18 : 0,
    requiredDomains: admitted ? ["r1"] : [],
    secondsToAdmit: admitted ? 1 : undefined,
    secondsToSchedule: admitted ? 2 : undefined,
    pendingMessage: admitted ? undefined : "insufficient unused quota",
  });
  const base = {
    environment: "e",
    cluster: "c",
    nodes: 36,
    gpus: 144,
    timings: {
      controlPlaneUpSeconds: 1,
      nodesReadySeconds: 1,
      kueueUpSeconds: 1,
      stackAppliedSeconds: 1,
      allPodsBoundSeconds: 1,
      totalSeconds: 5,
    },
  };

  it("GIVEN alike jobs admitted in another order than submitted WHEN summarised THEN nothing is unexpected; one too many admitted is", () => {
    const swapped = summarise(base, [result("a", "admitted", false), result("b", "waiting", true)], 1);
    expect(swapped.summary.unexpected).toEqual([]);
    const extra = summarise(base, [result("a", "admitted", true), result("b", "waiting", true)], 1);
    expect(extra.summary.unexpected).toEqual(["borrow t nvlink-domain: 2 of 2 admitted, expected 1"]);
  });

  it("GIVEN a required-topology job split over two domains WHEN summarised THEN the in-domain share drops below 1", () => {
    const split = { ...result("a", "admitted", true), requiredDomains: ["r1", "r2"] };
    const report = summarise(base, [split, result("b", "admitted", true)], 1);
    expect(report.summary.shareInRequiredDomain).toBe(0.5);
    expect(report.summary.gpuUtilisation).toBe(1);
  });
});
