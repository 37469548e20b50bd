import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { ROOT } from "../fixtures/environments.js";

/** One synth run in its own process, as a user starts it. */
export interface SynthRun {
  readonly child: ChildProcess;
  readonly done: Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }>;
}

export function startSynth(args: readonly string[], outdir: string, env: NodeJS.ProcessEnv = {}): SynthRun {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "main.ts"), ...args], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }>(
    (resolve) => child.on("close", (status, signal) => resolve({ status, signal, stderr, stdout })),
  );
  return { child, done };
}

export async function synth(args: readonly string[], outdir: string, env: NodeJS.ProcessEnv = {}) {
  return startSynth(args, outdir, env).done;
}

/**
 * A tree as content: every path (directories too) with the hash of what it holds. Two snapshots
 * are equal when a reader could not tell the trees apart.
 */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  const walk = (path: string, rel: string) => {
    const stat = lstatSync(path);
    if (stat.isDirectory()) {
      out.set(`${rel}/`, "dir");
      for (const entry of readdirSync(path)) walk(join(path, entry), rel === "" ? entry : `${rel}/${entry}`);
    } else if (stat.isSymbolicLink()) {
      out.set(rel, `link:${readlinkSync(path)}`);
    } else {
      out.set(rel, createHash("sha256").update(readFileSync(path)).digest("hex"));
    }
  };
  walk(dir, "");
  return out;
}

/** Which of the named snapshots `actual` equals, or a description of how it differs from all. */
export function whichTree(actual: Map<string, string>, candidates: Record<string, Map<string, string>>): string {
  for (const [name, tree] of Object.entries(candidates)) {
    if (tree.size === actual.size && [...tree].every(([path, hash]) => actual.get(path) === hash)) return name;
  }
  const [firstName, first] = Object.entries(candidates)[0] ?? ["none", new Map()];
  const differing = [...new Set([...first.keys(), ...actual.keys()])].filter((p) => first.get(p) !== actual.get(p));
  return `a mix (differs from ${firstName} at ${differing.slice(0, 5).join(", ")})`;
}

/** Staging, old trees and locks beside an output directory. */
export function leftovers(outdir: string): string[] {
  const name = basename(outdir);
  return readdirSync(dirname(outdir)).filter((entry) => entry.startsWith(`${name}.`));
}

export function copyTree(from: string, to: string): void {
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when a staging directory appears beside `outdir` (the synth is writing), or after `timeoutMs`. */
export async function whenStaging(outdir: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (leftovers(outdir).some((e) => e.includes(".staging-"))) return true;
    await sleep(20);
  }
  return false;
}
