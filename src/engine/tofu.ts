import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Toolchain } from "./toolchain.js";

/**
 * Runs the real OpenTofu binary in a synthesized stack directory, offline: providers come from the
 * filesystem mirror the bootstrap wrote (TF_CLI_CONFIG_FILE), linked from a shared plugin cache
 * so that initialising 26 stacks does not copy the provider 26 times.
 */
export interface TofuResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export class Tofu {
  constructor(
    private readonly tools: Toolchain,
    private readonly extraEnv: NodeJS.ProcessEnv = {},
  ) {}

  run(cwd: string, args: readonly string[]): Promise<TofuResult> {
    const pluginCache = join(dirname(this.tools.TF_CLI_CONFIG_FILE), "plugin-cache");
    mkdirSync(pluginCache, { recursive: true });
    return new Promise((resolve, reject) => {
      const child = spawn(this.tools.GPU_CAMPUS_TOFU, [...args], {
        cwd,
        env: {
          ...process.env,
          ...this.extraEnv,
          TF_CLI_CONFIG_FILE: this.tools.TF_CLI_CONFIG_FILE,
          TF_PLUGIN_CACHE_DIR: pluginCache,
          TF_IN_AUTOMATION: "1",
          TF_INPUT: "0",
          CHECKPOINT_DISABLE: "1",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
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
}
