import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { z } from "zod";

/**
 * The binaries the real-engine suite runs, as scripts/bootstrap-toolchain.sh built and cached
 * them (outside the repository). Read from its --print-env output so the paths and versions
 * live in one place.
 */
const ToolchainVariables = z.object({
  GPU_CAMPUS_TOFU: z.string().min(1),
  /** The CLI config that installs the kubernetes provider from the local mirror. */
  TF_CLI_CONFIG_FILE: z.string().min(1),
  GPU_CAMPUS_KUBE_APISERVER: z.string().min(1),
  GPU_CAMPUS_KUBE_CONTROLLER_MANAGER: z.string().min(1),
  GPU_CAMPUS_KUBECTL: z.string().min(1),
  GPU_CAMPUS_ETCD: z.string().min(1),
});

export type Toolchain = z.infer<typeof ToolchainVariables>;
const ControlPlaneVariables = ToolchainVariables.omit({ TF_CLI_CONFIG_FILE: true });
/** The binaries that need no Terraform provider: OpenTofu, etcd, the API server, kubectl. */
export type ControlPlaneToolchain = z.infer<typeof ControlPlaneVariables>;

/** Everything, the kubernetes provider included: what tofu init/validate/apply need. */
export function loadToolchain(projectRoot: string): Toolchain {
  return ToolchainVariables.parse(readToolchain(projectRoot, []));
}

/** The control-plane binaries only (bootstrap --without-provider). */
export function loadControlPlaneToolchain(projectRoot: string): ControlPlaneToolchain {
  return ControlPlaneVariables.parse(readToolchain(projectRoot, ["--without-provider"]));
}

export function readToolchain(projectRoot: string, flags: string[]): Record<string, string> {
  let printed: string;
  try {
    printed = execFileSync("bash", [join(projectRoot, "scripts/bootstrap-toolchain.sh"), "--print-env", ...flags], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    throw new Error(
      `the e2e toolchain is not built: run scripts/bootstrap-toolchain.sh ${flags.join(" ")} first ` +
        `(${(error as Error).message.split("\n")[0]})`,
    );
  }
  const variables: Record<string, string> = {};
  for (const line of printed.split("\n")) {
    const match = /^export ([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) variables[match[1]] = match[2].replace(/^['"]|['"]$/g, "");
  }
  return variables;
}
