import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { gpuSkuIds } from "../../src/catalog/gpu-skus.js";
import { switchModelIds } from "../../src/catalog/switches.js";
import { environmentJsonSchema } from "../../src/model/json-schema.js";
import { EnvironmentSchema } from "../../src/model/schema.js";
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

type JsonSchema = { readonly [key: string]: unknown };

/** Every property schema in the tree, with its path. */
function properties(schema: unknown, path = "$"): { path: string; schema: JsonSchema }[] {
  if (schema === null || typeof schema !== "object") return [];
  const node = schema as JsonSchema;
  const own = Object.entries((node.properties ?? {}) as Record<string, JsonSchema>).map(([key, value]) => ({
    path: `${path}.${key}`,
    schema: value,
  }));
  const children = Object.entries(node).flatMap(([key, value]) =>
    Array.isArray(value)
      ? value.flatMap((v, i) => properties(v, `${path}.${key}[${i}]`))
      : properties(value, key === "properties" ? path : `${path}.${key}`),
  );
  return [...own, ...children.filter((c) => c.path !== path)];
}

describe("the editor JSON Schema's content", () => {
  const schema = environmentJsonSchema();

  it("GIVEN every property of the schema THEN each has a description", () => {
    const all = properties(schema);
    expect(all.length).toBeGreaterThan(60);
    expect(all.filter((p) => typeof p.schema.description !== "string").map((p) => p.path)).toEqual([]);
  });

  it("GIVEN the catalog THEN the SKU and switch fields list its ids as enums", () => {
    const pool = properties(schema).find((p) => p.path.endsWith(".pools.items.sku"));
    const fabricSwitch = properties(schema).find((p) => p.path.endsWith(".compute.switch"));
    expect(pool?.schema.enum).toEqual(gpuSkuIds());
    expect(fabricSwitch?.schema.enum).toEqual(switchModelIds());
  });
});

/**
 * Where JSON Schema and zod may disagree, and why; every other fixture must get the same verdict
 * from both.
 */
const EXCEPTIONS: Readonly<Record<string, string>> = {
  "unknown-sku.yaml":
    "the JSON Schema lists the catalog's SKUs as an enum for editors; zod takes any string so the reference check can answer with the catalog's list",
  "unknown-switch.yaml": "as unknown-sku.yaml, for the catalog's switches",
};

describe("the JSON Schema and zod on every fixture", () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(environmentJsonSchema());
  const dirs = [join(ROOT, "environments"), join(ROOT, "test/fixtures/bad-environments")];
  const files = dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => ({ name: f, path: join(dir, f) })),
  );
  // Files that are not YAML data at all (syntax errors, refused tags or aliases) have no verdict to compare.
  const documents = files.flatMap(({ name, path }) => {
    const document = parseDocument(readFileSync(path, "utf8"), { uniqueKeys: true });
    if (document.errors.length > 0 || document.warnings.length > 0) return [];
    try {
      return [{ name, data: document.toJS({ maxAliasCount: 100 }) as unknown }];
    } catch {
      return [];
    }
  });

  it("GIVEN the fixtures THEN most of them are YAML data to compare, and every listed exception exists", () => {
    expect(documents.length).toBeGreaterThan(70);
    for (const name of Object.keys(EXCEPTIONS)) expect(documents.map((d) => d.name)).toContain(name);
  });

  it.each(documents)(
    "GIVEN $name THEN ajv and zod agree, or the disagreement is a listed exception",
    ({ name, data }) => {
      const zodOk = EnvironmentSchema.safeParse(data).success;
      const ajvOk = validate(data);
      const why = EXCEPTIONS[name];
      if (why === undefined) {
        expect({ ajv: ajvOk, zod: zodOk }, JSON.stringify(validate.errors?.slice(0, 3))).toEqual({
          ajv: zodOk,
          zod: zodOk,
        });
      } else {
        expect(ajvOk, `listed exception no longer disagrees: ${why}`).not.toBe(zodOk);
      }
    },
  );
});
