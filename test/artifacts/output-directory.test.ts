import { spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import {
  OUTPUT_INDEX,
  REMOVED_STACKS,
  type StagedOutputOptions,
  withStagedOutput,
  writeAll,
} from "../../src/artifacts/output-directory.js";

const scratch = mkdtempSync(join(tmpdir(), "gpu-campus-output-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let target = "";
let trial = 0;
beforeEach(() => {
  target = join(scratch, `t${trial++}`, "cdktf.out");
});

/** What a synth writes: a manifest, a stack directory per stack and an environment directory per environment. */
function synthOf(stacks: Record<string, string>, text = "v1") {
  return (staging: string) => {
    writeFileSync(join(staging, "manifest.json"), JSON.stringify(Object.keys(stacks)));
    for (const [stack, environment] of Object.entries(stacks)) {
      mkdirSync(join(staging, "stacks", stack), { recursive: true });
      writeFileSync(join(staging, "stacks", stack, "cdk.tf.json"), `${stack} ${text}`);
      mkdirSync(join(staging, "environments", environment), { recursive: true });
      writeFileSync(join(staging, "environments", environment, "capacity.json"), `${environment} ${text}`);
    }
  };
}

function options(stacks: Record<string, string>, complete = false): StagedOutputOptions {
  return {
    stackEnvironments: new Map(Object.entries(stacks)),
    complete,
    warn: (m) => warnings.push(m),
    lockWaitSeconds: 0,
  };
}
const warnings: string[] = [];

function run(stacks: Record<string, string>, opts: { complete?: boolean; text?: string } = {}) {
  withStagedOutput(target, options(stacks, opts.complete), synthOf(stacks, opts.text));
}

const beside = () => readdirSync(join(target, "..")).filter((e) => e !== "cdktf.out");
const read = (path: string) => readFileSync(join(target, path), "utf8");

describe("withStagedOutput", () => {
  it("GIVEN a narrowed synth WHEN it runs after another environment's THEN both environments' output is there and the index names each stack's environment", () => {
    run({ "a-c1": "a" });
    run({ "b-c1": "b" });
    expect(readdirSync(join(target, "stacks")).sort()).toEqual(["a-c1", "b-c1"]);
    expect(read("environments/a/capacity.json")).toBe("a v1");
    expect(JSON.parse(read(OUTPUT_INDEX)).stacks).toEqual({ "a-c1": "a", "b-c1": "b" });
    expect(beside()).toEqual([]);
  });

  it("GIVEN a complete synth WHEN an environment is no longer in it THEN its stacks and artifacts are dropped", () => {
    run({ "a-c1": "a" });
    run({ "b-c1": "b" }, { complete: true });
    expect(readdirSync(join(target, "stacks"))).toEqual(["b-c1"]);
    expect(readdirSync(join(target, "environments"))).toEqual(["b"]);
  });

  it("GIVEN a cluster removed from an environment WHEN it is synthesized again THEN the stale stack goes and Terraform's working files of the kept one stay", () => {
    run({ "a-c1": "a", "a-c2": "a" });
    mkdirSync(join(target, "stacks/a-c1/.terraform/providers"), { recursive: true });
    writeFileSync(join(target, "stacks/a-c1/.terraform/providers/p"), "provider");
    writeFileSync(join(target, "stacks/a-c1/.terraform.lock.hcl"), "lock");
    run({ "a-c1": "a" }, { text: "v2" });
    expect(readdirSync(join(target, "stacks"))).toEqual(["a-c1"]);
    expect(read("stacks/a-c1/cdk.tf.json")).toBe("a-c1 v2");
    expect(read("stacks/a-c1/.terraform/providers/p")).toBe("provider");
    expect(read("stacks/a-c1/.terraform.lock.hcl")).toBe("lock");
  });

  it("GIVEN a removed cluster's stack holding Terraform state WHEN synthesized again THEN it is kept under removed-stacks with a warning", () => {
    run({ "a-c1": "a", "a-c2": "a" });
    writeFileSync(join(target, "stacks/a-c2/terraform.a-c2.tfstate"), "{}");
    warnings.length = 0;
    run({ "a-c1": "a" });
    expect(readdirSync(join(target, "stacks"))).toEqual(["a-c1"]);
    expect(read(`${REMOVED_STACKS}/a-c2/terraform.a-c2.tfstate`)).toBe("{}");
    expect(warnings.join("\n")).toContain(
      "stack a-c2 is no longer produced by environment a but holds Terraform state",
    );
  });

  it("GIVEN a write that fails WHEN synthesizing THEN the previous output is untouched and nothing is left beside it", () => {
    run({ "a-c1": "a" });
    const before = read("stacks/a-c1/cdk.tf.json");
    expect(() =>
      withStagedOutput(target, options({ "a-c1": "a" }), (staging) => {
        synthOf({ "a-c1": "a" }, "v2")(staging);
        throw new Error("policy violation");
      }),
    ).toThrow("policy violation");
    expect(read("stacks/a-c1/cdk.tf.json")).toBe(before);
    expect(beside()).toEqual([]);
  });

  it("GIVEN the lock held by a live process WHEN a synth starts THEN it refuses, naming the holder, and writes nothing", () => {
    run({ "a-c1": "a" });
    writeFileSync(`${target}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), since: "then" }));
    expect(() => run({ "b-c1": "b" })).toThrow(
      new RegExp(
        `another synth is writing .*cdktf\\.out \\(pid ${process.pid} on ${hostname()}, since then\\); waited 0 s`,
      ),
    );
    expect(readdirSync(join(target, "stacks"))).toEqual(["a-c1"]);
    rmSync(`${target}.lock`);
  });

  it("GIVEN a lock and staging left by a killed synth WHEN the next synth starts THEN it breaks the lock, sweeps the staging and succeeds", () => {
    run({ "a-c1": "a" });
    const dead = spawnSync("true").pid;
    writeFileSync(`${target}.lock`, JSON.stringify({ pid: dead, host: hostname(), since: "then" }));
    mkdirSync(`${target}.staging-${dead}-abc/stacks`, { recursive: true });
    run({ "b-c1": "b" });
    expect(beside()).toEqual([]);
    expect(readdirSync(join(target, "stacks")).sort()).toEqual(["a-c1", "b-c1"]);
  });

  it("GIVEN a synth killed between the two renames of its swap WHEN the next synth starts THEN the previous tree is restored from .old first", () => {
    run({ "a-c1": "a" });
    const parent = join(target, "..");
    const old = join(parent, "cdktf.out.old-1-x");
    spawnSync("mv", [target, old]);
    expect(existsSync(target)).toBe(false);
    run({ "b-c1": "b" });
    expect(readdirSync(join(target, "stacks")).sort()).toEqual(["a-c1", "b-c1"]);
    expect(beside()).toEqual([]);
  });
});

describe("writeAll", () => {
  const hasDevFull = existsSync("/dev/full");
  if (!hasDevFull) console.log("writeAll ENOSPC case skipped: this machine has no /dev/full");
  it.skipIf(!hasDevFull)(
    "GIVEN a device that is always full WHEN written THEN it throws instead of returning short",
    () => {
      const fd = openSync("/dev/full", "w");
      try {
        expect(() => writeAll(fd, Buffer.from("x".repeat(1 << 16)))).toThrow(/ENOSPC/);
      } finally {
        closeSync(fd);
      }
    },
  );

  it("GIVEN a regular file WHEN written THEN every byte is there", () => {
    const path = join(scratch, "all.bin");
    const fd = openSync(path, "w");
    writeAll(fd, Buffer.alloc(3 << 20, 7));
    closeSync(fd);
    expect(statSync(path).size).toBe(3 << 20);
  });
});
