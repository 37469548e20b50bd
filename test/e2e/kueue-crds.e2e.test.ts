import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Kubectl } from "../../src/engine/kubectl.js";
import { LocalControlPlane } from "../../src/engine/local-control-plane.js";
import { loadControlPlaneToolchain, readToolchain } from "../../src/engine/toolchain.js";
import { LABEL } from "../../src/vocabulary/labels.js";
import { ROOT, synthInto } from "./support/synth.js";

/**
 * Kueue's and Multus' real CRDs (copied from their Go modules by the bootstrap) against what the
 * stacks synthesize: every custom resource of every stack of every shipped environment passes
 * kube-apiserver's validation (schema, CEL rules) as a server-side dry-run create. And the reason
 * the minimal hand-written CRDs had to go: an object they accepted that the real ones refuse.
 */
const tools = loadControlPlaneToolchain(ROOT);
const crds = readToolchain(ROOT, ["--without-provider"]);
const work = mkdtempSync(join(tmpdir(), "gpu-campus-crds-"));
const outdir = join(work, "cdktf.out");
const controlPlane = new LocalControlPlane(tools, "crds");
let kubectl: Kubectl;

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };

function stackManifests(stack: string): Manifest[] {
  const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as {
    resource: Record<string, Record<string, { manifest?: Manifest }>>;
  };
  return Object.values(json.resource.kubernetes_manifest ?? {}).flatMap((r) => (r.manifest ? [r.manifest] : []));
}

beforeAll(async () => {
  synthInto(outdir, ["kind", "staging", "production"]);
  const endpoint = await controlPlane.start();
  kubectl = new Kubectl(tools.GPU_CAMPUS_KUBECTL, endpoint.kubeconfigPath);
}, 600_000);

afterAll(async () => {
  await controlPlane.stop();
  rmSync(work, { recursive: true, force: true });
}, 120_000);

/** The Topology the old minimal CRD (test/fixtures/crds, as of d5506b6) was written as: levels with a label each, nothing more. */
const MINIMAL_TOPOLOGY_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: topologies.kueue.x-k8s.io
spec:
  group: kueue.x-k8s.io
  scope: Cluster
  names: { kind: Topology, listKind: TopologyList, plural: topologies, singular: topology }
  versions:
    - name: v1beta2
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [levels]
              properties:
                levels:
                  type: array
                  minItems: 1
                  maxItems: 16
                  items:
                    type: object
                    required: [nodeLabel]
                    properties:
                      nodeLabel: { type: string, minLength: 1, maxLength: 316 }
`;

/** kubernetes.io/hostname first: Kueue allows it only as the last level. */
const HOSTNAME_FIRST = {
  apiVersion: "kueue.x-k8s.io/v1beta2",
  kind: "Topology",
  metadata: { name: "hostname-first" },
  spec: { levels: [{ nodeLabel: LABEL.hostname }, { nodeLabel: LABEL.nvlinkDomain }] },
};

/** The real CRDs (idempotent: server-side apply), Established before it returns. */
function installRealCrds(): void {
  for (const dir of [crds.GPU_CAMPUS_KUEUE_CRDS, crds.GPU_CAMPUS_MULTUS_CRDS]) {
    if (!dir) throw new Error("the bootstrap printed no GPU_CAMPUS_KUEUE_CRDS or GPU_CAMPUS_MULTUS_CRDS");
    kubectl.run(["apply", "--server-side", "-f", dir]);
  }
  // Right after creation a CRD has no conditions yet, which kubectl wait reports as an error.
  for (let attempt = 0; ; attempt++) {
    try {
      kubectl.run(["wait", "--for=condition=Established", "--timeout=60s", "crd", "--all"]);
      return;
    } catch (error) {
      if (attempt >= 10) throw error;
      execFileSync("sleep", ["1"]);
    }
  }
}

function tryCreate(object: unknown): { ok: boolean; stderr: string } {
  try {
    kubectl.run(["create", "-f", "-"], JSON.stringify(object));
    return { ok: true, stderr: "" };
  } catch (error) {
    return { ok: false, stderr: (error as Error).message };
  }
}

describe("Kueue's and Multus' real CRDs", () => {
  it("GIVEN the minimal Topology CRD of old WHEN a Topology puts hostname first THEN it accepted it, and the real CRD refuses it", () => {
    const minimal = join(work, "minimal-topology-crd.yaml");
    writeFileSync(minimal, MINIMAL_TOPOLOGY_CRD);
    kubectl.run(["apply", "-f", minimal]);
    kubectl.run(["wait", "--for=condition=Established", "--timeout=60s", "crd/topologies.kueue.x-k8s.io"]);
    expect(tryCreate(HOSTNAME_FIRST).ok).toBe(true);
    kubectl.run(["delete", "crd", "topologies.kueue.x-k8s.io", "--wait=true"]);

    installRealCrds();
    const refused = tryCreate(HOSTNAME_FIRST);
    expect(refused.ok).toBe(false);
    // The real CRD's CEL rule on spec.levels (kueue v0.17.0 config/components/crd/bases).
    expect(refused.stderr).toContain(
      "the kubernetes.io/hostname label can only be used at the lowest level of topology",
    );
  });

  it("GIVEN every stack of kind, staging and production WHEN each custom resource is created (server dry-run) THEN the real CRDs accept all of them", () => {
    installRealCrds();
    const stacks = readdirSync(join(outdir, "stacks")).sort();
    expect(stacks.length).toBeGreaterThan(3);
    const namespaces = new Set<string>();
    const perStack = stacks.map((stack) => ({ stack, manifests: stackManifests(stack) }));
    for (const { manifests } of perStack) {
      for (const m of manifests) if (m.metadata.namespace) namespaces.add(m.metadata.namespace);
    }
    for (const namespace of namespaces) kubectl.run(["create", "namespace", namespace]);
    const kinds = new Map<string, number>();
    for (const { stack, manifests } of perStack) {
      const list = { apiVersion: "v1", kind: "List", items: manifests };
      const out = kubectl.run(["create", "--dry-run=server", "-f", "-", "-o", "name"], JSON.stringify(list));
      expect(out.trim().split("\n"), stack).toHaveLength(manifests.length);
      for (const m of manifests) kinds.set(m.kind, (kinds.get(m.kind) ?? 0) + 1);
    }
    // Every kind the stacks manage was among them.
    // Every Kueue and Multus kind the stacks write is among them (the node software adds built-in
    // kinds too: CustomResourceDefinition, DeviceClass, admission policies, all accepted as well).
    expect([...kinds.keys()].sort()).toEqual(
      expect.arrayContaining([
        "ClusterQueue",
        "Cohort",
        "LocalQueue",
        "NetworkAttachmentDefinition",
        "ResourceFlavor",
        "Topology",
        "WorkloadPriorityClass",
      ]),
    );
  });
});
