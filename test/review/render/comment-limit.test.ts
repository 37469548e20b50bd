import { describe, expect, it } from "vitest";
import { fitComment } from "../../../src/review/render/comment-limit.js";
import { GITHUB_COMMENT_LIMIT } from "../../../src/review/render/render-markdown.js";
import { report, resource, stack } from "../report-fixtures.js";

/** A stack whose section is about `rows` table rows long, unique so sections are not shared. */
function bigStack(name: string, rows: number, action: "update" | "delete" = "update") {
  const attributes = Array.from({ length: rows }, (_, i) => ({
    path: `data.key${i}`,
    before: `${name}-${i}`,
    after: "x",
  }));
  return stack(name, [resource({ action, attributes, address: `kubernetes_config_map_v1.${name}` })]);
}

describe("fitComment", () => {
  it("GIVEN a report that fits WHEN fitted into a comment THEN it is returned unchanged", () => {
    const fitted = fitComment(report([bigStack("a", 5)]), "full.md");
    expect(fitted.shortened).toBe(false);
    expect(fitted.markdown).not.toContain("comment limit");
  });

  it("GIVEN a report far past the limit, its last stack destroying WHEN fitted into a comment THEN it is shortened to the limit, says where the full one is, and keeps destroys first", () => {
    // GIVEN 60 stacks of ~100 rows each (far past 65,536 characters), the last one destroying
    const stacks = Array.from({ length: 60 }, (_, i) => bigStack(`stack-${String(i).padStart(2, "0")}`, 100));
    stacks.push(bigStack("stack-zz-destroys", 3, "delete"));
    // WHEN fitted into a comment
    const fitted = fitComment(report(stacks), "`review/diff-full.md`");
    // THEN it is within GitHub's limit, names the full report, and the destroying stack is shown
    expect(fitted.shortened).toBe(true);
    expect(fitted.fullLength).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    expect(fitted.markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(fitted.markdown).toContain("The full report: `review/diff-full.md`");
    expect(fitted.markdown).toContain("<code>stack-zz-destroys</code> · changed");
    // AND the summary table still lists every stack
    expect(fitted.markdown).toContain("| <code>stack-59</code> |");
  });
});
