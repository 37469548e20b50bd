import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { environmentJsonSchema } from "../../src/model/json-schema.js";
import { ROOT } from "../fixtures/environments.js";

describe("the editor JSON Schema", () => {
  it("GIVEN the zod schema THEN schema/environment.schema.json is up to date (run npm run schema)", () => {
    const committed = JSON.parse(readFileSync(join(ROOT, "schema/environment.schema.json"), "utf8"));
    expect(committed).toEqual(environmentJsonSchema());
  });

  it("GIVEN the JSON Schema THEN unknown keys are refused and required fields listed, as the loader does", () => {
    const schema = environmentJsonSchema() as { additionalProperties: boolean; required: string[] };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(["name", "campus", "buildings", "clusters", "backend"]));
  });
});
