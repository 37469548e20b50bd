import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isRecord } from "../diff/values.js";

/**
 * A synthesized cdktf.out directory as the review tools read it: every stack's cdk.tf.json (found
 * through manifest.json) and every environment's capacity.json. Only files are read, so the
 * output of any commit can be compared, whatever code produced it.
 */
export interface SynthOutput {
  readonly dir: string;
  /** Stack name → parsed cdk.tf.json. */
  readonly stacks: ReadonlyMap<string, unknown>;
  /** Environment name → parsed capacity.json. */
  readonly capacity: ReadonlyMap<string, unknown>;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function stackPaths(dir: string): Map<string, string> {
  const paths = new Map<string, string>();
  const manifestPath = join(dir, "manifest.json");
  if (existsSync(manifestPath)) {
    const manifest = readJson(manifestPath);
    const stacks = isRecord(manifest) && isRecord(manifest.stacks) ? manifest.stacks : {};
    for (const [name, entry] of Object.entries(stacks)) {
      const file = isRecord(entry) && typeof entry.synthesizedStackPath === "string" ? entry.synthesizedStackPath : "";
      paths.set(name, join(dir, file || join("stacks", name, "cdk.tf.json")));
    }
    return paths;
  }
  const stacksDir = join(dir, "stacks");
  if (!existsSync(stacksDir)) throw new Error(`${dir} has neither manifest.json nor stacks/: not a cdktf output`);
  for (const name of readdirSync(stacksDir)) {
    const file = join(stacksDir, name, "cdk.tf.json");
    if (existsSync(file)) paths.set(name, file);
  }
  return paths;
}

export function readSynthOutput(dir: string): SynthOutput {
  const stacks = new Map<string, unknown>();
  for (const [name, file] of [...stackPaths(dir)].sort(([x], [y]) => x.localeCompare(y))) {
    stacks.set(name, readJson(file));
  }
  const capacity = new Map<string, unknown>();
  const environmentsDir = join(dir, "environments");
  if (existsSync(environmentsDir)) {
    for (const env of readdirSync(environmentsDir).sort()) {
      const file = join(environmentsDir, env, "capacity.json");
      if (existsSync(file)) capacity.set(env, readJson(file));
    }
  }
  return { dir, stacks, capacity };
}
