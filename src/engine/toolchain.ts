import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { z } from "zod";

/**
 * The binaries and files the real-engine suites run, as scripts/bootstrap-toolchain.sh built and
 * cached them (outside the repository). Read from its `--print-env` lines so that the paths, the
 * versions and where the kubernetes provider comes from live in one place (the bootstrap).
 */
export const ControlPlaneVariables = z.object({
  GPU_CAMPUS_TOFU: z.string().min(1),
  GPU_CAMPUS_KUBE_APISERVER: z.string().min(1),
  GPU_CAMPUS_KUBE_CONTROLLER_MANAGER: z.string().min(1),
  GPU_CAMPUS_KUBECTL: z.string().min(1),
  GPU_CAMPUS_ETCD: z.string().min(1),
  /** The real Kueue CRDs (sigs.k8s.io/kueue config/components/crd/bases), one file each. */
  GPU_CAMPUS_KUEUE_CRDS: z.string().min(1),
  /** The real Multus NetworkAttachmentDefinition CRD (network-attachment-definition-client artifacts/). */
  GPU_CAMPUS_MULTUS_CRDS: z.string().min(1),
});

/** The binaries that need no Terraform provider: OpenTofu, etcd, the API server, kubectl, and the CRDs. */
export type ControlPlaneToolchain = z.infer<typeof ControlPlaneVariables>;

/**
 * Where `tofu init` gets hashicorp/kubernetes, as the bootstrap found it, in its order:
 * a binary named by GPU_CAMPUS_KUBERNETES_PROVIDER_BIN or the cached filesystem mirror (both
 * `mirror`: the bootstrap installs the named binary into the mirror), else the public registry
 * through an ordinary `tofu init` (`registry`), else `missing` with the bootstrap's reason.
 */
export type ProviderSource =
  | { readonly kind: "mirror" /** The mirror-only CLI config the bootstrap wrote. */; readonly cliConfigFile: string }
  | { readonly kind: "registry" }
  | { readonly kind: "missing"; readonly reason: string };

export type Toolchain = ControlPlaneToolchain & {
  readonly provider: Exclude<ProviderSource, { kind: "missing" }>;
  /** The CLI config that installs the provider from the local mirror; unset when it comes from the registry. */
  readonly TF_CLI_CONFIG_FILE?: string;
};

/** The suites need the kubernetes provider and none is available here. */
export class ProviderMissingError extends Error {
  constructor(readonly reason: string) {
    super(`the hashicorp/kubernetes provider is not available: ${reason}`);
  }
}

/** Everything, the kubernetes provider included: what tofu init/validate/apply need. */
export function loadToolchain(projectRoot: string): Toolchain {
  const variables = readToolchain(projectRoot);
  const provider = providerSource(variables);
  if (provider.kind === "missing") throw new ProviderMissingError(provider.reason);
  return {
    ...ControlPlaneVariables.parse(variables),
    provider,
    ...(provider.kind === "mirror" ? { TF_CLI_CONFIG_FILE: provider.cliConfigFile } : {}),
  };
}

/** The control-plane binaries and CRDs only (bootstrap --without-provider). */
export function loadControlPlaneToolchain(projectRoot: string): ControlPlaneToolchain {
  return ControlPlaneVariables.parse(readToolchain(projectRoot));
}

/** Where the provider comes from on this machine (never throws for a missing provider). */
export function loadProviderSource(projectRoot: string): ProviderSource {
  return providerSource(readToolchain(projectRoot));
}

/**
 * `--require-provider` (npm run test:e2e) or GPU_CAMPUS_REQUIRE_PROVIDER=1: a missing provider is
 * a failure instead of a "not run" line.
 */
export function providerRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.GPU_CAMPUS_REQUIRE_PROVIDER === "1" || env.GPU_CAMPUS_REQUIRE_PROVIDER === "true";
}

/** Where the provider comes from, as the bootstrap's env lines say. */
export function providerSource(variables: Readonly<Record<string, string>>): ProviderSource {
  const kind = variables.GPU_CAMPUS_KUBERNETES_PROVIDER;
  const cliConfigFile = variables.TF_CLI_CONFIG_FILE;
  if (kind === "mirror" && cliConfigFile) return { kind, cliConfigFile };
  if (kind === "registry") return { kind };
  return {
    kind: "missing",
    reason:
      variables.GPU_CAMPUS_KUBERNETES_PROVIDER_MISSING ??
      `scripts/bootstrap-toolchain.sh --print-env named no provider source (GPU_CAMPUS_KUBERNETES_PROVIDER=${kind ?? "unset"})`,
  };
}

const printed = new Map<string, Record<string, string>>();

/**
 * The bootstrap's env lines, read once per process and flag set. By default `--without-provider`,
 * so that a missing provider is reported as the GPU_CAMPUS_KUBERNETES_PROVIDER_MISSING line
 * instead of failing the whole read; the twin asks for `--with-twin` (which needs the provider).
 */
export function readToolchain(
  projectRoot: string,
  flags: readonly string[] = ["--without-provider"],
): Record<string, string> {
  const key = `${projectRoot}\n${flags.join(" ")}`;
  const cached = printed.get(key);
  if (cached) return cached;
  let output: string;
  try {
    output = execFileSync("bash", [join(projectRoot, "scripts/bootstrap-toolchain.sh"), "--print-env", ...flags], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
    throw new Error(
      `the e2e toolchain is not built: run scripts/bootstrap-toolchain.sh first\n${stderr || (error as Error).message}`,
    );
  }
  const variables = parseEnvLines(output);
  printed.set(key, variables);
  return variables;
}

/** `export KEY=value` lines as the bootstrap prints them (bash %q quoting or single quotes). */
export function parseEnvLines(output: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const line of output.split("\n")) {
    const match = /^export ([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (!match?.[1] || match[2] === undefined) continue;
    const raw = match[2];
    variables[match[1]] =
      raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2 ? raw.slice(1, -1) : raw.replace(/\\(.)/g, "$1");
  }
  return variables;
}
