/**
 * Writes schema/environment.schema.json from the zod schema, for editors (the YAML language
 * server reads the `$schema` comment at the top of each environment file).
 *   npm run schema          write it
 *   npm run schema -- --check   exit 1 when the committed file is stale
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { environmentJsonSchema } from "../src/model/json-schema.js";

const target = join(import.meta.dirname, "..", "schema", "environment.schema.json");
const text = `${JSON.stringify(environmentJsonSchema(), null, 2)}\n`;
if (process.argv.includes("--check")) {
  const current = readFileSync(target, "utf8");
  if (current !== text) {
    process.stderr.write(`${target} is stale: run npm run schema\n`);
    process.exitCode = 1;
  }
} else {
  writeFileSync(target, text);
  process.stdout.write(`wrote ${target}\n`);
}
