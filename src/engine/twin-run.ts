import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ClusterPlan } from "../plan/plan-types.js";
import { GPU_RESOURCE } from "../vocabulary/labels.js";
import { inParallel } from "./api-client.js";
import { readNodeRecords } from "./kubectl.js";
import { SchedulingTwin } from "./scheduling-twin.js";
import { Tofu } from "./tofu.js";
import { jobManifest, type TwinJob, type TwinPhase, twinMix } from "./twin-mix.js";
import { summarise, type TwinJobResult, type TwinReport } from "./twin-report.js";
import type { TwinToolchain } from "./twin-toolchain.js";

export interface TwinRunOptions {
  readonly tools: TwinToolchain;
  readonly environment: string;
  readonly cluster: ClusterPlan;
  /** The synth output holding the cluster's stack and node registration artifact. */
  readonly outdir: string;
  /** Where the twin keeps etcd, certificates, logs and pids. */
  readonly runDir: string;
  readonly kueueModule: string;
  /** Longest wait for one phase of the mix to settle. */
  readonly phaseTimeoutMs: number;
  readonly log: (message: string) => void;
}

interface Condition {
  readonly type: string;
  readonly status: string;
  readonly message?: string;
}
interface Workload {
  metadata: { namespace: string; ownerReferences?: { kind: string; name: string }[] };
  status?: { conditions?: Condition[] };
}
interface Pod {
  metadata: { namespace: string; labels?: Record<string, string>; deletionTimestamp?: string };
  spec: { nodeName?: string };
}

/** What the twin saw of one job so far. */
interface Tracked {
  readonly job: TwinJob;
  submittedAt: number;
  admittedAt: number | undefined;
  boundAt: number | undefined;
  admitted: boolean;
  evicted: boolean;
  podsBound: number;
  nodes: string[];
  pendingMessage: string | undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (from: number, to: number) => (to - from) / 1000;
const jobKey = (namespace: string, name: string) => `${namespace}/${name}`;

/** Starts the twin, applies the cluster's stack, runs the mix phase by phase and measures it. */
export async function runTwin(options: TwinRunOptions): Promise<{ twin: SchedulingTwin; report: TwinReport }> {
  const { tools, cluster, log } = options;
  const started = Date.now();
  const context = cluster.kubeconfig.context ?? cluster.stackName;
  const twin = new SchedulingTwin(tools, options.runDir, context, options.kueueModule);
  try {
    await twin.startControlPlane();
    const controlPlaneUp = Date.now();
    log(`control plane up in ${seconds(started, controlPlaneUp).toFixed(1)} s: ${twin.kubeconfig.server}`);

    const records = readNodeRecords(
      join(options.outdir, "environments", options.environment, "nodes", `${cluster.id}.jsonl`),
    );
    await twin.registerNodes(records);
    await twin.waitNodesReady(records.length, 600_000);
    const nodesReady = Date.now();
    log(`${records.length} nodes Ready in ${seconds(controlPlaneUp, nodesReady).toFixed(1)} s`);

    await twin.startKueue();
    const kueueUp = Date.now();
    log(`Kueue up in ${seconds(nodesReady, kueueUp).toFixed(1)} s`);

    await applyStack(options, twin);
    const stackApplied = Date.now();
    log(`stack ${cluster.stackName} applied in ${seconds(kueueUp, stackApplied).toFixed(1)} s`);
    await waitQueuesActive(twin, cluster);

    const nodeLabels = new Map(records.map((r) => [r.name, r.labels]));
    const mix = twinMix(cluster);
    const tracked = new Map<string, Tracked>();
    const pool = cluster.buildings[0]?.pools[0]?.pool.sku;
    // A tray's cores and memory less room for node agents: one pod per tray fits, Kueue's quota covers it.
    const cpuPerPod = Math.floor((pool?.nodeCpuCores ?? 144) * 0.9);
    const memoryPerPod = Math.floor((pool?.nodeMemoryGiB ?? 880) * 0.9);
    const problems: string[] = [];
    let fillStart = 0;
    let fillBound = 0;
    for (const phase of ["fill", "borrow", "over-quota", "preempt"] as TwinPhase[]) {
      const jobs = mix.jobs.filter((j) => j.phase === phase);
      if (jobs.length === 0) continue;
      const phaseStart = Date.now();
      if (phase === "fill") fillStart = phaseStart;
      log(`phase ${phase}: submitting ${jobs.length} jobs`);
      const submit = (batch: readonly TwinJob[]) =>
        inParallel(batch, 8, async (job) => {
          tracked.set(jobKey(job.tenant.namespace, job.name), {
            job,
            submittedAt: Date.now(),
            admittedAt: undefined,
            boundAt: undefined,
            admitted: false,
            evicted: false,
            podsBound: 0,
            nodes: [],
            pendingMessage: undefined,
          });
          await twin.api.must(
            "POST",
            `/apis/batch/v1/namespaces/${job.tenant.namespace}/jobs`,
            jobManifest(job, cpuPerPod, memoryPerPod),
          );
        });
      // Kueue takes a queue's workloads in creation order (BestEffortFIFO; creation timestamps have
      // one-second resolution), and jobs posted together arrive in no set order: the jobs meant to
      // wait go in only once the others hold their quota, so which one waits is not a race. What
      // the first batch did not do is reported by the phase's own settle below.
      const batches = [jobs.filter((j) => j.expect === "admitted"), jobs.filter((j) => j.expect !== "admitted")];
      for (const [i, batch] of batches.filter((b) => b.length > 0).entries()) {
        if (i > 0) await settle(twin, tracked, phase, undefined, options.phaseTimeoutMs);
        await submit(batch);
      }
      const problem = await settle(twin, tracked, phase, mix.preemptor, options.phaseTimeoutMs);
      if (problem) {
        problems.push(problem);
        log(problem);
      }
      if (phase === "fill") {
        fillBound = Math.max(...[...tracked.values()].map((t) => t.boundAt ?? phaseStart));
      }
      log(`phase ${phase} settled in ${seconds(phaseStart, Date.now()).toFixed(1)} s`);
    }

    const results: TwinJobResult[] = [...tracked.values()].map((t) => {
      const required = t.job.required;
      const domains = required ? [...new Set(t.nodes.map((n) => nodeLabels.get(n)?.[required] ?? "?"))] : [];
      return {
        name: t.job.name,
        tenant: t.job.tenant.id,
        phase: t.job.phase,
        shape: t.job.shape,
        gpus: t.job.pods * t.job.gpusPerPod,
        pods: t.job.pods,
        priorityClass: t.job.priorityClass,
        required,
        expected: t.job.expect,
        admitted: t.admitted,
        evicted: t.evicted,
        podsBound: t.podsBound,
        requiredDomains: domains.sort(),
        secondsToAdmit: t.admittedAt === undefined ? undefined : seconds(t.submittedAt, t.admittedAt),
        secondsToSchedule:
          t.admittedAt === undefined || t.boundAt === undefined ? undefined : seconds(t.admittedAt, t.boundAt),
        pendingMessage: t.admitted ? undefined : t.pendingMessage,
      };
    });
    const fillPods = results.filter((r) => r.phase === "fill").reduce((n, r) => n + r.podsBound, 0);
    const report = summarise(
      {
        environment: options.environment,
        cluster: cluster.id,
        nodes: records.length,
        gpus: records.reduce((n, r) => n + Number(r.capacity[GPU_RESOURCE] ?? 0), 0),
        timings: {
          controlPlaneUpSeconds: seconds(started, controlPlaneUp),
          nodesReadySeconds: seconds(controlPlaneUp, nodesReady),
          kueueUpSeconds: seconds(nodesReady, kueueUp),
          stackAppliedSeconds: seconds(kueueUp, stackApplied),
          allPodsBoundSeconds: seconds(fillStart, fillBound),
          totalSeconds: seconds(started, Date.now()),
        },
      },
      results,
      fillBound > fillStart ? fillPods / seconds(fillStart, fillBound) : 0,
      problems,
    );
    return { twin, report };
  } catch (error) {
    await twin.stop();
    throw error;
  }
}

/**
 * The cluster's stack with OpenTofu and the real kubernetes provider, pointed at the twin: in the
 * twin's own synth output, the provider gets the twin's kubeconfig and the backend becomes a
 * local state file in the run directory (never the environment's backend: staging and production
 * use S3). Nothing else of the stack changes.
 */
async function applyStack(options: TwinRunOptions, twin: SchedulingTwin): Promise<void> {
  const stackDir = join(options.outdir, "stacks", options.cluster.stackName);
  const file = join(stackDir, "cdk.tf.json");
  const stack = JSON.parse(readFileSync(file, "utf8")) as {
    provider: { kubernetes: Record<string, unknown>[] };
    terraform: Record<string, unknown>;
  };
  stack.provider.kubernetes = stack.provider.kubernetes.map((p) => ({
    ...p,
    config_path: twin.kubeconfig.kubeconfigPath,
    config_context: twin.kubeconfig.context,
  }));
  stack.terraform.backend = { local: { path: join(options.runDir, "terraform.tfstate") } };
  writeFileSync(file, JSON.stringify(stack, null, 2));
  // The twin's toolchain read --with-twin, which needs the provider's mirror and its CLI config.
  const tofu = new Tofu({
    ...options.tools,
    provider: { kind: "mirror", cliConfigFile: options.tools.TF_CLI_CONFIG_FILE },
  });
  await tofu.must(stackDir, ["init", "-no-color", "-input=false"]);
  await tofu.must(stackDir, ["apply", "-auto-approve", "-no-color", "-input=false", "-parallelism=16"]);
}

async function waitQueuesActive(twin: SchedulingTwin, cluster: ClusterPlan): Promise<void> {
  const names = cluster.tenants.map((t) => t.queue.clusterQueue);
  await twin.waitFor(`ClusterQueues ${names.join(", ")} Active`, 120_000, "kueue", async () => {
    const queues = await twin.api.list<{ metadata: { name: string }; status?: { conditions?: Condition[] } }>(
      "/apis/kueue.x-k8s.io/v1beta2/clusterqueues",
    );
    const active = queues.filter((q) => q.status?.conditions?.some((c) => c.type === "Active" && c.status === "True"));
    return names.every((n) => active.some((q) => q.metadata.name === n));
  });
}

/**
 * Polls workloads and pods until the phase is done: every job expected to run is admitted with
 * all its pods bound, the preemptor (in its phase) has evicted a job, and nothing changed for
 * 5 s (so a job that waits has had time to be admitted, and was not). Returns what it still
 * waited for at the timeout: the run goes on, and the report says what went wrong.
 */
async function settle(
  twin: SchedulingTwin,
  tracked: Map<string, Tracked>,
  phase: TwinPhase,
  preemptor: TwinJob | undefined,
  timeoutMs: number,
): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  let lastChange = Date.now();
  let lastState = "";
  while (Date.now() < deadline) {
    await observe(twin, tracked);
    const current = [...tracked.values()];
    const state = current.map((t) => `${t.admitted ? 1 : 0}${t.podsBound}`).join(",");
    if (state !== lastState) {
      lastState = state;
      lastChange = Date.now();
    }
    const inPhase = current.filter((t) => t.job.phase === phase);
    const placed = inPhase
      .filter((t) => t.job.expect === "admitted")
      .every((t) => t.admitted && t.podsBound === t.job.pods);
    const preempted = phase !== "preempt" || !preemptor || current.some((t) => t.evicted);
    if (placed && preempted && Date.now() - lastChange >= 5_000) return undefined;
    await sleep(current.reduce((n, t) => n + t.job.pods, 0) > 1_000 ? 2_000 : 500);
  }
  const late = [...tracked.values()]
    .filter((t) => t.job.phase === phase && t.job.expect === "admitted" && !(t.admitted && t.podsBound === t.job.pods))
    .map(
      (t) =>
        `${t.job.name} (admitted ${t.admitted}, ${t.podsBound}/${t.job.pods} pods bound: ${t.pendingMessage ?? ""})`,
    );
  const waitingFor = [...late.slice(0, 5), ...(phase === "preempt" ? ["an eviction"] : [])];
  return `phase ${phase} did not settle in ${timeoutMs / 1000} s; waiting for: ${waitingFor.join("; ")}`;
}

async function observe(twin: SchedulingTwin, tracked: Map<string, Tracked>): Promise<void> {
  const now = Date.now();
  // From the API server's watch cache (resourceVersion=0), bound pods only: cheap enough to poll
  // a production cluster's 4,000 pods without slowing down the components being measured.
  const [workloads, pods] = await Promise.all([
    twin.api.list<Workload>("/apis/kueue.x-k8s.io/v1beta2/workloads?resourceVersion=0"),
    twin.api.list<Pod>("/api/v1/pods?resourceVersion=0&fieldSelector=spec.nodeName%21%3D"),
  ]);
  const podsByJob = new Map<string, Pod[]>();
  for (const pod of pods) {
    const job = pod.metadata.labels?.["batch.kubernetes.io/job-name"];
    if (!job || pod.metadata.deletionTimestamp || !pod.spec.nodeName) continue;
    const key = jobKey(pod.metadata.namespace, job);
    podsByJob.set(key, [...(podsByJob.get(key) ?? []), pod]);
  }
  for (const workload of workloads) {
    const owner = workload.metadata.ownerReferences?.find((o) => o.kind === "Job");
    const entry = owner && tracked.get(jobKey(workload.metadata.namespace, owner.name));
    if (!entry) continue;
    const conditions = workload.status?.conditions ?? [];
    const admitted = conditions.some((c) => c.type === "Admitted" && c.status === "True");
    const preempted = conditions.some((c) => (c.type === "Preempted" || c.type === "Evicted") && c.status === "True");
    if (admitted && entry.admittedAt === undefined) entry.admittedAt = now;
    if ((entry.admitted && !admitted) || preempted) entry.evicted = true;
    entry.admitted = admitted;
    entry.pendingMessage = conditions.find((c) => c.type === "QuotaReserved" && c.status === "False")?.message;
  }
  for (const [key, entry] of tracked) {
    const bound = podsByJob.get(key) ?? [];
    entry.podsBound = bound.length;
    entry.nodes = bound.map((p) => p.spec.nodeName ?? "");
    if (entry.admitted && bound.length === entry.job.pods && entry.boundAt === undefined) entry.boundAt = now;
  }
}

export function writeReport(path: string, report: TwinReport): void {
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
