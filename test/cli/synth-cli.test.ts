import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { environmentData, ROOT } from "../fixtures/environments.js";

const work = mkdtempSync(join(tmpdir(), "gpu-campus-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function synth(args: string[], outdir: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "main.ts"), ...args], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1", ...env },
    encoding: "utf8",
  });
}

describe("the synth CLI", () => {
  it("GIVEN the kind environment and no Terraform binary WHEN synthesized THEN one stack and the artifacts, with kind's workers labelled as the node registration says", () => {
    const outdir = join(work, "kind-out");
    // The synth needs no terraform or tofu binary, even with moved blocks in the stack.
    const run = synth(["--env", "kind"], outdir, { TERRAFORM_BINARY_NAME: join(work, "no-terraform-here") });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^kind\s+2\s+1\s+16\s+4\s/m);
    expect(readdirSync(join(outdir, "stacks"))).toEqual(["kind-c1"]);
    const capacity = JSON.parse(readFileSync(join(outdir, "environments/kind/capacity.json"), "utf8"));
    expect(capacity.totals).toMatchObject({ gpus: 16, nodes: 4, racks: 2, clusters: 1 });
    const records = readFileSync(join(outdir, "environments/kind/nodes/c1.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(records).toHaveLength(4);
    expect(records[0].capacity["nvidia.com/gpu"]).toBe("4");
    const kind = parse(readFileSync(join(outdir, "environments/kind/kind-config.yaml"), "utf8"));
    expect(kind).toMatchObject({ kind: "Cluster", apiVersion: "kind.x-k8s.io/v1alpha4", name: "gpu-campus" });
    const workers = kind.nodes.filter((n: { role: string }) => n.role === "worker");
    expect(workers.map((w: { labels: unknown }) => w.labels)).toEqual(records.map((r) => r.labels));
  });

  it("GIVEN a broken environment file WHEN synthesized THEN every error, exit 1, and nothing written", () => {
    const data = environmentData("staging");
    data.name = "broken";
    data.clusters.maxPodsPerNode = 250;
    const first = data.buildings[0];
    if (!first?.pools[0]) throw new Error("fixture");
    first.pools[0].sku = "h100-sxm";
    const file = join(work, "broken.yaml");
    writeFileSync(file, stringify(data));
    const outdir = join(work, "broken-out");
    const run = synth(["--environment-file", file], outdir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("gpu-campus: 2 error(s); nothing was written.");
    expect(run.stderr).toMatch(/broken\.yaml:\d+:\d+: buildings\[0\]\.pools\[0\]\.sku: unknown SKU "h100-sxm"/);
    expect(run.stderr).toMatch(
      /broken\.yaml:\d+:\d+: clusters\.maxPodsPerNode: 250 pods per node exceeds Kubernetes' limit of 110 by 140/,
    );
    expect(existsSync(outdir)).toBe(false);
    expect(readdirSync(work).filter((f) => f.includes("partial"))).toEqual([]);
  });

  it("GIVEN an unknown environment name THEN a clear error and exit 1", () => {
    const run = synth(["--env", "qa"], join(work, "qa-out"));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('no environment "qa"');
    expect(run.stderr).toContain("have: kind, production, staging");
  });

  it("GIVEN a full synth WHEN one environment is synthesized again THEN only its stacks and artifacts are replaced", () => {
    const outdir = join(work, "narrowed-out");
    expect(synth(["--env", "kind", "--env", "staging"], outdir).status).toBe(0);
    const staleMarker = join(outdir, "environments/kind/stale.txt");
    writeFileSync(staleMarker, "from the first synth");
    expect(synth(["--env", "kind"], outdir).status).toBe(0);
    expect(existsSync(staleMarker)).toBe(false);
    expect(existsSync(join(outdir, "environments/staging/capacity.json"))).toBe(true);
    expect(existsSync(join(outdir, "stacks/staging-stg-c1/cdk.tf.json"))).toBe(true);
    expect(Object.keys(JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")).stacks)).toEqual(["kind-c1"]);
  });

  // diff's usage is also tested with its options in test/review/cli/diff.test.ts.
  it.each(["main.ts", "scripts/report.ts", "scripts/plan-report.ts", "scripts/bench.ts"])(
    "GIVEN %s --help WHEN run THEN its usage on stdout, exit 0, nothing else done",
    (command) => {
      const run = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, command), "--help"], {
        cwd: ROOT,
        env: { ...process.env, CDKTF_OUTDIR: join(work, "help-out"), CHECKPOINT_DISABLE: "1" },
        encoding: "utf8",
        timeout: 30_000,
      });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^usage: npm run /);
      expect(existsSync(join(work, "help-out"))).toBe(false);
    },
  );

  // Every rejected command line is tested in-process (test/model/input-hardening.test.ts); this is the exit path.
  it.each([[["staging"], 'unexpected argument "staging"']])(
    "GIVEN synth %j WHEN run THEN a usage error, exit 2, nothing synthesized",
    (args, message) => {
      const outdir = join(work, "usage-out");
      const run = synth(args, outdir);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.stderr).toContain("usage: npm run synth");
      expect(existsSync(outdir)).toBe(false);
    },
  );

  it("GIVEN GPU_CAMPUS_ENV_FILES of /dev/zero and a FIFO WHEN synthesized THEN both are refused at once, exit 1", () => {
    const fifo = join(work, "env.fifo");
    execFileSync("mkfifo", [fifo]);
    const run = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "main.ts")], {
      cwd: ROOT,
      env: { ...process.env, CDKTF_OUTDIR: join(work, "dev-out"), GPU_CAMPUS_ENV_FILES: `/dev/zero,${fifo}` },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("/dev/zero:1:1: (document): cannot read the file: it is a device");
    expect(run.stderr).toContain("env.fifo:1:1: (document): cannot read the file: it is a FIFO");
  });
});
