import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kindNodeImage } from "../../src/catalog/kind-node-images.js";
import { environmentData, ROOT } from "../fixtures/environments.js";

// A PATH with bash and coreutils but none of kind, kubectl, docker: what a fresh laptop has.
const bin = mkdtempSync(join(tmpdir(), "gpu-campus-path-"));
for (const tool of ["bash", "sed", "head", "dirname", "env"]) symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
afterAll(() => rmSync(bin, { recursive: true, force: true }));

describe.each(["kind-up.sh", "kind-down.sh"])("scripts/%s", (script) => {
  it("GIVEN no kind, kubectl or docker on PATH THEN it names all three and exits 1 before doing anything", () => {
    const run = spawnSync("/usr/bin/bash", [join(ROOT, "scripts", script)], {
      env: { PATH: bin, HOME: bin },
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("kind: missing kind kubectl docker");
  });
});

/**
 * Stubs of kind, docker, kubectl and `npx cdktf` that write each call's argv (tab-separated) to a
 * log and answer what the scripts ask; every other `npx` goes to the real one, so the synth is real.
 * Each stub's behaviour is switched by a variable: DOCKER_INFO_EXIT, KIND_CLUSTERS (names `kind get
 * clusters` prints), KUBECTL_WORKERS (how many workers `kubectl get nodes` lists), CDKTF_EXIT.
 */
// Each script runs one real synth of the kind environment (about 2 s of CPU; more wall time on a busy machine).
const SYNTH_TIMEOUT_MS = 120_000;
const sandbox = mkdtempSync(join(tmpdir(), "gpu-campus-kind-stubs-"));
const stubs = join(sandbox, "bin");
const log = join(sandbox, "calls.log");
const outdir = join(sandbox, "cdktf.out");
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

function stub(name: string, body: string): void {
  const file = join(stubs, name);
  writeFileSync(
    file,
    `#!/usr/bin/bash\n{ printf '%s' ${name}; printf '\\t%s' "$@"; printf '\\n'; } >> "$STUB_LOG"\n${body}\n`,
  );
  chmodSync(file, 0o755);
}

beforeAll(() => {
  mkdirSync(stubs, { recursive: true });
  const realNpx = spawnSync("bash", ["-c", "command -v npx"], { encoding: "utf8" }).stdout.trim();
  stub("docker", 'exit "$DOCKER_INFO_EXIT"');
  stub("kind", 'if [[ "$1 $2" == "get clusters" ]]; then printf "%s\\n" $KIND_CLUSTERS; fi');
  stub(
    "kubectl",
    `if [[ " $* " == *" get nodes "* ]]; then
  for ((i = 1; i <= KUBECTL_WORKERS; i++)); do if ((i == 1)); then echo gpu-campus-worker; else echo "gpu-campus-worker$i"; fi; done
fi`,
  );
  stub("npx", `if [[ "$1" == cdktf ]]; then exit "$CDKTF_EXIT"; fi\nexec ${realNpx} "$@"`);
});

function runScript(script: string, variables: Record<string, string>) {
  writeFileSync(log, "");
  const run = spawnSync("bash", [join(ROOT, "scripts", script)], {
    env: {
      ...process.env,
      PATH: `${stubs}${delimiter}${process.env.PATH ?? ""}`,
      STUB_LOG: log,
      CDKTF_OUTDIR: outdir,
      DOCKER_INFO_EXIT: "0",
      KIND_CLUSTERS: "",
      KUBECTL_WORKERS: "0",
      CDKTF_EXIT: "0",
      ...variables,
    },
    encoding: "utf8",
  });
  const calls = readFileSync(log, "utf8")
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("npx\ttsx"))
    .map((line) => line.split("\t"));
  return { ...run, calls };
}

const nodeRecords = () =>
  readFileSync(join(outdir, "environments", "kind", "nodes", "c1.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { capacity: Record<string, string> });

describe("scripts/kind-up.sh against stub kind, docker, kubectl and cdktf", () => {
  const kubernetesVersion = environmentData("kind").clusters.kubernetesVersion;
  let up: ReturnType<typeof runScript>;
  beforeAll(() => {
    up = runScript("kind-up.sh", { KUBECTL_WORKERS: "4" });
  }, SYNTH_TIMEOUT_MS);

  it("GIVEN no cluster yet WHEN kind:up runs THEN it synthesizes kind once, creates the cluster from the generated config and exits 0", () => {
    expect(up.stderr).not.toContain("is also used");
    expect(up.status, up.stderr).toBe(0);
    expect(up.calls.slice(0, 3)).toEqual([
      ["docker", "info"],
      ["kind", "get", "clusters"],
      ["kind", "create", "cluster", "--config", join(outdir, "environments", "kind", "kind-config.yaml")],
    ]);
  });

  it("GIVEN the kind environment's Kubernetes version THEN every node of the generated config runs the pinned kindest/node image, digest included", () => {
    const pinned = kindNodeImage(kubernetesVersion);
    expect(pinned?.image).toMatch(
      new RegExp(`^kindest/node:v${kubernetesVersion.replace(".", "\\.")}\\.\\d+@sha256:[0-9a-f]{64}$`),
    );
    const config = readFileSync(join(outdir, "environments", "kind", "kind-config.yaml"), "utf8");
    const images = [...config.matchAll(/^ *image: (.+)$/gm)].map((m) => m[1]);
    expect(images).toHaveLength(nodeRecords().length + 1);
    expect(new Set(images)).toEqual(new Set([pinned?.image]));
    expect(up.stdout).toContain(`node image: ${pinned?.image}`);
  });

  it("GIVEN no cluster yet WHEN kind:up runs THEN it installs the CRDs, advertises each node record's GPUs on its worker and deploys kind-c1 from the same output", () => {
    const context = ["--context", "kind-gpu-campus"];
    // The real Kueue and Multus CRDs, from the bootstrap's cache (GPU_CAMPUS_KUEUE_CRDS, GPU_CAMPUS_MULTUS_CRDS).
    const crds = up.calls.find((c) => c[0] === "kubectl" && c[3] === "apply");
    expect(crds?.slice(0, 6)).toEqual(["kubectl", ...context, "apply", "--server-side", "--field-manager=gpu-campus"]);
    expect(crds?.filter((a) => /crds-[^/]+\/(kueue|multus)$/.test(a))).toHaveLength(2);
    const patches = up.calls.filter((c) => c[0] === "kubectl" && c[3] === "patch");
    const records = nodeRecords();
    expect(patches).toHaveLength(records.length);
    patches.forEach((patch, i) => {
      expect(patch[5]).toBe(i === 0 ? "gpu-campus-worker" : `gpu-campus-worker${i + 1}`);
      expect(patch.at(-1)).toContain(`"value":"${records[i]?.capacity["nvidia.com/gpu"]}"`);
    });
    expect(up.calls.at(-1)).toEqual(["npx", "cdktf", "deploy", "kind-c1", "--auto-approve", "--output", outdir]);
  });

  it("GIVEN docker answers no engine THEN it says so, exits 1 and calls neither kind nor cdktf", () => {
    const run = runScript("kind-up.sh", { DOCKER_INFO_EXIT: "1" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("no Docker engine answers");
    expect(run.calls).toEqual([["docker", "info"]]);
  });
});

describe("scripts/kind-down.sh against stub kind, docker, kubectl and cdktf", () => {
  const state = join(sandbox, "terraform.kind-c1.tfstate");
  let down: ReturnType<typeof runScript>;
  beforeAll(() => {
    writeFileSync(state, "{}");
    writeFileSync(`${state}.backup`, "{}");
    down = runScript("kind-down.sh", { CDKTF_EXIT: "1" });
  }, SYNTH_TIMEOUT_MS);

  it("GIVEN cdktf destroy refuses (prevent_destroy volumes) WHEN kind:down runs THEN it warns that the volumes' data goes with the cluster", () => {
    expect(down.stderr).not.toContain("is also used");
    expect(down.stderr).toContain("deleting kind cluster gpu-campus deletes those volumes and their data with it");
  });

  it("GIVEN the same WHEN kind:down runs THEN it destroys kind-c1 from the synthesized output, deletes the cluster, removes the local state and exits 0", () => {
    expect(down.status, down.stderr).toBe(0);
    expect(down.calls).toEqual([
      ["npx", "cdktf", "destroy", "kind-c1", "--auto-approve", "--output", outdir],
      ["kind", "delete", "cluster", "--name", "gpu-campus"],
    ]);
    expect(existsSync(state)).toBe(false);
    expect(existsSync(`${state}.backup`)).toBe(false);
  });
});
