import { describe, expect, it } from "vitest";
import { COMMENT_MARKER, renderMarkdown } from "../../../src/review/render/render-markdown.js";
import { report, resource, stack } from "../report-fixtures.js";

describe("renderMarkdown", () => {
  it("GIVEN any report WHEN rendered as Markdown THEN it starts with the marker the PR workflow finds its comment by", () => {
    expect(renderMarkdown(report([])).startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
  });

  it("GIVEN a report with a data-volume destroy WHEN rendered as Markdown THEN the destroy is listed above everything else", () => {
    const markdown = renderMarkdown(
      report([stack("production-b1-c1", [resource({ action: "delete", dataHolding: true })])], {
        destroys: [
          {
            kind: "data-volume",
            stack: "production-b1-c1",
            address: "kubernetes_persistent_volume_claim_v1.dataset",
            action: "delete",
            message: "PersistentVolumeClaim research/dataset would be destroyed: its data is lost",
          },
        ],
      }),
    );
    const caution = markdown.indexOf("> [!CAUTION]");
    expect(caution).toBeGreaterThan(0);
    expect(caution).toBeLessThan(markdown.indexOf("### Summary"));
    expect(markdown).toContain(
      "> - 🛑 **data volume** · <code>production-b1-c1</code> · <code>kubernetes_persistent_volume_claim_v1.dataset</code>: PersistentVolumeClaim research/dataset would be destroyed: its data is lost",
    );
  });

  it("GIVEN a changed stack WHEN rendered as Markdown THEN it gets a collapsible section with the attribute table", () => {
    const markdown = renderMarkdown(report([stack("production-b1-c1", [resource()])]));
    expect(markdown).toContain("<details><summary><code>production-b1-c1</code> · changed · ~1 update</summary>");
    expect(markdown).toContain(
      '| <code>data["capacity.json"] › gpus</code> | <code>16704</code> | <code>18000</code> |',
    );
  });

  it("GIVEN three stacks with identical changes WHEN rendered as Markdown THEN they share one section", () => {
    const stacks = ["production-b1-c1", "production-b1-c2", "production-b1-c3"].map((s) => stack(s, [resource()]));
    const markdown = renderMarkdown(report(stacks));
    expect(markdown.match(/<details>/g)).toHaveLength(1);
    expect(markdown).toContain("<code>production-b1-c1</code> and 2 more with the same changes");
  });

  it("GIVEN a value holding Markdown and HTML characters WHEN rendered as Markdown THEN its table cell stays intact", () => {
    const markdown = renderMarkdown(
      report([stack("s", [resource({ attributes: [{ path: "data.x", before: "a|b`c<d>", after: "e" }] })])]),
    );
    expect(markdown).toContain("<code>a&#124;b`c&lt;d&gt;</code>");
  });

  it("GIVEN a replacement forced by an attribute WHEN rendered as Markdown THEN the forcing attribute is flagged", () => {
    const markdown = renderMarkdown(
      report([
        stack("s", [
          resource({
            action: "replace",
            replaceOrder: "destroy-before-create",
            attributes: [
              {
                path: "spec.selector.match_labels.app",
                before: "a",
                after: "b",
                forcesReplacement: {
                  source: "provider",
                  text: "spec.selector cannot change in place (provider ForceNew)",
                },
              },
            ],
          }),
        ]),
      ]),
    );
    expect(markdown).toContain("**± replace (destroy-before-create)**");
    expect(markdown).toContain("⚠️ **forces replacement**: spec.selector cannot change in place (provider ForceNew)");
  });
});
