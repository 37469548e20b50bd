import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { COMPUTE_DOMAIN_DEVICE_CLASSES, NVIDIA_DRA_DRIVER } from "../../src/catalog/nvidia-dra-driver.js";
import { Kubectl, nodeList, readNodeRecords } from "../../src/engine/kubectl.js";
import { LocalControlPlane } from "../../src/engine/local-control-plane.js";
import { freePort, sleep } from "../../src/engine/loopback-control-plane.js";
import { Tofu } from "../../src/engine/tofu.js";
import { loadToolchain } from "../../src/engine/toolchain.js";
import type { NodeRecord } from "../../src/plan/node-identity.js";
import { GPU_TAINT, LABEL } from "../../src/vocabulary/labels.js";
import { railResourceName } from "../../src/vocabulary/names.js";
import { type DaemonSetAffinitySpec, daemonSetNodeSelector } from "./support/daemon-set-selector.js";
import { ROOT } from "./support/synth.js";

/**
 * The node software of issue 12 on a real kube-apiserver (1.34) with OpenTofu and the real
 * kubernetes provider: the staging environment (GB200 NVL72, DRA driver, GFD, DCGM with the
 * Prometheus operator, RDMA rails and an RDMA tenant) is synthesized by the real app, its node
 * software, device plugin, workload classes and tenants are applied and planned again with no
 * changes; every DaemonSet's node affinity, as the API server selects nodes by it, picks exactly
 * its pool's registered nodes; the RDMA admission policy admits an IPC_LOCK pod and refuses
 * SYS_ADMIN and hostNetwork; and the real kube-scheduler allocates a ComputeDomain channel claim
 * from ResourceSlices published as the DRA kubelet plugin would (no kubelet needed for allocation).
 */
const STACK = "staging-stg-c1";
const CONTEXT = "gpu-campus-node-software";
const tools = loadToolchain(ROOT);
const work = mkdtempSync(join(tmpdir(), "gpu-campus-node-software-"));
const outdir = join(work, "cdktf.out");
const stackDir = join(outdir, "stacks", STACK);
const home = join(work, "home");
const tofu = new Tofu(tools, { HOME: home });
const controlPlane = new LocalControlPlane(tools, CONTEXT);
/** The scheduler the twin's toolchain builds (branch toolchain: bootstrap --with-twin); overridable. */
const SCHEDULER =
  process.env.GPU_CAMPUS_KUBE_SCHEDULER ??
  join(process.env.HOME ?? "/root", ".cache/gpu-campus/kube-scheduler-v1.34.4/bin/kube-scheduler");
const schedulerMissing = !existsSync(SCHEDULER);
if (schedulerMissing) {
  console.warn(`node-software e2e: no kube-scheduler at ${SCHEDULER}; the DRA allocation test cannot run here`);
}
const children: ChildProcess[] = [];
let kubectl: Kubectl;
let records: NodeRecord[];

type ResourceJson = Record<string, unknown> & { "//"?: { metadata?: { path?: string } } };
type TerraformJson = { resource: Record<string, Record<string, ResourceJson>> } & Record<string, unknown>;

/** The parts of the stack issue 12 adds or changes; the rest (Kueue, storage, volumes) is kind-apply's. */
const KEPT = ["/node-software/", "/nvidia-device-plugin/", "/workload-classes/", "/tenant-"];

/** Staging as a file of its own: local state, the local control plane's kubeconfig, the Prometheus operator declared. */
function stagingVariant(kubeconfig: string): string {
  const data = parse(readFileSync(join(ROOT, "environments/staging.yaml"), "utf8"));
  data.backend = { type: "local", directory: work };
  data.clusters.kubeconfig = { path: kubeconfig, contexts: { "stg-c1": CONTEXT } };
  data.addons.prometheusOperator = true;
  const file = join(work, "staging.yaml");
  writeFileSync(file, stringify(data));
  return file;
}

function synthVariant(file: string): void {
  const run = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "main.ts"), "--environment-file", file], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`synth failed (exit ${run.status}):\n${run.stderr}`);
}

/** Keeps the resources under KEPT construct paths; drops the rest from cdk.tf.json. */
function narrowStack(): TerraformJson {
  const path = join(stackDir, "cdk.tf.json");
  const json = JSON.parse(readFileSync(path, "utf8")) as TerraformJson;
  for (const [type, byName] of Object.entries(json.resource)) {
    for (const [name, resource] of Object.entries(byName)) {
      const constructPath = resource["//"]?.metadata?.path ?? "";
      if (!KEPT.some((part) => constructPath.includes(part))) delete byName[name];
    }
    if (Object.keys(byName).length === 0) delete json.resource[type];
  }
  writeFileSync(path, JSON.stringify(json, null, 2));
  return json;
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(1000);
  }
}

let kubeconfigPath = "";
let narrowed: TerraformJson;

beforeAll(async () => {
  const endpoint = await controlPlane.start();
  kubeconfigPath = endpoint.kubeconfigPath;
  mkdirSync(join(home, ".kube"), { recursive: true });
  kubectl = new Kubectl(tools.GPU_CAMPUS_KUBECTL, kubeconfigPath);
  synthVariant(stagingVariant(kubeconfigPath));
  narrowed = narrowStack();
  records = readNodeRecords(join(outdir, "environments/staging/nodes/stg-c1.jsonl"));
  // One List for the 288 trays (labels and taints as kubelet registers them).
  kubectl.run(["apply", "-f", "-"], nodeList(records));
  kubectl.installCrds(join(ROOT, "test/fixtures/crds-prometheus"));
}, 600_000);

afterAll(async () => {
  for (const child of children) child.kill("SIGTERM");
  await controlPlane.stop();
  rmSync(work, { recursive: true, force: true });
}, 120_000);

describe("GB200 node software on a real kube-apiserver with OpenTofu", () => {
  it("GIVEN the node software WHEN applied with the real provider THEN every object exists and a second plan has no changes", async () => {
    await tofu.must(stackDir, ["init", "-no-color"]);
    await tofu.must(stackDir, ["apply", "-auto-approve", "-no-color"]);
    const planned = Object.values(narrowed.resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
    const state = JSON.parse((await tofu.must(stackDir, ["show", "-json", "-no-color"])).stdout) as {
      values: { root_module: { resources: { type: string }[] } };
    };
    expect(state.values.root_module.resources).toHaveLength(planned);
    const types = new Set(state.values.root_module.resources.map((r) => r.type));
    for (const type of [
      "kubernetes_daemon_set_v1",
      "kubernetes_deployment_v1",
      "kubernetes_manifest",
      "kubernetes_service_v1",
    ]) {
      expect(types).toContain(type);
    }
    const crd = kubectl.json<{ spec: { group: string } }>([
      "get",
      "crd",
      `computedomains.${NVIDIA_DRA_DRIVER.crdGroup}`,
    ]);
    expect(crd.spec.group).toBe(NVIDIA_DRA_DRIVER.crdGroup);
    for (const name of Object.values(COMPUTE_DOMAIN_DEVICE_CLASSES)) {
      expect(kubectl.exists(["deviceclasses.resource.k8s.io", name])).toBe(true);
    }
    expect(kubectl.exists(["prometheusrules.monitoring.coreos.com", "-n", "gpu-telemetry", "gpu-health"])).toBe(true);
    expect(kubectl.exists(["validatingadmissionpolicybinding", "tenant-rdma-pods"])).toBe(true);

    const plan = await tofu.run(stackDir, ["plan", "-detailed-exitcode", "-no-color"]);
    expect(plan.code, plan.stdout.slice(-6000) + plan.stderr).toBe(0);
    expect(plan.stdout).toContain("No changes.");
  }, 900_000);

  it("GIVEN the applied DaemonSets WHEN the API server selects nodes by each one's affinity THEN each picks exactly its pool's nodes", () => {
    const daemonSets = kubectl.json<{
      items: { metadata: { name: string; namespace: string }; spec: DaemonSetAffinitySpec }[];
    }>(["get", "daemonsets", "-A"]);
    const names = daemonSets.items.map((d) => d.metadata.name).sort();
    expect(names).toEqual(
      [
        "compute-domain-kubelet-plugin-stg-gb200",
        "dcgm-exporter-stg-gb200",
        "gpu-feature-discovery-stg-gb200",
        "nvidia-device-plugin-stg-gb200",
        "sriov-network-device-plugin-stg-gb200",
      ].sort(),
    );
    const poolNodes = records
      .filter((r) => r.labels[LABEL.pool] === "gb200")
      .map((r) => r.name)
      .sort();
    expect(poolNodes).toHaveLength(288);
    for (const daemonSet of daemonSets.items) {
      const selector = daemonSetNodeSelector(daemonSet.spec, daemonSet.metadata.name);
      const selected = kubectl.json<{ items: { metadata: { name: string } }[] }>(["get", "nodes", "-l", selector]);
      expect(selected.items.map((n) => n.metadata.name).sort(), daemonSet.metadata.name).toEqual(poolNodes);
    }
  });

  it("GIVEN the RDMA tenant and its admission policy WHEN pods are created THEN IPC_LOCK with the rail resources is admitted and SYS_ADMIN or hostNetwork is refused", async () => {
    const namespace = "platform-tests";
    const pod = (name: string, patch: { add?: string[]; hostNetwork?: boolean }) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace },
      spec: {
        ...(patch.hostNetwork && { hostNetwork: true }),
        containers: [
          {
            name: "trainer",
            image: "registry.example.com/trainer:1.0",
            securityContext: {
              allowPrivilegeEscalation: false,
              capabilities: { drop: ["ALL"], add: patch.add ?? ["IPC_LOCK"] },
            },
            resources: {
              limits: { "nvidia.com/gpu": "4", [railResourceName(0)]: "1", [railResourceName(1)]: "1" },
            },
          },
        ],
      },
    });
    const create = (manifest: object) => {
      try {
        kubectl.run(["create", "--dry-run=server", "-f", "-"], JSON.stringify(manifest));
        return "admitted";
      } catch (error) {
        return String(error);
      }
    };
    // The policy is enforced once the API server has compiled it: wait for the first refusal.
    const refusal = await until("the tenant-rdma-pods policy to refuse SYS_ADMIN", () => {
      const result = create(pod("sys-admin", { add: ["IPC_LOCK", "SYS_ADMIN"] }));
      return result === "admitted" ? undefined : result;
    });
    expect(refusal).toMatch(/tenant-rdma-pods/);
    expect(refusal).toContain("only IPC_LOCK may be added");
    expect(create(pod("rdma", {}))).toBe("admitted");
    const hostNetwork = create(pod("host-network", { hostNetwork: true }));
    expect(hostNetwork).toContain("host namespaces (hostNetwork, hostPID, hostIPC) are not allowed");
    // A namespace without the RDMA label keeps Pod Security restricted, which refuses IPC_LOCK itself.
    kubectl.run(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: "plain", labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
      }),
    );
    const restricted = create({
      ...pod("rdma-elsewhere", {}),
      metadata: { name: "rdma-elsewhere", namespace: "plain" },
    });
    expect(restricted).toMatch(/violates PodSecurity "restricted/);
  }, 180_000);

  it.skipIf(schedulerMissing)(
    "GIVEN ResourceSlices as the ComputeDomain kubelet plugin publishes them WHEN a pod claims a channel THEN the real scheduler allocates the claim on a node with the device and binds the pod there",
    async () => {
      const port = await freePort();
      const scheduler = spawn(
        SCHEDULER,
        [
          `--kubeconfig=${kubeconfigPath}`,
          `--authentication-kubeconfig=${kubeconfigPath}`,
          `--authorization-kubeconfig=${kubeconfigPath}`,
          "--leader-elect=false",
          "--bind-address=127.0.0.1",
          `--secure-port=${port}`,
        ],
        { stdio: "ignore" },
      );
      children.push(scheduler);
      // The resource claim controller turns the pod's ResourceClaimTemplate into a ResourceClaim.
      const claims = spawn(
        tools.GPU_CAMPUS_KUBE_CONTROLLER_MANAGER,
        [
          `--kubeconfig=${kubeconfigPath}`,
          `--authentication-kubeconfig=${kubeconfigPath}`,
          `--authorization-kubeconfig=${kubeconfigPath}`,
          "--controllers=resourceclaim-controller",
          "--leader-elect=false",
          "--bind-address=127.0.0.1",
          `--secure-port=${await freePort()}`,
        ],
        { stdio: "ignore" },
      );
      children.push(claims);

      const sliced = records.slice(0, 3);
      for (const record of sliced) {
        const status = { status: { capacity: record.capacity, allocatable: record.capacity } };
        kubectl.run([
          "patch",
          "node",
          record.name,
          "--subresource=status",
          "--type=merge",
          "-p",
          JSON.stringify(status),
        ]);
        // The compute-domain plugin's slice: one pool named after the node, devices channel-0 and
        // daemon-0 (dra-driver-nvidia-gpu v0.4.1 cmd/compute-domain-kubelet-plugin/driver.go, deviceinfo.go).
        kubectl.run(
          ["create", "-f", "-"],
          JSON.stringify({
            apiVersion: "resource.k8s.io/v1",
            kind: "ResourceSlice",
            metadata: { name: `${record.name}-compute-domain.nvidia.com` },
            spec: {
              driver: NVIDIA_DRA_DRIVER.computeDomainDriver,
              nodeName: record.name,
              pool: { name: record.name, generation: 1, resourceSliceCount: 1 },
              devices: [
                { name: "channel-0", attributes: { type: { string: "channel" }, id: { int: 0 } } },
                { name: "daemon-0", attributes: { type: { string: "daemon" }, id: { int: 0 } } },
              ],
            },
          }),
        );
      }
      const namespace = "dra-e2e";
      kubectl.run(["create", "namespace", namespace]);
      kubectl.run(
        ["create", "-f", "-"],
        JSON.stringify({
          apiVersion: "resource.k8s.io/v1",
          kind: "ResourceClaimTemplate",
          metadata: { name: "train-cd-channel", namespace },
          spec: {
            spec: {
              devices: {
                requests: [
                  { name: "channel", exactly: { deviceClassName: COMPUTE_DOMAIN_DEVICE_CLASSES.defaultChannel } },
                ],
              },
            },
          },
        }),
      );
      kubectl.run(
        ["create", "-f", "-"],
        JSON.stringify({
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: "worker-0", namespace },
          spec: {
            tolerations: [
              { key: GPU_TAINT.key, operator: "Exists", effect: GPU_TAINT.effect },
              { key: "node.kubernetes.io/not-ready", operator: "Exists" },
            ],
            resourceClaims: [{ name: "cd-channel", resourceClaimTemplateName: "train-cd-channel" }],
            containers: [
              {
                name: "worker",
                image: "registry.example.com/trainer:1.0",
                resources: { claims: [{ name: "cd-channel" }] },
              },
            ],
          },
        }),
      );
      const nodeName = await until(
        "the scheduler to bind worker-0",
        () => {
          const pod = kubectl.json<{ spec: { nodeName?: string } }>(["get", "pod", "-n", namespace, "worker-0"]);
          return pod.spec.nodeName;
        },
        120_000,
      );
      expect(sliced.map((r) => r.name)).toContain(nodeName);
      const claimList = kubectl.json<{
        items: {
          status?: {
            allocation?: { devices: { results: { driver: string; pool: string; device: string; request: string }[] } };
          };
        }[];
      }>(["get", "resourceclaims", "-n", namespace]);
      expect(claimList.items).toHaveLength(1);
      expect(claimList.items[0]?.status?.allocation?.devices.results).toEqual([
        { driver: NVIDIA_DRA_DRIVER.computeDomainDriver, pool: nodeName, device: "channel-0", request: "channel" },
      ]);
    },
    240_000,
  );
});
