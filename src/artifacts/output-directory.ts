import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join, resolve } from "node:path";

/**
 * Output that appears whole or not at all, written by one synth at a time.
 *
 * - Exclusive: `<outdir>.lock` is created with O_EXCL before any work; a second synth waits for it
 *   (GPU_CAMPUS_OUTPUT_LOCK_WAIT_SECONDS, default 120) and then refuses, naming the holder. A lock
 *   whose process is gone is broken.
 * - All-or-nothing: the complete new tree is built in `<outdir>.staging-<pid>-*` beside the target
 *   (same filesystem): this synth's stacks and artifacts, plus hard links of what must be kept
 *   (Terraform's working files in rewritten stacks, other environments' output after a narrowed
 *   synth). Every file is fsynced, then the directories are swapped with two renames: target →
 *   `<outdir>.old-<pid>-*`, staging → target. A reader sees the old tree, the new tree, or for an
 *   instant no tree, never a mix.
 * - Interrupted runs: Node runs signal listeners only between synchronous steps, and the synth is
 *   one synchronous step, so SIGINT and SIGTERM keep their default action (the process ends at
 *   once) while the target is untouched. Only the swap defers them (it is two renames long). What a
 *   killed run leaves (staging, a half-done swap, its lock) is swept by the next run under the lock:
 *   a target missing beside an `.old-` tree is restored from it, staging trees are removed.
 * - Stale output: stacks and environments a synth owns (a full synth owns all; a narrowed synth its
 *   environments) that it no longer produces are dropped; a dropped stack directory holding
 *   Terraform state (`*.tfstate*`) is kept under `removed-stacks/` instead, with a warning.
 */
export interface StagedOutputOptions {
  /** Environment of each stack this synth writes (`stacks/<name>`), recorded in the output index. */
  readonly stackEnvironments: ReadonlyMap<string, string>;
  /** The synth covers every environment: output of environments it does not write is dropped. */
  readonly complete: boolean;
  /**
   * Where warnings go (kept Terraform state of a removed stack).
   * @default - standard error
   */
  readonly warn?: (message: string) => void;
  /**
   * Seconds to wait for another synth's lock before refusing.
   * @default - GPU_CAMPUS_OUTPUT_LOCK_WAIT_SECONDS, else 120
   */
  readonly lockWaitSeconds?: number;
}

/** The file in the output that records which environment each stack belongs to. */
export const OUTPUT_INDEX = "output-index.json";
/** Stacks removed from their environment that held Terraform state, kept here. */
export const REMOVED_STACKS = "removed-stacks";

interface OutputIndex {
  readonly stacks: Record<string, string>;
}

export function withStagedOutput<T>(outdir: string, options: StagedOutputOptions, write: (staging: string) => T): T {
  const target = resolve(outdir);
  mkdirSync(dirname(target), { recursive: true });
  const lock = acquireLock(target, options.lockWaitSeconds ?? lockWaitFromEnvironment());
  let deferred: NodeJS.Signals[] = [];
  try {
    sweep(target);
    const staging = mkdtempSync(`${target}.staging-${process.pid}-`);
    try {
      const result = write(staging);
      carryOver(target, staging, options);
      syncTree(staging);
      deferred = swap(staging, target);
      return result;
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  } finally {
    lock.release();
    // A signal that arrived during the swap takes its default action now that the output is whole.
    const [first] = deferred;
    if (first) process.kill(process.pid, first);
  }
}

function lockWaitFromEnvironment(): number {
  const raw = process.env.GPU_CAMPUS_OUTPUT_LOCK_WAIT_SECONDS;
  if (raw === undefined || raw === "") return 120;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600) {
    throw new Error(`GPU_CAMPUS_OUTPUT_LOCK_WAIT_SECONDS must be a number of seconds from 0 to 3600; got "${raw}"`);
  }
  return seconds;
}

// --- the lock ---------------------------------------------------------------------------------

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, "utf8")) as Partial<LockOwner>;
    if (typeof owner.pid !== "number" || typeof owner.host !== "string" || typeof owner.since !== "string") {
      return undefined;
    }
    return { pid: owner.pid, host: owner.host, since: owner.since };
  } catch {
    return undefined;
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

function acquireLock(target: string, waitSeconds: number): { release: () => void } {
  const path = `${target}.lock`;
  const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    try {
      const fd = openSync(path, "wx");
      try {
        writeAll(fd, Buffer.from(`${JSON.stringify(owner)}\n`));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      return {
        release: () => {
          if (readOwner(path)?.pid === process.pid) rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = readOwner(path);
    // A lock of a process that is gone (killed mid-synth) is broken; one being written right now
    // (no owner yet) is waited for like any other. Another host's pid cannot be checked.
    if (holder && holder.host === owner.host && !isAlive(holder.pid)) {
      rmSync(path, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder ? `pid ${holder.pid} on ${holder.host}, since ${holder.since}` : "a process that is starting";
      throw new Error(
        `another synth is writing ${target} (${who}); waited ${waitSeconds} s for ${path}. ` +
          "Run one synth at a time, or remove the lock file if that process is gone.",
      );
    }
    Atomics.wait(pause, 0, 0, 100);
  }
}

// --- leftovers of interrupted runs ------------------------------------------------------------

/** Under the lock, every staging or old tree beside the target belongs to a run that ended. */
function sweep(target: string): void {
  const parent = dirname(target);
  const name = basename(target);
  const leftovers = readdirSync(parent).filter(
    (entry) => entry.startsWith(`${name}.staging-`) || entry.startsWith(`${name}.old-`),
  );
  // A run killed between the two renames of its swap left no target and the previous tree in .old-.
  const old = leftovers.find((entry) => entry.startsWith(`${name}.old-`));
  if (old && !existsSync(target)) renameSync(join(parent, old), target);
  for (const entry of leftovers) rmSync(join(parent, entry), { recursive: true, force: true });
}

// --- what the new tree keeps of the old one ---------------------------------------------------

function readIndex(dir: string): OutputIndex {
  try {
    const index = JSON.parse(readFileSync(join(dir, OUTPUT_INDEX), "utf8")) as Partial<OutputIndex>;
    return { stacks: typeof index.stacks === "object" && index.stacks !== null ? index.stacks : {} };
  } catch {
    return { stacks: {} };
  }
}

function entries(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

const OWN_TOP_LEVEL = new Set(["stacks", "environments", "manifest.json", OUTPUT_INDEX, REMOVED_STACKS]);

function carryOver(target: string, staging: string, options: StagedOutputOptions): void {
  const warn = options.warn ?? ((message: string) => process.stderr.write(`gpu-campus: warning: ${message}\n`));
  const previous = readIndex(target);
  const written = new Set(entries(join(staging, "environments")));
  for (const environment of options.stackEnvironments.values()) written.add(environment);
  const owned = (environment: string | undefined) =>
    options.complete || (environment !== undefined && written.has(environment));

  const stacks: Record<string, string> = {};
  for (const [stack, environment] of options.stackEnvironments) stacks[stack] = environment;

  for (const stack of entries(join(target, "stacks"))) {
    const from = join(target, "stacks", stack);
    const environment = previous.stacks[stack];
    if (options.stackEnvironments.has(stack)) {
      // Rewritten: keep Terraform's working files (.terraform, lock files, local state) beside it.
      linkTree(from, join(staging, "stacks", stack), { skipExisting: true });
    } else if (!owned(environment)) {
      linkTree(from, join(staging, "stacks", stack), { skipExisting: false });
      if (environment !== undefined) stacks[stack] = environment;
    } else if (holdsState(from)) {
      linkTree(from, join(staging, REMOVED_STACKS, stack), { skipExisting: false });
      warn(
        `stack ${stack} is no longer produced by environment ${environment ?? "(unknown)"} but holds Terraform state; ` +
          `kept in ${join(target, REMOVED_STACKS, stack)}`,
      );
    }
  }
  for (const stack of entries(join(target, REMOVED_STACKS))) {
    linkTree(join(target, REMOVED_STACKS, stack), join(staging, REMOVED_STACKS, stack), { skipExisting: true });
  }
  for (const environment of entries(join(target, "environments"))) {
    if (!written.has(environment) && !options.complete) {
      linkTree(join(target, "environments", environment), join(staging, "environments", environment), {
        skipExisting: false,
      });
    }
  }
  // Files someone else put in the output are not ours to delete.
  for (const entry of entries(target)) {
    if (!OWN_TOP_LEVEL.has(entry)) linkTree(join(target, entry), join(staging, entry), { skipExisting: true });
  }
  writeFileSync(join(staging, OUTPUT_INDEX), `${JSON.stringify({ stacks }, null, 2)}\n`);
}

function holdsState(dir: string): boolean {
  return entries(dir).some((entry) => {
    const path = join(dir, entry);
    return /\.tfstate/.test(entry) || (lstatSync(path).isDirectory() && holdsState(path));
  });
}

/** Mirrors `from` into `to` with hard links (a copy where the filesystem refuses one). */
function linkTree(from: string, to: string, options: { skipExisting: boolean }): void {
  const stat = lstatSync(from);
  if (options.skipExisting && existsSync(to) && !stat.isDirectory()) return;
  if (stat.isDirectory()) {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from)) linkTree(join(from, entry), join(to, entry), options);
  } else if (stat.isSymbolicLink()) {
    symlinkSync(readlinkSync(from), to);
  } else {
    try {
      linkSync(from, to);
    } catch {
      copyFileSync(from, to);
    }
  }
}

// --- durability and the swap ------------------------------------------------------------------

/** Writes all of `data`: writeSync may write less than asked (a nearly full disk) without failing. */
export function writeAll(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) {
    const written = writeSync(fd, data, offset, data.length - offset);
    if (written <= 0) throw new Error(`short write: ${offset} of ${data.length} bytes written`);
    offset += written;
  }
}

/** fsync every file and directory, so an I/O error (ENOSPC, EIO) surfaces before the swap. */
function syncTree(dir: string): void {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    const stat = lstatSync(path);
    if (stat.isDirectory()) syncTree(path);
    else if (stat.isFile()) syncPath(path, "r");
  }
  syncPath(dir, "r");
}

function syncPath(path: string, flags: string): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const DEFERRED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Swaps the staged tree in; returns the signals that arrived meanwhile. */
function swap(staging: string, target: string): NodeJS.Signals[] {
  // The two renames must not be separated by a signal: listeners defer it until they are done.
  const received: NodeJS.Signals[] = [];
  const defer = (signal: NodeJS.Signals) => received.push(signal);
  for (const signal of DEFERRED_SIGNALS) process.on(signal, defer);
  try {
    if (existsSync(target)) {
      const old = `${target}.old-${process.pid}-${Date.now().toString(36)}`;
      renameSync(target, old);
      try {
        renameSync(staging, target);
      } catch (error) {
        renameSync(old, target);
        throw error;
      }
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(staging, target);
    }
    syncPath(dirname(target), "r");
  } finally {
    for (const signal of DEFERRED_SIGNALS) process.off(signal, defer);
  }
  return received;
}
