import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readSynthOutput } from "../../../src/review/read/synth-output.js";

function write(dir: string, file: string, value: unknown) {
  mkdirSync(join(dir, file, ".."), { recursive: true });
  writeFileSync(join(dir, file), JSON.stringify(value));
}

describe("readSynthOutput", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("GIVEN a cdktf output with manifest.json WHEN read THEN the stacks are found through the manifest and the capacity summaries per environment", () => {
    dir = mkdtempSync(join(tmpdir(), "gpu-campus-out-"));
    write(dir, "manifest.json", { stacks: { "kind-c1": { synthesizedStackPath: "stacks/kind-c1/cdk.tf.json" } } });
    write(dir, "stacks/kind-c1/cdk.tf.json", { resource: {} });
    write(dir, "stacks/stale/cdk.tf.json", { resource: {} });
    write(dir, "environments/kind/capacity.json", { environment: "kind" });
    const output = readSynthOutput(dir);
    expect([...output.stacks.keys()]).toEqual(["kind-c1"]);
    expect([...output.capacity.keys()]).toEqual(["kind"]);
  });

  it("GIVEN a cdktf output without a manifest WHEN read THEN it falls back to stacks/*/cdk.tf.json, and a directory that is neither is refused", () => {
    dir = mkdtempSync(join(tmpdir(), "gpu-campus-out-"));
    write(dir, "stacks/a/cdk.tf.json", {});
    expect([...readSynthOutput(dir).stacks.keys()]).toEqual(["a"]);
    rmSync(join(dir, "stacks"), { recursive: true });
    expect(() => readSynthOutput(dir)).toThrow(/has neither manifest.json nor stacks\/: not a cdktf output/);
  });

  it("GIVEN a stack file that is not JSON WHEN read THEN the error names the file", () => {
    dir = mkdtempSync(join(tmpdir(), "gpu-campus-out-"));
    mkdirSync(join(dir, "stacks", "a"), { recursive: true });
    writeFileSync(join(dir, "stacks", "a", "cdk.tf.json"), "{ not json");
    expect(() => readSynthOutput(dir)).toThrow(/cannot read .*stacks\/a\/cdk.tf.json/);
  });
});
