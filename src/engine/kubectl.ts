import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { NodeRecord } from "../plan/node-identity.js";
import { LABEL } from "../vocabulary/labels.js";

/** kubectl against the e2e control plane; throws with stderr when it fails. */
export class Kubectl {
  constructor(
    private readonly binary: string,
    private readonly kubeconfig: string,
  ) {}

  run(args: readonly string[], input?: string): string {
    // A production cluster's objects as JSON run to tens of megabytes: past spawnSync's 1 MiB default.
    const result = spawnSync(this.binary, ["--kubeconfig", this.kubeconfig, ...args], {
      input,
      encoding: "utf8",
      maxBuffer: 512 << 20,
    });
    if (result.status !== 0) {
      const why = result.error ? `${result.error.message}` : result.stderr;
      throw new Error(`kubectl ${args.join(" ")} exited ${result.status}: ${why}`);
    }
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

  /**
   * Applies every CRD file of the directories (the bootstrap's real Kueue and Multus CRDs:
   * GPU_CAMPUS_KUEUE_CRDS, GPU_CAMPUS_MULTUS_CRDS) and waits until the API serves them; returns
   * their names. Server-side apply: the real Kueue CRDs are larger than the 256 KiB annotation a
   * client-side apply would store the last applied object in.
   */
  installCrds(...directories: readonly string[]): string[] {
    const files = directories.flatMap((directory) =>
      readdirSync(directory)
        .filter((f) => f.endsWith(".yaml"))
        .sort()
        .map((f) => join(directory, f)),
    );
    if (files.length === 0) throw new Error(`no CRD files in ${directories.join(", ")}`);
    this.run(["apply", "--server-side", "--field-manager=gpu-campus-e2e", ...files.flatMap((f) => ["-f", f])]);
    const names = files.flatMap((file) =>
      parseAllDocuments(readFileSync(file, "utf8")).flatMap((document) => {
        const object = document.toJS() as { kind?: unknown; metadata?: { name?: unknown } } | null;
        if (object?.kind !== "CustomResourceDefinition") return [];
        if (typeof object.metadata?.name !== "string") throw new Error(`${file}: a CRD without metadata.name`);
        return [object.metadata.name];
      }),
    );
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
export function nodeObject(record: NodeRecord) {
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
