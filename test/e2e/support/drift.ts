import { expect, it } from "vitest";
import { parsePlanJson, planStack } from "../../../src/review/read/plan-json.js";
import { GPU_RESOURCE } from "../../../src/vocabulary/labels.js";
import { reportFigure, timed } from "./figures.js";
import { managedObjects } from "./live-objects.js";
import type { StackUnderTest } from "./stack-under-test.js";

/**
 * Drift: objects of an applied stack changed behind OpenTofu's back with kubectl — a tenant's
 * ResourceQuota lowered to 1 GPU, a label of the device plugin DaemonSet overwritten. The next
 * plan must show exactly those two changes (nothing else, with the live and the planned value),
 * and applying it must put the objects back. Registers one test on the applied `sut`.
 */
const QUOTA_KEY = `requests.${GPU_RESOURCE}`;
const DRIFTED_LABEL = "app.kubernetes.io/component";

export function driftTest(suite: string, sut: StackUnderTest): void {
  it("GIVEN a quota's GPU limit and a DaemonSet label changed with kubectl WHEN planned THEN exactly those two changes, and apply restores them", async () => {
    const state = JSON.parse((await sut.tofu.must(sut.dir, ["show", "-json", "-no-color"])).stdout);
    const objects = managedObjects(state);
    const quota = objects.find((o) => o.kind === "ResourceQuota");
    const daemonSet = objects.find((o) => o.kind === "DaemonSet");
    if (!quota?.namespace || !daemonSet?.namespace) throw new Error(`${sut.stack}: no tenant quota or device plugin`);
    const hard = () =>
      sut.kubectl.json<{ spec: { hard: Record<string, string> } }>([
        "get",
        "resourcequota",
        quota.name,
        "-n",
        quota.namespace ?? "",
      ]).spec.hard[QUOTA_KEY];
    const label = () =>
      sut.kubectl.json<{ metadata: { labels: Record<string, string> } }>([
        "get",
        "daemonset",
        daemonSet.name,
        "-n",
        daemonSet.namespace ?? "",
      ]).metadata.labels[DRIFTED_LABEL];
    const plannedGpus = hard();
    const plannedLabel = label();
    expect(plannedGpus).toMatch(/^[1-9]\d*$/);
    expect(plannedGpus).not.toBe("1");
    expect(plannedLabel).toBe(daemonSet.labels[DRIFTED_LABEL]);

    const patch = { spec: { hard: { [QUOTA_KEY]: "1" } } };
    sut.kubectl.run([
      "patch",
      "resourcequota",
      quota.name,
      "-n",
      quota.namespace,
      "--type=merge",
      "-p",
      JSON.stringify(patch),
    ]);
    sut.kubectl.run([
      "label",
      "daemonset",
      daemonSet.name,
      "-n",
      daemonSet.namespace,
      `${DRIFTED_LABEL}=drifted`,
      "--overwrite",
    ]);
    expect([hard(), label()]).toEqual(["1", "drifted"]);

    const { exitCode, plan } = await timed(suite, `${sut.stack} plan with drift`, () => sut.tofu.planJson(sut.dir));
    expect(exitCode).toBe(2);
    const parsed = parsePlanJson(plan, `${sut.stack} plan`);
    const changes = planStack(sut.stack, parsed)
      .resources.map((r) => ({
        address: r.address,
        action: r.action,
        attributes: r.attributes.map((a) => ({ path: a.path, before: a.before, after: a.after })),
      }))
      .sort((a, b) => a.address.localeCompare(b.address));
    expect(changes).toEqual(
      [
        {
          address: quota.address,
          action: "update",
          attributes: [{ path: `spec[0].hard["${QUOTA_KEY}"]`, before: "1", after: plannedGpus }],
        },
        {
          address: daemonSet.address,
          action: "update",
          attributes: [{ path: `metadata[0].labels["${DRIFTED_LABEL}"]`, before: "drifted", after: plannedLabel }],
        },
      ].sort((a, b) => a.address.localeCompare(b.address)),
    );
    // OpenTofu's refresh saw exactly those two fields changed outside it. Its resource_drift also
    // lists every object whose refresh turned an unset attribute into an empty one (null → {} or
    // []) and server-kept resource versions: those are not changes, and are left out here.
    const drifted = parsed.resource_drift.flatMap((d) =>
      changedPaths(d.change.before, d.change.after).map((path) => `${d.address} ${path}`),
    );
    expect(drifted.sort()).toEqual(
      [`${quota.address} spec.0.hard.${QUOTA_KEY}`, `${daemonSet.address} metadata.0.labels.${DRIFTED_LABEL}`].sort(),
    );
    reportFigure(
      suite,
      `${sut.stack} resource_drift entries (most only null → empty normalisations)`,
      parsed.resource_drift.length,
      "resources",
    );

    await timed(suite, `${sut.stack} apply restoring the drift`, () =>
      sut.tofu.must(sut.dir, ["apply", "-auto-approve", "-no-color", "tfplan"]),
    );
    expect([hard(), label()]).toEqual([plannedGpus, plannedLabel]);
    const again = await sut.tofu.run(sut.dir, ["plan", "-detailed-exitcode", "-no-color"]);
    expect(again.code, again.stdout.slice(-4000) + again.stderr).toBe(0);
  });
}

/**
 * Leaf paths where `before` and `after` differ, treating unset and empty (null, {}, []) as equal
 * and leaving out metadata.resource_version, which the API server changes on every write.
 */
function changedPaths(before: unknown, after: unknown, path: readonly string[] = []): string[] {
  const empty = (v: unknown) =>
    v === null ||
    v === undefined ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === "object" && Object.keys(v as object).length === 0);
  if (path.at(-1) === "resource_version") return [];
  if (empty(before) && empty(after)) return [];
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => changedPaths(b, after[i], [...path, String(i)]));
  }
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => changedPaths(before[k], after[k], [...path, k]));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [path.join(".")];
}
