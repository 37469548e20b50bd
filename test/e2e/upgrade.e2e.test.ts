import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadToolchain } from "../../src/engine/toolchain.js";
import { synthesizeRef } from "../../src/review/cli/synth-ref.js";
import { resourceDestroyWarnings } from "../../src/review/diff/destroy-risk.js";
import { diffSynthOutputs } from "../../src/review/diff/synth-diff.js";
import type { DestroyWarning, ResourceChange } from "../../src/review/model.js";
import { parsePlanJson, planStack } from "../../src/review/read/plan-json.js";
import { readSynthOutput, type SynthOutput } from "../../src/review/read/synth-output.js";
import { reportFigure, timed } from "./support/figures.js";
import { StackUnderTest, type TerraformJson, TestCluster } from "./support/stack-under-test.js";
import { upgradeBase } from "./support/suites.js";
import { ROOT } from "./support/synth.js";

/**
 * An upgrade as an operator runs it: the stack as synthesized at a base commit applied first (in a
 * temporary git worktree, src/review/cli/synth-ref.ts), then this commit's planned and applied over
 * its state. OpenTofu's plan (`tofu show -json`) may replace or destroy a data-holding volume or a
 * namespace only where the review tool (diffSynthOutputs, reading the two synths) flagged it too:
 * the two verdicts are compared. The default base is the commit before the Kueue objects moved
 * from stack/fabric/* to stack/kueue/* (support/suites.ts), so the plan must show moves.
 * A control case then makes the review tool flag a claim's replacement, so that the comparison
 * is seen to catch a real destroy and not only agree on none.
 */
const SUITE = "upgrade";
const STACK = "staging-stg-c1";
const BASE = upgradeBase();
const tools = loadToolchain(ROOT);
const headDir = inject("synthDir");
const cluster = new TestCluster(tools);
const sut = new StackUnderTest(tools, { synthDir: headDir, stack: STACK, cluster });
let base: Awaited<ReturnType<typeof synthesizeRef>>;
let baseOutput: SynthOutput;
let headOutput: SynthOutput;

beforeAll(async () => {
  [base] = await Promise.all([
    timed(SUITE, `synth of ${BASE} (staging)`, () => synthesizeRef(ROOT, BASE, { synthArgs: ["--env", "staging"] })),
    timed(SUITE, "control plane, CRDs, nodes, init", async () => {
      await cluster.start();
      await sut.start();
    }),
  ]);
  baseOutput = readSynthOutput(base.dir);
  headOutput = readSynthOutput(headDir);
}, 300_000);

afterAll(async () => {
  await cluster.stop();
  sut.stop();
  await base?.cleanup();
}, 120_000);

/** `kind address action`: one data-holding volume or namespace lost, comparable across the two tools. */
const verdicts = (warnings: readonly DestroyWarning[]) =>
  warnings
    .filter((w) => w.stack === STACK)
    .map((w) => `${w.kind} ${w.address ?? "(stack)"} ${w.action}`)
    .sort();

async function tofuPlan(): Promise<{ exitCode: number; resources: readonly ResourceChange[]; raw: unknown }> {
  const { exitCode, plan } = await sut.tofu.planJson(sut.dir);
  return { exitCode, resources: planStack(STACK, parsePlanJson(plan, `${STACK} plan`)).resources, raw: plan };
}

function uids(): Record<string, string> {
  const listed = sut.kubectl.json<{ items: { kind: string; metadata: { name: string; uid: string } }[] }>([
    "get",
    "topologies.kueue.x-k8s.io,resourceflavors.kueue.x-k8s.io",
  ]);
  return Object.fromEntries(listed.items.map((i) => [`${i.kind}/${i.metadata.name}`, i.metadata.uid]));
}

describe(`an upgrade of ${STACK} from ${BASE} to this commit`, () => {
  let uidsBefore: Record<string, string>;

  it(`GIVEN ${STACK} as synthesized at ${BASE} applied WHEN this commit's is planned THEN the Kueue objects move, and OpenTofu and the review tool agree on every data-holding volume or namespace replaced or destroyed`, async () => {
    sut.useConfigFrom(base.dir);
    await timed(SUITE, `apply at ${BASE}`, () => sut.tofu.must(sut.dir, ["apply", "-auto-approve", "-no-color"]));
    uidsBefore = uids();
    expect(Object.keys(uidsBefore).length).toBeGreaterThan(0);

    sut.useConfigFrom(headDir);
    const plan = await timed(SUITE, "plan of this commit", () => tofuPlan());
    const review = diffSynthOutputs(baseOutput, headOutput, { before: BASE, after: "this commit" });
    expect(verdicts(resourceDestroyWarnings(STACK, plan.resources))).toEqual(verdicts(review.destroys));

    // Every `moved` block of this commit is a move in OpenTofu's plan: same object, new address.
    const moves = (sut.config().moved ?? []) as { from: string; to: string }[];
    const changes = (
      plan.raw as { resource_changes: { address: string; previous_address?: string; change: { actions: string[] } }[] }
    ).resource_changes;
    for (const { from, to } of moves) {
      const change = changes.find((c) => c.address === to);
      expect(change?.previous_address, to).toBe(from);
      expect(["no-op", "update"], to).toContain(change?.change.actions.join(","));
      expect(
        changes.find((c) => c.address === from),
        from,
      ).toBeUndefined();
    }
    const count = (action: string) => plan.resources.filter((r) => r.action === action).length;
    reportFigure(SUITE, "moved", moves.length, "resources");
    for (const action of ["create", "update", "replace", "delete"])
      reportFigure(SUITE, action, count(action), "resources");
  });

  it("GIVEN this commit's plan WHEN applied THEN the moved objects keep their identity (same uid) and a new plan has no changes", async () => {
    await timed(SUITE, "apply of this commit", () => sut.tofu.must(sut.dir, ["apply", "-auto-approve", "-no-color"]));
    expect(uids()).toEqual(uidsBefore);
    const again = await sut.tofu.run(sut.dir, ["plan", "-detailed-exitcode", "-no-color"]);
    expect(again.code, again.stdout.slice(-4000) + again.stderr).toBe(0);
  });

  it("GIVEN a change that replaces a dataset claim (access mode edited, protection lifted) THEN OpenTofu and the review tool both flag exactly that claim; with the protection kept, OpenTofu refuses to plan", async () => {
    const head = sut.config();
    const claims = head.resource.kubernetes_persistent_volume_claim_v1 ?? {};
    const [claimName, claim] = Object.entries(claims)[0] ?? [];
    if (!claimName || !claim) throw new Error(`${STACK} has no volume claims`);
    const address = `kubernetes_persistent_volume_claim_v1.${claimName}`;
    const edited = (prevent_destroy: boolean): TerraformJson => {
      const copy = structuredClone(head);
      const body = copy.resource.kubernetes_persistent_volume_claim_v1?.[claimName] as {
        spec: { access_modes: string[] };
        lifecycle: { prevent_destroy: boolean };
      };
      body.spec.access_modes = ["ReadWriteOnce"];
      body.lifecycle = { prevent_destroy };
      return copy;
    };

    const lifted = edited(false);
    const review = diffSynthOutputs(headOutput, withStack(headOutput, lifted), {
      before: "this commit",
      after: "edited",
    });
    expect(verdicts(review.destroys)).toEqual([`data-volume ${address} replace`]);
    sut.writeConfig(lifted);
    const plan = await tofuPlan();
    expect(verdicts(resourceDestroyWarnings(STACK, plan.resources))).toEqual(verdicts(review.destroys));

    sut.writeConfig(edited(true));
    const refused = await sut.tofu.run(sut.dir, ["plan", "-no-color"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/Instance cannot be destroyed/);
    expect(refused.stderr).toContain(address);

    sut.useConfigFrom(headDir);
    const unchanged = await sut.tofu.run(sut.dir, ["plan", "-detailed-exitcode", "-no-color"]);
    expect(unchanged.code, "nothing of the control case was applied").toBe(0);
  });
});

/** `output` with one stack's cdk.tf.json replaced (the backend is not part of what the review compares). */
function withStack(output: SynthOutput, json: TerraformJson): SynthOutput {
  const original = output.stacks.get(STACK) as TerraformJson;
  const stacks = new Map(output.stacks);
  stacks.set(STACK, { ...json, terraform: original.terraform });
  return { ...output, stacks };
}
