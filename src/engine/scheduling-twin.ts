import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import type { NodeRecord } from "../plan/node-identity.js";
import { LABEL } from "../vocabulary/labels.js";
import { ApiClient, inParallel } from "./api-client.js";
import { Kubectl } from "./kubectl.js";
import { KUEUE_METRICS_CERT_DIR, KUEUE_NAMESPACE, kueueConfiguration, loopbackWebhooks } from "./kueue-manager.js";
import { KWOK_NODE_ANNOTATION, kwokArgs, kwokStages } from "./kwok.js";
import {
  adminKubeconfig,
  adminTokenLine,
  freePort,
  logTail,
  loopbackApiServerArgs,
  loopbackEtcdArgs,
  sleep,
} from "./loopback-control-plane.js";
import { copyServingPair, makeCertificates, type TwinCertificates } from "./twin-certs.js";
import type { TwinToolchain } from "./twin-toolchain.js";

/**
 * The scheduling twin's engines on loopback, no containers: etcd, kube-apiserver,
 * kube-controller-manager (jobs, namespaces, quotas, service accounts, garbage collection),
 * kube-scheduler, kwok (the kubelets) and the Kueue manager, with Kueue's and Multus' real CRDs.
 * Every process runs in its own process group with its pid in `<runDir>/pids.json`, so a kept
 * twin is stopped later by stopTwin(runDir) (npm run twin:down).
 */
export interface TwinEndpoint {
  readonly server: string;
  readonly token: string;
  readonly kubeconfigPath: string;
  readonly context: string;
}

interface PidEntry {
  readonly name: string;
  readonly pid: number;
}

const PIDS_FILE = "pids.json";

export class SchedulingTwin {
  private readonly children: { name: string; child: ChildProcess }[] = [];
  private endpoint: TwinEndpoint | undefined;
  private certs: TwinCertificates | undefined;
  private apiClient: ApiClient | undefined;

  constructor(
    private readonly tools: TwinToolchain,
    readonly runDir: string,
    private readonly context: string,
    /** The sigs.k8s.io/kueue module directory: its webhook manifests. */
    private readonly kueueModule: string,
  ) {}

  get api(): ApiClient {
    if (!this.apiClient) throw new Error("the twin is not started");
    return this.apiClient;
  }

  get kubeconfig(): TwinEndpoint {
    if (!this.endpoint) throw new Error("the twin is not started");
    return this.endpoint;
  }

  kubectl(): Kubectl {
    return new Kubectl(this.tools.GPU_CAMPUS_KUBECTL, this.kubeconfig.kubeconfigPath);
  }

  /** etcd, kube-apiserver (ready), the real CRDs (established), controller manager, scheduler, kwok. */
  async startControlPlane(): Promise<TwinEndpoint> {
    if (existsSync(join(this.runDir, PIDS_FILE))) {
      throw new Error(`${this.runDir} holds a running twin (${PIDS_FILE}): stop it first with npm run twin:down`);
    }
    mkdirSync(join(this.runDir, "logs"), { recursive: true });
    this.certs = makeCertificates(join(this.runDir, "certs"));
    const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
    this.launch("etcd", this.tools.GPU_CAMPUS_ETCD, [
      ...loopbackEtcdArgs({
        name: "twin",
        dataDir: join(this.runDir, "etcd"),
        clientPort: etcdClient,
        peerPort: etcdPeer,
      }),
      `--listen-metrics-urls=http://127.0.0.1:${await freePort()}`,
      "--quota-backend-bytes=4294967296",
    ]);
    const token = randomBytes(24).toString("hex");
    const tokens = join(this.runDir, "tokens.csv");
    writeFileSync(tokens, adminTokenLine("twin", token));
    this.launch("kube-apiserver", this.tools.GPU_CAMPUS_KUBE_APISERVER, [
      ...loopbackApiServerArgs({
        etcdClientPort: etcdClient,
        securePort: apiPort,
        certDir: join(this.runDir, "certs", "apiserver"),
        tokenFile: tokens,
        serviceAccountPublicKey: this.certs.serviceAccountPub,
        serviceAccountSigningKey: this.certs.serviceAccountKey,
      }),
      // TaintNodesByCondition puts node.kubernetes.io/not-ready on every new Node, and only the
      // node-lifecycle controller (not run: kwok's leases are the liveness here) would lift it.
      "--disable-admission-plugins=TaintNodesByCondition",
      "--max-requests-inflight=800",
      "--max-mutating-requests-inflight=400",
    ]);
    const server = `https://127.0.0.1:${apiPort}`;
    this.apiClient = new ApiClient(server, token);
    await this.waitFor("kube-apiserver /readyz", 120_000, "kube-apiserver", async () => {
      const { status } = await this.api.call("GET", "/readyz");
      return status === 200;
    });
    const kubeconfigPath = join(this.runDir, "kubeconfig");
    writeFileSync(kubeconfigPath, adminKubeconfig({ server, token, cluster: "twin", context: this.context }));
    this.endpoint = { server, token, kubeconfigPath, context: this.context };

    const kubectl = this.kubectl();
    for (const dir of [this.tools.GPU_CAMPUS_KUEUE_CRDS, this.tools.GPU_CAMPUS_MULTUS_CRDS]) {
      kubectl.run(["apply", "--server-side", "-f", dir]);
    }
    await this.waitFor("the CRDs Established", 120_000, "kube-apiserver", async () => {
      const crds = await this.api.list<{ status?: { conditions?: { type: string; status: string }[] } }>(
        "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
      );
      return crds.every((c) => c.status?.conditions?.some((x) => x.type === "Established" && x.status === "True"));
    });
    await this.api.must("POST", "/api/v1/namespaces", { metadata: { name: KUEUE_NAMESPACE } }, [409]);

    const common = [
      `--kubeconfig=${kubeconfigPath}`,
      `--authentication-kubeconfig=${kubeconfigPath}`,
      `--authorization-kubeconfig=${kubeconfigPath}`,
      "--leader-elect=false",
      "--bind-address=127.0.0.1",
    ];
    this.launch("kube-controller-manager", this.tools.GPU_CAMPUS_KUBE_CONTROLLER_MANAGER, [
      ...common,
      `--secure-port=${await freePort()}`,
      "--controllers=job-controller,namespace-controller,garbage-collector-controller,serviceaccount-controller,serviceaccount-token-controller,root-ca-certificate-publisher-controller,resourcequota-controller,pod-garbage-collector-controller,persistentvolume-protection-controller,persistentvolumeclaim-protection-controller",
      `--service-account-private-key-file=${this.certs.serviceAccountKey}`,
      `--root-ca-file=${join(this.runDir, "certs", "apiserver", "apiserver.crt")}`,
      "--concurrent-job-syncs=16",
      "--kube-api-qps=200",
      "--kube-api-burst=400",
    ]);
    const schedulerConfig = join(this.runDir, "kube-scheduler.yaml");
    writeFileSync(
      schedulerConfig,
      stringify({
        apiVersion: "kubescheduler.config.k8s.io/v1",
        kind: "KubeSchedulerConfiguration",
        clientConnection: { kubeconfig: kubeconfigPath, qps: 300, burst: 600 },
        leaderElection: { leaderElect: false },
        // Kueue's topology-aware scheduling has pinned every pod to its node by nodeSelector:
        // scoring all 4,000 nodes for each pod adds nothing.
        percentageOfNodesToScore: 5,
      }),
    );
    this.launch("kube-scheduler", this.tools.GPU_CAMPUS_KUBE_SCHEDULER, [
      `--config=${schedulerConfig}`,
      `--authentication-kubeconfig=${kubeconfigPath}`,
      `--authorization-kubeconfig=${kubeconfigPath}`,
      "--bind-address=127.0.0.1",
      `--secure-port=${await freePort()}`,
    ]);
    const stages = join(this.runDir, "kwok-stages.yaml");
    writeFileSync(stages, kwokStages());
    this.launch("kwok", this.tools.GPU_CAMPUS_KWOK, kwokArgs(kubeconfigPath, stages));
    return this.endpoint;
  }

  /** Nodes as the registration artifact describes them (created with their status, like a kubelet), for kwok. */
  async registerNodes(records: readonly NodeRecord[]): Promise<void> {
    await inParallel(records, 24, async (record) => {
      await this.api.must(
        "POST",
        "/api/v1/nodes",
        {
          apiVersion: "v1",
          kind: "Node",
          metadata: {
            name: record.name,
            labels: { ...record.labels, [LABEL.hostname]: record.name },
            annotations: { [KWOK_NODE_ANNOTATION.key]: KWOK_NODE_ANNOTATION.value },
          },
          spec: { taints: record.taints },
          status: { capacity: record.capacity, allocatable: record.capacity },
        },
        [409],
      );
    });
  }

  async waitNodesReady(count: number, timeoutMs: number): Promise<void> {
    await this.waitFor(`${count} Ready nodes`, timeoutMs, "kwok", async () => {
      const nodes = await this.api.list<{ status?: { conditions?: { type: string; status: string }[] } }>(
        "/api/v1/nodes",
      );
      const ready = nodes.filter((n) => n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
      return ready.length >= count;
    });
  }

  /** The Kueue manager (after the nodes: its topology cache then starts complete), then its webhooks. */
  async startKueue(): Promise<void> {
    const certs = this.certs;
    if (!certs || !this.endpoint) throw new Error("start the control plane first");
    const webhookPort = await freePort();
    const healthPort = await freePort();
    const config = join(this.runDir, "kueue-config.yaml");
    writeFileSync(
      config,
      kueueConfiguration({
        webhookPort,
        certDir: certs.servingDir,
        healthAddress: `127.0.0.1:${healthPort}`,
        metricsAddress: `127.0.0.1:${await freePort()}`,
      }),
    );
    // KUEUE_METRICS_CERT_DIR is fixed under /etc: Kueue alone sees an overlay of /etc that has it,
    // in a private mount namespace (root only; nothing on the host's /etc changes).
    const overlay = join(this.runDir, "etc-overlay");
    copyServingPair(certs, join(overlay, "upper", KUEUE_METRICS_CERT_DIR.replace(/^\/etc\//, "")));
    mkdirSync(join(overlay, "work"), { recursive: true });
    this.launch("kueue", "unshare", [
      "--mount",
      "--propagation",
      "private",
      "--",
      "/bin/sh",
      "-c",
      'mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1/upper,workdir=$1/work" /etc && exec "$2" --config="$3" --kubeconfig="$4" --zap-log-level=info',
      "sh",
      overlay,
      this.tools.GPU_CAMPUS_KUEUE,
      config,
      this.endpoint.kubeconfigPath,
    ]);
    await this.waitFor("kueue /readyz", 120_000, "kueue", async () => {
      const response = await fetch(`http://127.0.0.1:${healthPort}/readyz`).catch(() => undefined);
      return response?.status === 200;
    });
    // Only now: with failurePolicy Fail, webhooks registered before Kueue serves would block every Job.
    const webhooks = join(this.runDir, "kueue-webhooks.yaml");
    writeFileSync(
      webhooks,
      loopbackWebhooks(
        join(this.kueueModule, "config/components/webhook/manifests.yaml"),
        readFileSync(certs.caCert, "utf8"),
        webhookPort,
      ),
    );
    this.kubectl().run(["apply", "-f", webhooks]);
  }

  private launch(name: string, binary: string, args: string[]): void {
    const log = openSync(join(this.runDir, "logs", `${name}.log`), "a");
    const child = spawn(binary, args, { stdio: ["ignore", log, log], detached: true });
    closeSync(log);
    child.on("error", () => undefined);
    this.children.push({ name, child });
    if (child.pid !== undefined) {
      const entries = this.pidEntries();
      writeFileSync(join(this.runDir, PIDS_FILE), JSON.stringify([...entries, { name, pid: child.pid }], null, 2));
    }
  }

  private pidEntries(): PidEntry[] {
    const file = join(this.runDir, PIDS_FILE);
    return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as PidEntry[]) : [];
  }

  logTail(name: string, lines = 40): string {
    return logTail(join(this.runDir, "logs"), name, lines);
  }

  /** Polls `ready` until true; fails early, with its log, when a process the twin started has exited. */
  async waitFor(what: string, timeoutMs: number, logOf: string, ready: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    while (Date.now() < deadline) {
      for (const { name, child } of this.children) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(
            `${name} exited (${child.exitCode ?? child.signalCode}) while waiting for ${what}:\n${this.logTail(name)}`,
          );
        }
      }
      try {
        if (await ready()) return;
      } catch (error) {
        last = (error as Error).message;
      }
      await sleep(300);
    }
    throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what} (${last}):\n${this.logTail(logOf)}`);
  }

  /** Leaves the processes running (--keep): stopTwin(runDir) stops them later. */
  detach(): void {
    for (const { child } of this.children) child.unref();
    this.apiClient?.close();
  }

  async stop(): Promise<void> {
    this.apiClient?.close();
    await stopTwin(this.runDir);
  }
}

/** Stops every process of a twin by the pids it recorded, newest first (SIGTERM, then SIGKILL after 10 s). */
export async function stopTwin(runDir: string): Promise<string[]> {
  const file = join(runDir, PIDS_FILE);
  if (!existsSync(file)) return [];
  const entries = JSON.parse(readFileSync(file, "utf8")) as PidEntry[];
  const stopped: string[] = [];
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (const { name, pid } of [...entries].reverse()) {
    if (!alive(pid)) continue;
    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + 10_000;
    while (alive(pid) && Date.now() < deadline) await sleep(100);
    if (alive(pid)) process.kill(pid, "SIGKILL");
    stopped.push(`${name} (pid ${pid})`);
  }
  rmSync(file);
  return stopped;
}
