import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ChangeAction } from "../../../src/review/model.js";
import { parsePlanJson, planReport, planStack } from "../../../src/review/read/plan-json.js";
import { renderMarkdown } from "../../../src/review/render/render-markdown.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "plans");

function fixture(name: string) {
  const file = join(FIXTURES, `${name}.json`);
  return parsePlanJson(JSON.parse(readFileSync(file, "utf8")), file);
}

describe("planStack on real OpenTofu plans", () => {
  it.each<[string, string, ChangeAction, string | undefined]>([
    ["builtin-create", "terraform_data.created", "create", undefined],
    ["builtin-update", "terraform_data.updated", "update", undefined],
    ["builtin-delete", "terraform_data.removed", "delete", undefined],
    ["builtin-replace", "terraform_data.replaced", "replace", "destroy-before-create"],
    ["builtin-replace-cbd", "terraform_data.replaced_cbd", "replace", "create-before-destroy"],
    ["builtin-read", "data.terraform_remote_state.read", "read", undefined],
  ])("GIVEN the %s plan WHEN read THEN %s is %s", (name, address, action, order) => {
    // GIVEN a plan with one change of the action type WHEN it is read
    const stack = planStack(name, fixture(name));
    // THEN the resource carries that action (and the replacement order)
    const change = stack.resources.find((r) => r.address === address);
    expect(change?.action).toBe(action);
    expect(change?.replaceOrder).toBe(order);
  });

  it("GIVEN a plan with a no-op resource WHEN read THEN no-op resources are left out and counted", () => {
    const stack = planStack("no-op", fixture("builtin-no-op"));
    expect(stack).toMatchObject({ status: "unchanged", resources: [], unchanged: 1 });
  });

  it("GIVEN a replacement plan WHEN read THEN the attribute in replace_paths is marked as forcing the replacement", () => {
    const change = planStack("r", fixture("builtin-replace")).resources[0];
    expect(change?.attributes.filter((a) => a.forcesReplacement).map((a) => a.path)).toEqual(["triggers_replace"]);
    expect(change?.notes).toContain("replaced because a changed attribute cannot be updated in place");
  });

  it("GIVEN a plan that creates a resource WHEN read THEN values unknown until apply are shown as such", () => {
    const change = planStack("c", fixture("builtin-create")).resources[0];
    expect(change?.attributes.find((a) => a.path === "id")).toMatchObject({ unknownAfter: true });
    expect(change?.attributes.find((a) => a.path === "input.namespace")).toMatchObject({ after: "research" });
  });

  it("GIVEN a plan with sensitive values WHEN rendered THEN no value the plan marks sensitive is printed", () => {
    const markdown = renderMarkdown(planReport([{ stack: "s", plan: fixture("builtin-sensitive") }]));
    expect(markdown).toContain("(sensitive)");
    expect(markdown).not.toMatch(/old-token-value|new-token-value/);
  });

  it("GIVEN a plan with every action WHEN rendered THEN every action is shown, with the output change as a stack setting", () => {
    const report = planReport([{ stack: "all", plan: fixture("builtin-all") }]);
    const markdown = renderMarkdown(report);
    expect(markdown).toContain("| **resources** | 1 | 2 | 2 | 1 | 1 |");
    expect(markdown).toContain("**± replace (create-before-destroy)** <code>terraform_data.replaced_cbd</code>");
    expect(markdown).toContain("| <code>output.image</code> |");
    expect(report.destroys).toEqual([]);
  });
});

describe("planReport on a Kubernetes plan (hand-written fixture)", () => {
  const report = planReport([{ stack: "production-b1-c1", plan: fixture("kubernetes-handwritten") }]);
  const markdown = renderMarkdown(report);

  it("GIVEN the Kubernetes plan WHEN reported THEN the destroyed claim and the replaced class come first, loudly", () => {
    expect(report.destroys.map((d) => [d.kind, d.object])).toEqual([
      ["data-volume", "PersistentVolumeClaim research/dataset"],
    ]);
    expect(markdown.indexOf("[!CAUTION]")).toBeLessThan(markdown.indexOf("### Summary"));
    expect(markdown).toContain("PersistentVolumeClaim research/dataset would be destroyed: its data is lost");
  });

  it("GIVEN the Kubernetes plan WHEN reported THEN the StorageClass replacement shows the field that forces it", () => {
    const sc = report.stacks[0]?.resources.find((r) => r.type === "kubernetes_storage_class_v1");
    expect(sc).toMatchObject({ action: "replace", object: "StorageClass shared-fs" });
    expect(sc?.attributes.find((a) => a.forcesReplacement)).toMatchObject({
      path: "storage_provisioner",
      before: "lustre.csi.aws.com",
      after: "fsx.csi.aws.com",
    });
  });

  it("GIVEN the Kubernetes plan WHEN rendered THEN the Secret's data, which the plan flags sensitive as a whole, is masked", () => {
    expect(markdown).toContain("| <code>data</code> | <code>(sensitive)</code> | <code>(sensitive)</code> |");
    expect(markdown).not.toMatch(/b2xkLXNlY3JldA|bmV3LXNlY3JldA/);
  });
});

describe("parsePlanJson", () => {
  it("GIVEN JSON that is not a plan WHEN parsed THEN the error names the file and the field", () => {
    expect(() => parsePlanJson({ resource_changes: [] }, "x.json")).toThrow(
      /^x.json: not a `tofu show -json` plan: format_version: /,
    );
  });

  it("GIVEN a format version it does not know WHEN parsed THEN the plan is refused", () => {
    expect(() => parsePlanJson({ format_version: "2.0" }, "y.json")).toThrow(/format_version 2.0 is not 1.x/);
  });
});
