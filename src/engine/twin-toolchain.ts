import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ControlPlaneVariables, readToolchain } from "./toolchain.js";

/**
 * The binaries and CRDs the scheduling twin runs, from `scripts/bootstrap-toolchain.sh --with-twin
 * --print-env` (paths and versions live there and in scripts/toolchain-versions.env).
 */
const TwinVariables = ControlPlaneVariables.extend({
  /** The kubernetes provider's filesystem mirror, as OpenTofu's CLI configuration names it. */
  TF_CLI_CONFIG_FILE: z.string().min(1),
  GPU_CAMPUS_KUBE_SCHEDULER: z.string().min(1),
  GPU_CAMPUS_KWOK: z.string().min(1),
  GPU_CAMPUS_KUEUE: z.string().min(1),
});

export type TwinToolchain = z.infer<typeof TwinVariables>;

export function loadTwinToolchain(projectRoot: string): TwinToolchain {
  const parsed = TwinVariables.safeParse(readToolchain(projectRoot, ["--with-twin"]));
  if (!parsed.success) {
    const missing = parsed.error.issues.map((i) => i.path.join(".")).join(", ");
    throw new Error(`the twin toolchain is incomplete (${missing}): run scripts/bootstrap-toolchain.sh --with-twin`);
  }
  return parsed.data;
}

/** scripts/toolchain-versions.env as data (`#` comments and `KEY=value` lines, its stated format). */
export function toolchainVersions(projectRoot: string): Readonly<Record<string, string>> {
  const text = readFileSync(join(projectRoot, "scripts", "toolchain-versions.env"), "utf8");
  const versions: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^([A-Z_]+)=(\S+)$/.exec(line.trim());
    if (match?.[1] && match[2]) versions[match[1]] = match[2];
  }
  return versions;
}

/** The Kueue version the bootstrap pins (its manager, CRDs and webhook manifests). */
export function kueueVersion(projectRoot: string): string {
  const version = toolchainVersions(projectRoot).KUEUE_VERSION;
  if (!version) throw new Error("scripts/toolchain-versions.env has no KUEUE_VERSION");
  return version;
}
