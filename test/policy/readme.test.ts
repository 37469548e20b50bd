import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { POLICY_RULES } from "../../src/policy/rules/index.js";
import { ROOT } from "../fixtures/environments.js";

/**
 * The lines of the `## Policy pack` section: from its heading to the next heading of level 1 or
 * 2 outside a code fence, or to the end of the file. Undefined when there is no such heading.
 */
function policySection(markdown: string): readonly string[] | undefined {
  const lines = markdown.split("\n");
  let inFence = false;
  let start: number | undefined;
  for (const [index, line] of lines.entries()) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) continue;
    if (start === undefined) {
      if (/^## Policy pack\b/.test(line)) start = index;
    } else if (/^#{1,2} /.test(line)) {
      return lines.slice(start, index);
    }
  }
  return start === undefined ? undefined : lines.slice(start);
}

describe("the policy page's rule table (docs/policy.md)", () => {
  const page = readFileSync(join(ROOT, "docs", "policy.md"), "utf8");
  const section = policySection(page) ?? [];

  it("GIVEN docs/policy.md WHEN read THEN it has a policy pack section", () => {
    expect(policySection(page)).toBeDefined();
    expect(section.length).toBeGreaterThan(1);
  });

  it.each(POLICY_RULES.map((rule) => [rule.id, rule]))(
    "GIVEN %s WHEN the rule table is read THEN its row names it and its first source",
    (_, rule) => {
      const row = section.find((line) => line.startsWith(`| ${rule.id} |`));
      expect(row, `no table row for ${rule.id}`).toBeDefined();
      expect(row).toContain(`\`${rule.name}\``);
      expect(row).toContain(rule.sources[0]?.url ?? "");
    },
  );
});
