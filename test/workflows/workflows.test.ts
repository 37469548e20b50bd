import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { toolchainVersions } from "../../src/engine/twin-toolchain.js";
import { ROOT } from "../fixtures/environments.js";

/**
 * The GitHub workflows: actions on the majors that run on the Node 24 action runtime (GitHub moved
 * runners off Node 20; each action's release notes for these majors say "runs on node24"), a
 * supported Node.js, and a pull request's code never run with a write token.
 */
const DIR = join(ROOT, ".github", "workflows");
interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly jobs: Record<string, { readonly steps: readonly Step[] }>;
}
const workflows = new Map(
  readdirSync(DIR)
    .filter((f) => f.endsWith(".yml"))
    .map((f) => [f, parse(readFileSync(join(DIR, f), "utf8")) as Workflow]),
);
const steps = (w: Workflow | undefined) => Object.values(w?.jobs ?? {}).flatMap((j) => j.steps);

const NODE24_MAJORS: Readonly<Record<string, number>> = {
  "actions/checkout": 5,
  "actions/setup-node": 5,
  "actions/setup-go": 6,
  "actions/cache": 5,
  "actions/upload-artifact": 5,
  "actions/download-artifact": 6,
  "actions/github-script": 8,
};

describe(".github/workflows", () => {
  it("GIVEN every step that uses an action THEN it is a known action at a Node 24 major or newer", () => {
    const uses = [...workflows.values()].flatMap(steps).flatMap((s) => (s.uses ? [s.uses] : []));
    expect(uses.length).toBeGreaterThan(5);
    for (const use of uses) {
      const [action, ref] = use.split("@");
      const minimum = NODE24_MAJORS[action ?? ""];
      expect(minimum, `${use}: not in the reviewed list`).toBeDefined();
      expect(Number(/^v(\d+)/.exec(ref ?? "")?.[1]), use).toBeGreaterThanOrEqual(minimum ?? Number.POSITIVE_INFINITY);
    }
  });

  it("GIVEN setup-node THEN Node.js is 22 or 24 (20 is end-of-life)", () => {
    const versions = [...workflows.values()]
      .flatMap(steps)
      .filter((s) => s.uses?.startsWith("actions/setup-node@"))
      .map((s) => String(s.with?.["node-version"]));
    expect(versions.length).toBeGreaterThan(0);
    for (const version of versions) expect(["22", "24"]).toContain(version);
  });

  it("GIVEN CI THEN the toolchain cache is keyed by the bootstrap's pinned versions", () => {
    const cache = steps(workflows.get("ci.yml")).find((s) => s.uses?.startsWith("actions/cache@"));
    expect(cache?.with?.path).toBe("~/.cache/gpu-campus");
    expect(String(cache?.with?.key)).toContain("hashFiles('scripts/toolchain-versions.env'");
  });

  it("GIVEN the PR diff (it runs the PR's code, forks included) THEN its token can only read, and it posts nothing", () => {
    const diff = workflows.get("pr-diff.yml");
    expect(Object.keys(diff?.on ?? {})).toEqual(["pull_request"]);
    expect(diff?.permissions).toEqual({ contents: "read" });
    expect(steps(diff).some((s) => s.uses?.startsWith("actions/github-script@"))).toBe(false);
  });

  it("GIVEN the comment poster (it holds a write token) THEN it runs on workflow_run and checks out no code", () => {
    const comment = workflows.get("pr-comment.yml");
    expect(comment?.on).toEqual({ workflow_run: { workflows: ["PR diff"], types: ["completed"] } });
    expect(steps(comment).some((s) => s.uses?.startsWith("actions/checkout@"))).toBe(false);
    expect(steps(comment).some((s) => s.run !== undefined)).toBe(false);
    const script = String(steps(comment).find((s) => s.uses?.startsWith("actions/github-script@"))?.with?.script);
    expect(script).toContain("review.headSha !== process.env.HEAD_SHA");
    expect(script).toContain("gpu-campus/destroy");
  });

  // actionlint (github.com/rhysd/actionlint) at the version scripts/toolchain-versions.env pins,
  // in the toolchain cache, where .ci/run installs it:
  //   GOBIN=~/.cache/gpu-campus/actionlint-<version>/bin go install github.com/rhysd/actionlint/cmd/actionlint@<version>
  const version = toolchainVersions(ROOT).ACTIONLINT_VERSION;
  const cache = process.env.GPU_CAMPUS_CACHE ?? join(homedir(), ".cache", "gpu-campus");
  const actionlint = join(cache, `actionlint-${version}`, "bin", "actionlint");
  if (!existsSync(actionlint)) process.stdout.write(`not run: actionlint: ${actionlint} is not built\n`);
  it.skipIf(!existsSync(actionlint))("GIVEN actionlint THEN every workflow is clean", () => {
    const run = spawnSync(
      actionlint,
      readdirSync(DIR).map((f) => join(DIR, f)),
      { encoding: "utf8" },
    );
    expect(run.stdout + run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
