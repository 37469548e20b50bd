import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Kubectl, readNodeRecords } from "../../src/engine/kubectl.js";
import { LocalControlPlane } from "../../src/engine/local-control-plane.js";
import { Tofu } from "../../src/engine/tofu.js";
import { loadToolchain } from "../../src/engine/toolchain.js";
import { GPU_RESOURCE, TOPOLOGY_LEVELS } from "../../src/vocabulary/labels.js";
import { ROOT, synthInto } from "./support/synth.js";

/**
 * The kind environment against a real kube-apiserver: nodes registered from the node
 * registration artifact, the project's minimal CRDs installed, the stack applied with OpenTofu
 * and the real kubernetes provider, read back through the API, planned again with no changes,
 * and destroyed — where the dataset volumes' prevent_destroy must stop the destroy until the
 * protection is lifted on purpose.
 */
const STACK = "kind-c1";
const CONTEXT = "kind-gpu-campus";

const tools = loadToolchain(ROOT);
const work = mkdtempSync(join(tmpdir(), "gpu-campus-kind-"));
const outdir = join(work, "cdktf.out");
const stackDir = join(outdir, "stacks", STACK);
// The stack's provider reads `~/.kube/config` (the environment's kubeconfig path): the test gives
// OpenTofu a home of its own whose kubeconfig points at the local control plane.
const home = join(work, "home");
const tofu = new Tofu(tools, { HOME: home });
const controlPlane = new LocalControlPlane(tools, CONTEXT);
let kubectl: Kubectl;

type TerraformJson = { resource: Record<string, Record<string, Record<string, unknown>>> };
const stackJson = (): TerraformJson => JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));

beforeAll(async () => {
  synthInto(outdir, ["kind"]);
  const endpoint = await controlPlane.start();
  mkdirSync(join(home, ".kube"), { recursive: true });
  writeFileSync(join(home, ".kube", "config"), readFileSync(endpoint.kubeconfigPath));
  kubectl = new Kubectl(tools.GPU_CAMPUS_KUBECTL, endpoint.kubeconfigPath);
}, 300_000);

afterAll(async () => {
  await controlPlane.stop();
  rmSync(work, { recursive: true, force: true });
}, 120_000);

describe("the kind environment on a real kube-apiserver", () => {
  it("GIVEN nodes from the node registration and the CRDs WHEN the stack is applied THEN the objects exist with the planned fields", async () => {
    const records = readNodeRecords(join(outdir, "environments/kind/nodes/c1.jsonl"));
    kubectl.registerNodes(records);
    const nodes = kubectl.json<{
      items: { metadata: { name: string }; status: { allocatable: Record<string, string> } }[];
    }>(["get", "nodes"]);
    expect(nodes.items.map((n) => n.metadata.name).sort()).toEqual(records.map((r) => r.name).sort());
    expect(nodes.items.every((n) => n.status.allocatable[GPU_RESOURCE] === "4")).toBe(true);
    kubectl.installCrds(join(ROOT, "test/fixtures/crds"));

    await tofu.must(stackDir, ["init", "-no-color"]);
    await tofu.must(stackDir, ["apply", "-auto-approve", "-no-color"]);

    // Every resource of the stack is there, found by its name.
    const kinds: Record<string, string> = {
      kubernetes_namespace_v1: "namespace",
      kubernetes_config_map_v1: "configmap",
      kubernetes_resource_quota_v1: "resourcequota",
      kubernetes_limit_range_v1: "limitrange",
      kubernetes_network_policy_v1: "networkpolicy",
      kubernetes_storage_class_v1: "storageclass",
      kubernetes_persistent_volume_claim_v1: "persistentvolumeclaim",
      kubernetes_priority_class_v1: "priorityclass",
      kubernetes_runtime_class_v1: "runtimeclass",
    };
    const state = JSON.parse((await tofu.must(stackDir, ["show", "-json", "-no-color"])).stdout) as {
      values: { root_module: { resources: { type: string; values: Record<string, unknown> }[] } };
    };
    const resources = state.values.root_module.resources;
    const planned = Object.values(stackJson().resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
    expect(resources).toHaveLength(planned);
    for (const resource of resources) {
      const kind = kinds[resource.type];
      if (!kind) continue;
      const metadata = (resource.values.metadata as { name: string; namespace?: string }[])[0];
      if (!metadata) throw new Error(`${resource.type} without metadata`);
      const where = metadata.namespace ? ["-n", metadata.namespace] : [];
      expect(kubectl.exists([kind, metadata.name, ...where]), `${kind}/${metadata.name}`).toBe(true);
    }

    const namespace = kubectl.json<{ metadata: { labels: Record<string, string> } }>(["get", "namespace", "team-a"]);
    expect(namespace.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    const quotas = kubectl.json<{ items: { spec: { hard: Record<string, string> } }[] }>([
      "get",
      "resourcequota",
      "-n",
      "team-a",
    ]);
    expect(quotas.items.map((q) => q.spec.hard[`requests.${GPU_RESOURCE}`])).toContain("8");
    const topologies = kubectl.json<{ items: { spec: { levels: { nodeLabel: string }[] } }[] }>([
      "get",
      "topologies.kueue.x-k8s.io",
    ]);
    expect(topologies.items.map((t) => t.spec.levels.map((l) => l.nodeLabel))).toEqual([[...TOPOLOGY_LEVELS]]);
    const flavors = kubectl.json<{
      items: { metadata: { name: string }; spec: { nodeLabels: Record<string, string> } }[];
    }>(["get", "resourceflavors.kueue.x-k8s.io"]);
    expect(flavors.items.length).toBeGreaterThan(0);
    for (const flavor of flavors.items) {
      // Each flavor selects exactly the nodes of its pool: two simulated trays per building.
      const selector = Object.entries(flavor.spec.nodeLabels)
        .map(([k, v]) => `${k}=${v}`)
        .join(",");
      const selected = kubectl.json<{ items: unknown[] }>(["get", "nodes", "-l", selector]);
      expect(selected.items, `nodes of flavor ${flavor.metadata.name}`).toHaveLength(2);
    }
    const rails = kubectl.json<{ items: unknown[] }>([
      "get",
      "network-attachment-definitions.k8s.cni.cncf.io",
      "-n",
      "team-a",
    ]);
    expect(rails.items).toHaveLength(4);
    const claims = kubectl.json<{ items: { spec: { storageClassName: string } }[] }>(["get", "pvc", "-n", "team-a"]);
    expect(claims.items.length).toBeGreaterThanOrEqual(1);
  });

  it("GIVEN the applied stack WHEN planned again THEN no changes (detailed exit code 0)", async () => {
    const plan = await tofu.run(stackDir, ["plan", "-detailed-exitcode", "-no-color"]);
    expect(plan.code, plan.stdout.slice(-6000) + plan.stderr).toBe(0);
    expect(plan.stdout).toContain("No changes.");
  });

  it("GIVEN dataset volumes with prevent_destroy WHEN destroyed THEN refused until the protection is lifted on purpose", async () => {
    const refused = await tofu.run(stackDir, ["destroy", "-auto-approve", "-no-color"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/Instance cannot be destroyed/);
    expect(refused.stderr).toContain("kubernetes_persistent_volume_claim_v1");
    expect(kubectl.exists(["namespace", "team-a"])).toBe(true);

    // Lifting the protection is an explicit edit of the stack, as a reviewed change would be.
    const json = stackJson();
    const claims = json.resource.kubernetes_persistent_volume_claim_v1 ?? {};
    expect(Object.keys(claims).length).toBeGreaterThan(0);
    for (const claim of Object.values(claims)) claim.lifecycle = { prevent_destroy: false };
    writeFileSync(join(stackDir, "cdk.tf.json"), JSON.stringify(json, null, 2));

    await tofu.must(stackDir, ["destroy", "-auto-approve", "-no-color"]);
    expect(kubectl.exists(["namespace", "team-a"])).toBe(false);
    expect(kubectl.exists(["namespace", "gpu-campus-system"])).toBe(false);
    const topologies = kubectl.json<{ items: unknown[] }>(["get", "topologies.kueue.x-k8s.io"]);
    expect(topologies.items).toEqual([]);
  });
});
