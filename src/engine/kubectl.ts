import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { NodeRecord } from "../plan/node-identity.js";
import { LABEL } from "../vocabulary/labels.js";

/** kubectl against the e2e control plane; throws with stderr when it fails. */
export class Kubectl {
  constructor(
    private readonly binary: string,
    private readonly kubeconfig: string,
  ) {}

  run(args: readonly string[], input?: string): string {
    const result = spawnSync(this.binary, ["--kubeconfig", this.kubeconfig, ...args], { input, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`kubectl ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
    return result.stdout;
  }

  json<T = Record<string, unknown>>(args: readonly string[]): T {
    return JSON.parse(this.run([...args, "-o", "json"])) as T;
  }

  /** Whether `get` finds the object (NotFound is false; any other failure throws). */
  exists(args: readonly string[]): boolean {
    const result = spawnSync(this.binary, ["--kubeconfig", this.kubeconfig, "get", ...args], { encoding: "utf8" });
    if (result.status === 0) return true;
    if (/NotFound|not found/.test(result.stderr)) return false;
    throw new Error(`kubectl get ${args.join(" ")}: ${result.stderr}`);
  }

  /** Applies the project's minimal CRDs and waits until the API serves them. */
  installCrds(directory: string): string[] {
    const files = readdirSync(directory).filter((f) => f.endsWith(".yaml"));
    for (const file of files) this.run(["apply", "-f", join(directory, file)]);
    const names = files.map((f) => {
      const match = /^\s*name:\s*(\S+)/m.exec(readFileSync(join(directory, f), "utf8"));
      if (!match?.[1]) throw new Error(`${f}: no metadata.name`);
      return match[1];
    });
    this.run(["wait", "--for=condition=Established", "--timeout=60s", ...names.map((n) => `crd/${n}`)]);
    return names;
  }

  /**
   * Registers nodes as the node registration artifact describes them, the way a kubelet started
   * with its --node-labels/--register-with-taints would, then advertises their capacity through
   * the status subresource (what kwok or the device plugin would do).
   */
  registerNodes(records: readonly NodeRecord[]): void {
    for (const record of records) {
      this.run(["apply", "-f", "-"], JSON.stringify(nodeObject(record)));
      const status = { status: { capacity: record.capacity, allocatable: record.capacity } };
      this.run(["patch", "node", record.name, "--subresource=status", "--type=merge", "-p", JSON.stringify(status)]);
    }
  }
}

/** The Node a kubelet started with the record's --node-labels and --register-with-taints creates. */
function nodeObject(record: NodeRecord) {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: record.name, labels: { ...record.labels, [LABEL.hostname]: record.name } },
    spec: { taints: record.taints },
  };
}

/**
 * Registers many nodes in one kubectl call (a v1 List): a production cluster's thousands of
 * records, each validated by the API server (names, label keys and values, taints).
 */
export function nodeList(records: readonly NodeRecord[]): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "List",
    items: records.map(nodeObject),
  });
}

export function readNodeRecords(path: string): NodeRecord[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as NodeRecord);
}
