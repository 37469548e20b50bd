import { describe, expect, it } from "vitest";
import { diffStack } from "../../../src/review/diff/stack-diff.js";
import type { ReviewReport } from "../../../src/review/model.js";
import { renderMarkdown } from "../../../src/review/render/render-markdown.js";
import { renderTerminal } from "../../../src/review/render/render-terminal.js";
import { groupIdenticalStacks } from "../../../src/review/render/stack-groups.js";
import { daemonSet, stackDocument } from "../stack-fixtures.js";

/** The device plugin DaemonSet of one building's pool, at the address cdktf gives it in that stack. */
function pluginStack(building: string, image: string) {
  const body = daemonSet({ image, selector: { "app.kubernetes.io/instance": `${building}-gb200` } });
  const named = { ...body, metadata: { ...body.metadata, name: `nvidia-device-plugin-${building}-gb200` } };
  return stackDocument({ kubernetes_daemon_set_v1: { [`nvidia-device-plugin_daemonset-${building}-gb200`]: named } });
}

const OLD = "nvcr.io/nvidia/k8s-device-plugin:v0.20.0";
const NEW = "nvcr.io/nvidia/k8s-device-plugin:v0.20.1";
const buildings = ["b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9"];
// The selector and name differ per building, so only the image changes, in all nine stacks.
const stacks = buildings.map((b) => diffStack(`production-${b}-c1`, pluginStack(b, OLD), pluginStack(b, NEW)));

describe("groupIdenticalStacks", () => {
  it("GIVEN one image bump in nine stacks at addresses named after each building THEN one group of nine, flagged as differing in addresses", () => {
    const groups = groupIdenticalStacks(stacks);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.members.map((s) => s.stack)).toEqual(buildings.map((b) => `production-${b}-c1`));
    expect(groups[0]?.addressesDiffer).toBe(true);
  });

  it("GIVEN one stack bumped to a different version THEN it gets its own group", () => {
    const odd = diffStack("production-b9-c2", pluginStack("b9", OLD), pluginStack("b9", "x:v9"));
    expect(groupIdenticalStacks([...stacks, odd]).map((g) => g.members.length)).toEqual([9, 1]);
  });
});

describe("renderers with grouped stacks", () => {
  const report: ReviewReport = {
    kind: "synth-diff",
    title: "t",
    subtitle: "s",
    destroys: [],
    stacks,
    capacity: [],
    notes: [],
  };

  it("GIVEN the nine-stack bump WHEN rendered as Markdown THEN one section lists the nine stacks and shows the change once", () => {
    const markdown = renderMarkdown(report);
    expect(markdown.match(/<details>/g)).toHaveLength(1);
    expect(markdown).toContain("<code>production-b1-c1</code> and 8 more with the same changes");
    expect(markdown).toContain(`Stacks: ${buildings.map((b) => `<code>production-${b}-c1</code>`).join(", ")}`);
    expect(markdown).toContain(
      "addresses differ per stack (named after its building and pool), shown for <code>production-b1-c1</code>",
    );
    expect(markdown.split(NEW)).toHaveLength(2);
  });

  it("GIVEN the same WHEN rendered for a terminal THEN the change is printed once with the stack list", () => {
    const text = renderTerminal(report, { color: false });
    expect(text).toContain("production-b1-c1 and 8 more with the same changes");
    expect(text.split(NEW)).toHaveLength(2);
  });
});
