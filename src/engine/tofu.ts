import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import type { Toolchain } from "./toolchain.js";

/**
 * Runs the real OpenTofu binary in a synthesized stack directory, with the kubernetes provider
 * from where the bootstrap found it (src/engine/toolchain.ts ProviderSource).
 *
 * Initialising many stacks, and why there is no shared plugin cache: OpenTofu's plugin cache
 * (TF_PLUGIN_CACHE_DIR) is not safe for concurrent `tofu init` — its docs: "not guaranteed to be
 * concurrency safe" (opentofu.org/docs/cli/config/config-file/#provider-plugin-cache, quoted in
 * github.com/opentofu/opentofu/issues/1483); seen here as "failed to compute a checksum … lstat
 * …/plugin-cache/…: no such file or directory" when two inits filled the cache at once. So:
 * - from the mirror (the bootstrap's unpacked filesystem mirror) no cache at all: `tofu init`
 *   symlinks `.terraform/providers/…/linux_amd64` to the mirror's directory, which nothing writes
 *   while tests run, so inits may run at once and nothing is copied;
 * - from the public registry a cache private to this Tofu (`pluginCacheDir`, inside the suite's
 *   temporary directory, never shared with another process), filled by the first init alone
 *   ({@link Tofu.initAll}); the inits after it only read it, in parallel. The synthesized stacks
 *   carry no dependency lock file, and without one OpenTofu bypasses the cache
 *   (github.com/opentofu/opentofu/issues/3094), hence TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE:
 *   what it trusts is what the first init just downloaded and verified from the registry.
 */
export interface TofuResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface TofuOptions {
  /**
   * Plugin cache for a provider from the public registry: a directory no other process uses.
   * @default - none: each init downloads the provider (ignored when it comes from the mirror)
   */
  readonly pluginCacheDir?: string;
}

export class Tofu {
  constructor(
    private readonly tools: Toolchain,
    private readonly extraEnv: NodeJS.ProcessEnv = {},
    private readonly options: TofuOptions = {},
  ) {}

  /** The environment of every tofu run: offline from the mirror, or an ordinary registry init. */
  private environment(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...this.extraEnv,
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      CHECKPOINT_DISABLE: "1",
    };
    // A plugin cache set by the caller's shell would bring the race back (see above).
    delete env.TF_PLUGIN_CACHE_DIR;
    if (this.tools.provider.kind === "mirror") {
      env.TF_CLI_CONFIG_FILE = this.tools.provider.cliConfigFile;
    } else if (this.options.pluginCacheDir) {
      mkdirSync(this.options.pluginCacheDir, { recursive: true });
      env.TF_PLUGIN_CACHE_DIR = this.options.pluginCacheDir;
      env.TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE = "true";
    }
    return env;
  }

  run(cwd: string, args: readonly string[]): Promise<TofuResult> {
    const env = this.environment();
    return new Promise((resolve, reject) => {
      const child = spawn(this.tools.GPU_CAMPUS_TOFU, [...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
      });
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
      });
      child.on("error", reject);
      child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  }

  /** Runs and throws with the output when the exit code is not one of `accept`. */
  async must(cwd: string, args: readonly string[], accept: readonly number[] = [0]): Promise<TofuResult> {
    const result = await this.run(cwd, args);
    if (!accept.includes(result.code)) {
      throw new Error(
        `tofu ${args.join(" ")} in ${cwd} exited ${result.code}:\n${result.stderr}\n${result.stdout.slice(-4000)}`,
      );
    }
    return result;
  }

  /**
   * `tofu init <args>` in every directory: the first alone (it fills a registry plugin cache),
   * then `concurrency` at a time. Throws on the first failure, naming the directory.
   */
  async initAll(dirs: readonly string[], args: readonly string[], concurrency = 2): Promise<void> {
    const [first, ...rest] = dirs;
    if (first === undefined) return;
    await this.must(first, ["init", ...args]);
    await eachConcurrently(rest, concurrency, (dir) => this.must(dir, ["init", ...args]).then(() => undefined));
  }

  /** `tofu plan -out` then `tofu show -json` of it: the plan as OpenTofu's JSON output format. */
  async planJson(cwd: string, args: readonly string[] = []): Promise<{ exitCode: number; plan: unknown }> {
    const planned = await this.must(cwd, ["plan", "-detailed-exitcode", "-no-color", "-out=tfplan", ...args], [0, 2]);
    const shown = await this.must(cwd, ["show", "-json", "-no-color", "tfplan"]);
    return { exitCode: planned.code, plan: JSON.parse(shown.stdout) as unknown };
  }
}

/** Runs `task` over `items`, at most `concurrency` at once, in order of the list. */
export async function eachConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(concurrency, queue.length)) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
    }),
  );
}
