/**
 * The scheduling twin: a GB200-shaped cluster on loopback with the real kube-scheduler, Kueue and
 * kwok, the cluster's stack applied with OpenTofu, and a tenant workload mix measured.
 *   npm run twin -- --env <name> --cluster <id> [--keep] [--report <path>] [--phase-timeout <s>]
 * Writes twin-report.json (or --report) and prints a table; exits 1 when a job did not do what
 * the mix expects or a required-topology pod landed outside its domain. --keep leaves the twin
 * running and prints its kubeconfig; `npm run twin:down` stops it.
 */
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { kueueModuleDir } from "../src/engine/kueue-manager.js";
import { stopTwin } from "../src/engine/scheduling-twin.js";
import { twinTable } from "../src/engine/twin-report.js";
import { runTwin, writeReport } from "../src/engine/twin-run.js";
import { kueueVersion, loadTwinToolchain } from "../src/engine/twin-toolchain.js";
import { formatEnvironmentError } from "../src/model/environment-error.js";
import { parseSelection, selectEnvironmentFiles } from "../src/model/environment-selection.js";
import { loadEnvironments } from "../stacks/load-environments.js";
import { twinRunDir } from "./twin-dirs.js";

const root = join(import.meta.dirname, "..");

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const environment = flag("--env");
  const clusterId = flag("--cluster");
  if (!environment || !clusterId) {
    process.stderr.write("usage: npm run twin -- --env <name> --cluster <id> [--keep] [--report <path>]\n");
    return 2;
  }
  const keep = process.argv.includes("--keep");
  const reportPath = resolve(flag("--report") ?? "twin-report.json");
  const phaseTimeout = Number(flag("--phase-timeout") ?? 600);
  const files = selectEnvironmentFiles(join(root, "environments"), parseSelection(["--env", environment], {}));
  const checked = loadEnvironments(files);
  if (!checked.ok) {
    for (const error of checked.errors) process.stderr.write(`${formatEnvironmentError(error)}\n`);
    return 1;
  }
  const plan = checked.environments[0]?.plan;
  const cluster = plan?.clusters.find((c) => c.id === clusterId);
  if (!plan || !cluster) {
    const known = plan?.clusters.map((c) => c.id).join(", ") ?? "none";
    process.stderr.write(`twin: environment ${environment} has no cluster "${clusterId}" (it has: ${known})\n`);
    return 1;
  }
  if (!plan.addons.kueue) {
    process.stderr.write(
      `twin: environment ${environment} does not install Kueue (addons.kueue): nothing would admit the mix\n`,
    );
    return 1;
  }
  const tools = loadTwinToolchain(root);
  const runDir = twinRunDir(root, cluster.stackName);
  rmSync(runDir, { recursive: true, force: true });
  const outdir = join(runDir, "cdktf.out");
  const log = (message: string) =>
    process.stderr.write(`[twin ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
  log(`synthesizing ${environment} into ${outdir}`);
  const synth = spawnSync(process.execPath, ["--import", "tsx", join(root, "main.ts"), "--env", environment], {
    cwd: root,
    env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
  });
  if (synth.status !== 0) {
    process.stderr.write(synth.stderr);
    return 1;
  }
  // Ctrl-C or a kill stops the twin's processes (they run in their own process groups).
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void stopTwin(runDir).finally(() => process.exit(130));
    });
  }
  const { twin, report } = await runTwin({
    tools,
    environment,
    cluster,
    outdir,
    runDir,
    kueueModule: kueueModuleDir(kueueVersion(root)),
    phaseTimeoutMs: phaseTimeout * 1000,
    log,
  });
  writeReport(reportPath, report);
  process.stdout.write(`${twinTable(report)}\nreport: ${reportPath}\n`);
  if (keep) {
    twin.detach();
    process.stdout.write(
      `the twin keeps running: export KUBECONFIG=${twin.kubeconfig.kubeconfigPath}  (stop it: npm run twin:down)\n`,
    );
  } else {
    await twin.stop();
  }
  const { summary } = report;
  const ok = summary.unexpected.length === 0 && summary.problems.length === 0 && summary.shareInRequiredDomain === 1;
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`twin: ${error.message}\n`);
    process.exit(1);
  },
);
