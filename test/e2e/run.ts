/**
 * npm run test:e2e [-- --require-provider] [suite file or name filters…]
 *
 * Runs the real-engine suites the way a new user or CI would: builds what is missing of the
 * toolchain (scripts/bootstrap-toolchain.sh, which also finds the kubernetes provider: a binary
 * named by GPU_CAMPUS_KUBERNETES_PROVIDER_BIN, the cached mirror, or the public registry), then
 * runs every suite that can run here. A suite that cannot is not handed to vitest (so it can never
 * show as passed or skipped-and-green): it gets one "not run: <suite>: <reason>" line instead.
 * `--require-provider` (or GPU_CAMPUS_REQUIRE_PROVIDER=1) makes a missing provider a failure.
 * Ends with a summary: each suite ran (passed/failed) or did not (why), its time, and the figures
 * the suites measured.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { loadControlPlaneToolchain, loadProviderSource, providerRequired } from "../../src/engine/toolchain.js";
import { SUITES, upgradeBase } from "./support/suites.js";
import { ROOT } from "./support/synth.js";

const started = performance.now();
const args = process.argv.slice(2);
const requireProvider = args.includes("--require-provider") || providerRequired();
const filters = args.filter((a) => a !== "--require-provider");

const log = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const files = readdirSync(join(ROOT, "test/e2e"))
  .filter((f) => f.endsWith(".e2e.test.ts"))
  .map((f) => `test/e2e/${f}`)
  .sort();
const unlisted = files.filter((f) => !SUITES[f]);
if (unlisted.length > 0) {
  fail(`${unlisted.join(", ")}: not listed in test/e2e/support/suites.ts (say what each suite needs)`);
}
const selected = filters.length === 0 ? files : files.filter((f) => filters.some((filter) => f.includes(filter)));
if (selected.length === 0) fail(`no e2e suite matches ${filters.join(" ")} (suites: ${files.join(", ")})`);
const needsProvider = selected.some((f) => SUITES[f]?.provider);
const needsTwin = selected.some((f) => SUITES[f]?.twin);

// The toolchain. Without a provider the bootstrap exits non-zero after building everything else:
// what is there is read back below, and only a missing control plane stops the run here.
const bootstrap = spawnSync(
  "bash",
  [
    join(ROOT, "scripts/bootstrap-toolchain.sh"),
    ...(needsProvider ? [] : ["--without-provider"]),
    ...(needsTwin ? ["--with-twin"] : []),
  ],
  { stdio: ["ignore", "ignore", "inherit"] },
);
try {
  loadControlPlaneToolchain(ROOT);
} catch (error) {
  fail(`${(error as Error).message}\n(scripts/bootstrap-toolchain.sh exited ${bootstrap.status})`);
}
const provider = needsProvider ? loadProviderSource(ROOT) : undefined;

const notRun = new Map<string, string>();
for (const file of selected) {
  const needs = SUITES[file];
  if (needs?.provider && provider?.kind === "missing") notRun.set(file, provider.reason);
  else if (needs?.upgradeBase && !hasCommit(upgradeBase())) {
    notRun.set(
      file,
      `the upgrade base ${upgradeBase()} is not a commit of this clone (a shallow clone? fetch it, or name another with GPU_CAMPUS_UPGRADE_BASE)`,
    );
  }
}
if (provider) {
  log(
    `e2e: kubernetes provider: ${provider.kind === "missing" ? "none" : provider.kind === "mirror" ? "the bootstrap's filesystem mirror" : "the public registry (ordinary tofu init)"}`,
  );
}
for (const [file, reason] of notRun) log(`not run: ${file}: ${reason}`);
if (requireProvider && provider?.kind === "missing") {
  fail(`--require-provider: the provider suites cannot run: ${provider.reason}`);
}

const toRun = selected.filter((f) => !notRun.has(f));
const work = mkdtempSync(join(tmpdir(), "gpu-campus-e2e-run-"));
const resultsFile = join(work, "results.json");
const figuresFile = join(work, "figures.jsonl");
let status = 0;
if (toRun.length > 0) {
  const vitest = spawnSync(
    join(ROOT, "node_modules/.bin/vitest"),
    [
      "run",
      "-c",
      "vitest.e2e.config.ts",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${resultsFile}`,
      ...toRun,
    ],
    { cwd: ROOT, stdio: "inherit", env: { ...process.env, GPU_CAMPUS_E2E_FIGURES: figuresFile } },
  );
  status = vitest.status ?? 1;
}
summary();
rmSync(work, { recursive: true, force: true });
process.exit(status);

function summary(): void {
  const results = existsSync(resultsFile)
    ? (JSON.parse(readFileSync(resultsFile, "utf8")) as { testResults: { name: string; status: string }[] })
    : { testResults: [] };
  const byFile = new Map(results.testResults.map((r) => [relative(ROOT, r.name), r.status]));
  const figures = existsSync(figuresFile)
    ? readFileSync(figuresFile, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { suite: string; label: string; value: number; unit: string })
    : [];
  // Each suite's wall time, its hooks included (support/suite-timer.ts).
  const wall = new Map(figures.filter((f) => f.suite === "suite").map((f) => [f.label, f.value]));
  const width = Math.max(...selected.map((f) => f.length));
  log("");
  log(`e2e summary: ${toRun.length} of ${selected.length} suites ran, ${seconds(performance.now() - started)} in all`);
  // Each reason once, numbered: the suites without a provider share one long reason.
  const reasons = [...new Set(notRun.values())];
  for (const file of selected) {
    const reason = notRun.get(file);
    const result = byFile.get(file);
    const time = wall.get(file);
    if (reason) log(`  not run  ${file.padEnd(width)}  (${reasons.indexOf(reason) + 1})`);
    else if (result)
      log(`  ${result.padEnd(7)}  ${file.padEnd(width)}  ${time === undefined ? "" : `${time.toFixed(1)} s`}`);
    else log(`  no result ${file.padEnd(width)}  (vitest reported nothing: see its output above)`);
  }
  for (const [i, reason] of reasons.entries()) log(`  (${i + 1}) not run: ${reason}`);
  const measured = figures.filter((f) => f.suite !== "suite");
  if (measured.length === 0) return;
  log("  figures:");
  for (const { suite, label, value, unit } of measured) {
    log(`    [${suite}] ${label}: ${unit === "s" ? value.toFixed(1) : value} ${unit}`);
  }
}

function hasCommit(ref: string): boolean {
  return spawnSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: ROOT }).status === 0;
}

function fail(message: string): never {
  process.stderr.write(`e2e: ${message}\n`);
  process.exit(1);
}
