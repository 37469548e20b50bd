import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { formatEnvironmentError } from "../../src/model/environment-error.js";
import { parseSelection, UsageError } from "../../src/model/environment-selection.js";
import { loadEnvironmentFile, MAX_ENVIRONMENT_FILE_BYTES } from "../../src/model/load-environment.js";
import { loadEnvironments, planEnvironmentText } from "../../stacks/load-environments.js";
import { environmentData, plannedData } from "../fixtures/environments.js";
import { synthCluster } from "../fixtures/stacks.js";

const scratch = mkdtempSync(join(tmpdir(), "gpu-campus-input-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const errorsOf = (data: unknown) => {
  const result = planEnvironmentText(stringify(data), "test.yaml");
  return result.ok ? [] : result.errors.map(formatEnvironmentError);
};

describe("the command line", () => {
  it.each([
    [["staging"], /unexpected argument "staging"/],
    [["-e", "staging"], /Unknown option '-e'/],
    [["--env", ""], /--env has an empty name/],
    [["--env", "a,,b"], /--env has an empty name/],
    [["--env"], /argument missing/],
    [["--environment-file", ""], /--environment-file needs a path/],
    [["--env-file", "x.yaml"], /--env-file is now --environment-file/],
    [["--verbose"], /Unknown option '--verbose'/],
  ])("GIVEN %j WHEN parsed THEN a usage error: %s", (argv, message) => {
    expect(() => parseSelection(argv, {})).toThrow(UsageError);
    expect(() => parseSelection(argv, {})).toThrow(message);
  });

  it("GIVEN --env twice, a comma list and --environment-file WHEN parsed THEN all of them, in order", () => {
    expect(parseSelection(["--env", "kind", "--env=staging,production", "--environment-file", "x.yaml"], {})).toEqual({
      names: ["kind", "staging", "production"],
      extraFiles: ["x.yaml"],
      help: false,
    });
  });

  it("GIVEN -h WHEN parsed THEN help is asked for", () => {
    expect(parseSelection(["-h"], {}).help).toBe(true);
  });

  it("GIVEN GPU_CAMPUS_ENVIRONMENTS with an empty item WHEN parsed THEN a usage error; an empty variable selects nothing", () => {
    expect(() => parseSelection([], { GPU_CAMPUS_ENVIRONMENTS: "kind," })).toThrow(
      /GPU_CAMPUS_ENVIRONMENTS has an empty name/,
    );
    expect(parseSelection([], { GPU_CAMPUS_ENVIRONMENTS: "" }).names).toBeUndefined();
  });
});

describe("reading an environment file", () => {
  it.each([
    ["/dev/zero", "it is a device"],
    ["/tmp", "it is a directory"],
  ])("GIVEN %s WHEN loaded THEN it is refused before reading: %s", (path, message) => {
    const result = loadEnvironmentFile(path);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message).toContain(message);
  });

  it("GIVEN a file over the 1 MiB cap WHEN loaded THEN the size, the limit and by how much", () => {
    const file = join(scratch, "big.yaml");
    writeFileSync(file, `description: "${"x".repeat(MAX_ENVIRONMENT_FILE_BYTES)}"\n`);
    const result = loadEnvironmentFile(file);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors[0]?.message).toBe("the file is 1,048,592 bytes, over the 1,048,576-byte limit by 16");
    }
  });
});

describe("terminal safety", () => {
  it("GIVEN a key holding an ANSI escape and a newline WHEN reported THEN the error is one line without raw control characters", () => {
    const data = environmentData("staging") as unknown as Record<string, unknown>;
    data["\u001b[2J\nenvironments/production.yaml:1:1: name: forged"] = 1;
    const errors = errorsOf(data);
    expect(errors).toHaveLength(1);
    const [line] = errors;
    expect([...(line ?? "")].filter((c) => c.charCodeAt(0) < 0x20)).toEqual([]);
    expect(line).toContain("\\u001b[2J\\nenvironments/production.yaml:1:1");
  });
});

describe("checks that bound size", () => {
  it("GIVEN maxPodsPerNode 250 WHEN checked THEN only the Kubernetes limit is reported, not a cluster cap per pool", () => {
    const data = environmentData("production");
    data.clusters.maxPodsPerNode = 250;
    const errors = errorsOf(data);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("clusters.maxPodsPerNode: 250 pods per node exceeds Kubernetes' limit of 110 by 140");
  });

  it("GIVEN a pool of 10^12 racks WHEN loaded THEN a located error in well under a second", () => {
    const data = environmentData("staging");
    const pool = data.buildings[0]?.pools[0];
    if (!pool) throw new Error("fixture");
    pool.racks = 1e12;
    const start = performance.now();
    const errors = errorsOf(data);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(errors.join("\n")).toMatch(
      /^test\.yaml:\d+:\d+: buildings\[0\]\.pools\[0\]\.racks: must be at most 10,000 racks/m,
    );
  });
});

describe("paths and names across environments", () => {
  it("GIVEN an absolute backend.directory WHEN synthesized THEN the state path is that directory, not one under the repo", () => {
    const data = environmentData("kind");
    data.backend = { type: "local", directory: "/var/lib/gpu-campus/state" };
    const { json } = synthCluster(plannedData(data).loaded.spec);
    const local = (json as { terraform?: { backend?: { local?: { path?: string } } } }).terraform?.backend?.local;
    expect(local?.path).toBe("/var/lib/gpu-campus/state/terraform.kind-c1.tfstate");
  });

  it("GIVEN a relative backend.directory WHEN synthesized THEN it resolves from the project root (three levels above the stack)", () => {
    const data = environmentData("kind");
    data.backend = { type: "local", directory: "state" };
    const { json } = synthCluster(plannedData(data).loaded.spec);
    const local = (json as { terraform?: { backend?: { local?: { path?: string } } } }).terraform?.backend?.local;
    expect(local?.path).toBe("../../../state/terraform.kind-c1.tfstate");
  });

  it("GIVEN environment a-b with building x and environment a with building b-x WHEN loaded together THEN their shared stack name a-b-x-c1 is a located error", () => {
    const variant = (name: string, building: string) => {
      const data = environmentData("kind");
      data.name = name;
      data.clusters.grouping = "per-building";
      data.clusters.allowQuotaOvercommit = true;
      data.clusters.kubeconfig = { path: "~/.kube/config", contextPattern: `kind-${name}-{cluster}` };
      const first = data.buildings[0];
      if (!first) throw new Error("fixture");
      first.id = building;
      for (const tenant of data.tenants ?? []) delete tenant.buildings;
      return data;
    };
    const files = [variant("a-b", "x"), variant("a", "b-x")].map((data, i) => {
      const file = join(scratch, `collide-${i}.yaml`);
      writeFileSync(file, stringify(data));
      return file;
    });
    const result = loadEnvironments(files);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.errors.map(formatEnvironmentError).join("\n")).toMatch(
      /collide-1\.yaml:\d+:\d+: name: environment a's cluster b-x-c1 would be stack "a-b-x-c1", which environment a-b also writes/,
    );
  });
});
