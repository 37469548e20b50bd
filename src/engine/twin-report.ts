/** What one twin run measured: written as twin-report.json and printed as a table. */
export interface TwinJobResult {
  readonly name: string;
  readonly tenant: string;
  readonly phase: string;
  readonly shape: string;
  readonly gpus: number;
  readonly pods: number;
  readonly priorityClass: string;
  readonly required: string | undefined;
  readonly expected: "admitted" | "waiting";
  /** Admitted when the run settled (an evicted job that waits again is not). */
  readonly admitted: boolean;
  /** Kueue evicted it (preempted) during the run. */
  readonly evicted: boolean;
  readonly podsBound: number;
  /** Distinct values of the required level's label on the nodes its pods are bound to. */
  readonly requiredDomains: readonly string[];
  readonly secondsToAdmit: number | undefined;
  /** From admission to the last pod bound to a node. */
  readonly secondsToSchedule: number | undefined;
  /** The reason Kueue gives for a job that waits. */
  readonly pendingMessage: string | undefined;
}

export interface TwinTimings {
  readonly controlPlaneUpSeconds: number;
  readonly nodesReadySeconds: number;
  readonly kueueUpSeconds: number;
  readonly stackAppliedSeconds: number;
  readonly allPodsBoundSeconds: number;
  readonly totalSeconds: number;
}

export interface TwinReport {
  readonly environment: string;
  readonly cluster: string;
  readonly nodes: number;
  readonly gpus: number;
  readonly timings: TwinTimings;
  readonly jobs: readonly TwinJobResult[];
  readonly summary: {
    readonly jobsAdmitted: number;
    readonly jobsWaiting: number;
    readonly podsPlaced: number;
    readonly requiredTopologyPods: number;
    readonly requiredTopologyPodsInOneDomain: number;
    /** requiredTopologyPodsInOneDomain / requiredTopologyPods: must be 1. */
    readonly shareInRequiredDomain: number;
    readonly gpusInUse: number;
    readonly gpuUtilisation: number;
    /** Fill phase: pods bound per second from the first submission to the last pod bound. */
    readonly podsPerSecond: number;
    readonly secondsToAdmitMedian: number | undefined;
    readonly secondsToAdmitMax: number | undefined;
    readonly secondsToScheduleMedian: number | undefined;
    readonly secondsToScheduleMax: number | undefined;
    /** Job groups (phase, tenant, shape) admitted in other numbers than the mix expected, and a preemptor that evicted nothing. */
    readonly unexpected: readonly string[];
    /** Phases that did not settle in time, and what they still waited for. */
    readonly problems: readonly string[];
  };
}

const median = (values: readonly number[]) => {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const max = (values: readonly number[]) => (values.length === 0 ? undefined : Math.max(...values));

export function summarise(
  base: Pick<TwinReport, "environment" | "cluster" | "nodes" | "gpus" | "timings">,
  jobs: readonly TwinJobResult[],
  fillPodsPerSecond: number,
  problems: readonly string[] = [],
): TwinReport {
  const admitted = jobs.filter((j) => j.admitted);
  const required = admitted.filter((j) => j.required !== undefined);
  const requiredPods = required.reduce((n, j) => n + j.pods, 0);
  const inOne = required.filter((j) => j.requiredDomains.length === 1 && j.podsBound === j.pods);
  const inOnePods = inOne.reduce((n, j) => n + j.pods, 0);
  const gpusInUse = admitted.reduce((n, j) => n + (j.podsBound * j.gpus) / j.pods, 0);
  const admitTimes = jobs.flatMap((j) => (j.secondsToAdmit === undefined ? [] : [j.secondsToAdmit]));
  const scheduleTimes = jobs.flatMap((j) => (j.secondsToSchedule === undefined ? [] : [j.secondsToSchedule]));
  return {
    ...base,
    jobs,
    summary: {
      jobsAdmitted: admitted.length,
      jobsWaiting: jobs.length - admitted.length,
      podsPlaced: jobs.reduce((n, j) => n + j.podsBound, 0),
      requiredTopologyPods: requiredPods,
      requiredTopologyPodsInOneDomain: inOnePods,
      shareInRequiredDomain: requiredPods === 0 ? 0 : inOnePods / requiredPods,
      gpusInUse,
      gpuUtilisation: base.gpus === 0 ? 0 : gpusInUse / base.gpus,
      podsPerSecond: fillPodsPerSecond,
      secondsToAdmitMedian: median(admitTimes),
      secondsToAdmitMax: max(admitTimes),
      secondsToScheduleMedian: median(scheduleTimes),
      secondsToScheduleMax: max(scheduleTimes),
      unexpected: [
        ...countMismatches(jobs),
        ...jobs
          .filter((j) => j.phase === "preempt" && !jobs.some((other) => other.evicted))
          .map((j) => `${j.name} (admitted without evicting a job)`),
      ],
      problems,
    },
  };
}

/**
 * Jobs of one phase, tenant and shape are alike and submitted together, so Kueue may admit any of
 * them first: what must match is how many were admitted (a fill job evicted by the preemptor
 * counts as admitted).
 */
function countMismatches(jobs: readonly TwinJobResult[]): string[] {
  const groups = new Map<string, TwinJobResult[]>();
  for (const job of jobs) {
    const key = `${job.phase} ${job.tenant} ${job.shape}`;
    groups.set(key, [...(groups.get(key) ?? []), job]);
  }
  return [...groups].flatMap(([key, group]) => {
    const expected = group.filter((j) => j.expected === "admitted").length;
    const admitted = group.filter((j) => j.admitted || (j.evicted && j.phase === "fill")).length;
    return expected === admitted ? [] : [`${key}: ${admitted} of ${group.length} admitted, expected ${expected}`];
  });
}

const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
const secs = (value: number | undefined) => (value === undefined ? "-" : `${value.toFixed(1)} s`);

/** The table the twin prints: one line per phase and shape, then the summary and timings. */
export function twinTable(report: TwinReport): string {
  const groups = new Map<string, TwinJobResult[]>();
  for (const job of report.jobs) {
    const key = `${job.phase}|${job.tenant}|${job.shape}`;
    groups.set(key, [...(groups.get(key) ?? []), job]);
  }
  const rows = [
    ["phase", "tenant", "job shape", "jobs", "admitted", "waiting", "evicted", "pods bound", "in 1 domain"],
  ];
  for (const [key, jobs] of groups) {
    const [phase = "", tenant = "", shape = ""] = key.split("|");
    const admitted = jobs.filter((j) => j.admitted);
    const required = admitted.filter((j) => j.required);
    rows.push([
      phase,
      tenant,
      shape,
      String(jobs.length),
      String(admitted.length),
      String(jobs.length - admitted.length),
      String(jobs.filter((j) => j.evicted).length),
      String(jobs.reduce((n, j) => n + j.podsBound, 0)),
      required.length === 0
        ? "-"
        : `${required.filter((j) => j.requiredDomains.length === 1).length}/${required.length}`,
    ]);
  }
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length))) ?? [];
  const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join("  ");
  const s = report.summary;
  const t = report.timings;
  return [
    `twin ${report.environment}/${report.cluster}: ${report.nodes} nodes, ${report.gpus} GPUs`,
    line(rows[0] ?? []),
    ...rows.slice(1).map(line),
    "",
    `jobs admitted ${s.jobsAdmitted}, waiting ${s.jobsWaiting}; pods placed ${s.podsPlaced}`,
    `required-topology pods inside one domain: ${s.requiredTopologyPodsInOneDomain}/${s.requiredTopologyPods} (${pct(s.shareInRequiredDomain)})`,
    `GPU utilisation ${pct(s.gpuUtilisation)} (${s.gpusInUse} of ${report.gpus})`,
    `time to admit: median ${secs(s.secondsToAdmitMedian)}, max ${secs(s.secondsToAdmitMax)}; ` +
      `to schedule: median ${secs(s.secondsToScheduleMedian)}, max ${secs(s.secondsToScheduleMax)}; ${s.podsPerSecond.toFixed(1)} pods/s`,
    `control plane up ${secs(t.controlPlaneUpSeconds)}, nodes Ready ${secs(t.nodesReadySeconds)}, Kueue up ${secs(t.kueueUpSeconds)}, ` +
      `stack applied ${secs(t.stackAppliedSeconds)}, all pods bound ${secs(t.allPodsBoundSeconds)}; total ${secs(t.totalSeconds)}`,
    s.unexpected.length === 0 ? "every job did what the mix expected" : `UNEXPECTED: ${s.unexpected.join(", ")}`,
    ...s.problems.map((p) => `PROBLEM: ${p}`),
  ].join("\n");
}
