import { join } from "node:path";

/** Where twins keep their state, one directory per cluster stack (git-ignored). */
export function twinRoot(projectRoot: string): string {
  return join(projectRoot, ".twin");
}

export function twinRunDir(projectRoot: string, stackName: string): string {
  return join(twinRoot(projectRoot), stackName);
}
