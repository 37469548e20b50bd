import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { POLICY_RULES } from "../../src/policy/rules/index.js";
import { ROOT } from "../fixtures/environments.js";

describe("the README's policy section", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("\n## Policy pack");
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end);

  it("GIVEN the README WHEN read THEN it has a policy pack section", () => {
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
  });

  it.each(POLICY_RULES.map((rule) => [rule.id, rule]))(
    "GIVEN %s WHEN the rule table is read THEN its row names it and its first source",
    (_, rule) => {
      const row = section.split("\n").find((line) => line.startsWith(`| ${rule.id} |`));
      expect(row, `no table row for ${rule.id}`).toBeDefined();
      expect(row).toContain(`\`${rule.name}\``);
      expect(row).toContain(rule.sources[0]?.url ?? "");
    },
  );
});
