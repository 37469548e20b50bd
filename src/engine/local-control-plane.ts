import { type ChildProcess, spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NodeRecord } from "../plan/node-identity.js";
import { nodeObject } from "./kubectl.js";
import {
  adminKubeconfig,
  adminTokenLine,
  freePort,
  logTail,
  loopbackApiServerArgs,
  loopbackEtcdArgs,
  sleep,
} from "./loopback-control-plane.js";
import type { ControlPlaneToolchain } from "./toolchain.js";

/**
 * A real Kubernetes control plane on loopback: etcd, kube-apiserver and kube-controller-manager
 * (the namespace, garbage-collector and PVC-protection controllers, without which namespaces and
 * volumes never finish deleting). No kubelets: nodes are registered as API objects from the node
 * registration artifact, like kwok does. Everything lives in one temporary directory that stop()
 * removes, also after a failure.
 */
export interface ControlPlaneEndpoint {
  readonly server: string;
  readonly token: string;
  readonly kubeconfigPath: string;
  readonly context: string;
}

export interface RegisterNodesOptions {
  /** Patch each node's status with the record's capacity (nvidia.com/gpu). @default - true */
  readonly advertiseCapacity?: boolean;
  /** Requests in flight at once. @default - 16 */
  readonly concurrency?: number;
}

export class LocalControlPlane {
  private readonly processes: { name: string; child: ChildProcess }[] = [];
  readonly workDir = mkdtempSync(join(tmpdir(), "gpu-campus-e2e-"));
  private endpoint: ControlPlaneEndpoint | undefined;

  constructor(
    private readonly tools: ControlPlaneToolchain,
    private readonly context: string,
  ) {}

  get kubeconfig(): ControlPlaneEndpoint {
    if (!this.endpoint) throw new Error("the control plane is not started");
    return this.endpoint;
  }

  async start(): Promise<ControlPlaneEndpoint> {
    const dir = this.workDir;
    const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
    mkdirSync(join(dir, "logs"));

    this.launch(
      "etcd",
      this.tools.GPU_CAMPUS_ETCD,
      loopbackEtcdArgs({ name: "e2e", dataDir: join(dir, "etcd"), clientPort: etcdClient, peerPort: etcdPeer }),
    );

    // Service-account signing keys; a static admin token in system:masters.
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const saKey = join(dir, "sa.key");
    const saPub = join(dir, "sa.pub");
    writeFileSync(saKey, privateKey.export({ type: "pkcs1", format: "pem" }));
    writeFileSync(saPub, publicKey.export({ type: "spki", format: "pem" }));
    const token = randomBytes(24).toString("hex");
    const tokenFile = join(dir, "tokens.csv");
    writeFileSync(tokenFile, adminTokenLine("e2e", token));

    this.launch(
      "kube-apiserver",
      this.tools.GPU_CAMPUS_KUBE_APISERVER,
      loopbackApiServerArgs({
        etcdClientPort: etcdClient,
        securePort: apiPort,
        certDir: join(dir, "certs"),
        tokenFile,
        serviceAccountPublicKey: saPub,
        serviceAccountSigningKey: saKey,
      }),
    );
    const server = `https://127.0.0.1:${apiPort}`;
    await this.waitReady(server, token);

    const kubeconfigPath = join(dir, "kubeconfig");
    writeFileSync(kubeconfigPath, adminKubeconfig({ server, token, cluster: "e2e", context: this.context }));

    this.launch("kube-controller-manager", this.tools.GPU_CAMPUS_KUBE_CONTROLLER_MANAGER, [
      `--kubeconfig=${kubeconfigPath}`,
      `--authentication-kubeconfig=${kubeconfigPath}`,
      `--authorization-kubeconfig=${kubeconfigPath}`,
      "--controllers=namespace-controller,garbage-collector-controller,persistentvolume-protection-controller,persistentvolumeclaim-protection-controller,serviceaccount-controller,resourcequota-controller",
      `--service-account-private-key-file=${saKey}`,
      "--leader-elect=false",
      "--bind-address=127.0.0.1",
      `--secure-port=${await freePort()}`,
    ]);

    this.endpoint = { server, token, kubeconfigPath, context: this.context };
    return this.endpoint;
  }

  private launch(name: string, binary: string, args: string[]): void {
    const log = createWriteStream(join(this.workDir, "logs", `${name}.log`));
    const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    child.on("exit", (code, signal) => {
      if (!this.stopping) log.write(`\n[e2e] ${name} exited early: code ${code} signal ${signal}\n`);
    });
    this.processes.push({ name, child });
  }

  private stopping = false;

  /** Last lines of a component's log, for a failure message. */
  logTail(name: string, lines = 30): string {
    return logTail(join(this.workDir, "logs"), name, lines);
  }

  private async waitReady(server: string, token: string): Promise<void> {
    const deadline = Date.now() + 90_000;
    let last = "";
    while (Date.now() < deadline) {
      for (const { name, child } of this.processes) {
        if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${this.logTail(name)}`);
      }
      try {
        const { status, body } = await get(`${server}/readyz`, token);
        if (status === 200) return;
        last = `${status} ${body.slice(0, 200)}`;
      } catch (error) {
        last = (error as Error).message;
      }
      await sleep(500);
    }
    throw new Error(`kube-apiserver not ready after 90 s (${last}):\n${this.logTail("kube-apiserver")}`);
  }

  /**
   * Registers the node registration's records through the API (what kubelets started with the
   * records' --node-labels and --register-with-taints would create), then, unless told not to,
   * advertises each one's capacity through the status subresource (what kwok or the device
   * plugin would do). Direct requests over a few kept-alive connections: a production cluster's
   * 4,320 nodes take seconds, where a kubectl process per node would take minutes.
   */
  async registerNodes(records: readonly NodeRecord[], options: RegisterNodesOptions = {}): Promise<void> {
    const concurrency = options.concurrency ?? 16;
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    try {
      const queue = [...records];
      await Promise.all(
        Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
          for (let record = queue.shift(); record !== undefined; record = queue.shift()) {
            await this.api("POST", "/api/v1/nodes", nodeObject(record), agent);
            if (options.advertiseCapacity === false) continue;
            const status = { status: { capacity: record.capacity, allocatable: record.capacity } };
            await this.api("PATCH", `/api/v1/nodes/${record.name}/status`, status, agent);
          }
        }),
      );
    } finally {
      agent.destroy();
    }
  }

  /** One API request with the admin token; throws with the API's answer unless it is 2xx. */
  async api(method: string, path: string, body?: unknown, agent?: Agent): Promise<unknown> {
    const { server, token } = this.kubeconfig;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const contentType = method === "PATCH" ? "application/merge-patch+json" : "application/json";
    const { status, body: answer } = await send(`${server}${path}`, token, { method, payload, contentType, agent });
    if (status < 200 || status >= 300) throw new Error(`${method} ${path}: ${status} ${answer.slice(0, 500)}`);
    return answer === "" ? undefined : (JSON.parse(answer) as unknown);
  }

  /** Stops every process (kube-controller-manager, then the API server, then etcd) and removes the directory. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const { child } of [...this.processes].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timedOut = await Promise.race([exited.then(() => false), sleep(10_000).then(() => true)]);
      if (timedOut) child.kill("SIGKILL");
    }
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

/** GET with the bearer token; the serving certificate is self-signed (see the kubeconfig). */
export function get(url: string, token: string): Promise<{ status: number; body: string }> {
  return send(url, token, { method: "GET", timeoutMs: 5_000 });
}

interface SendOptions {
  readonly method: string;
  readonly payload?: string;
  readonly contentType?: string;
  readonly agent?: Agent;
  readonly timeoutMs?: number;
}

function send(url: string, token: string, options: SendOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
    if (options.payload !== undefined) {
      headers["Content-Type"] = options.contentType ?? "application/json";
      headers["Content-Length"] = String(Buffer.byteLength(options.payload));
    }
    const req = request(
      url,
      {
        method: options.method,
        headers,
        rejectUnauthorized: false,
        ...(options.agent ? { agent: options.agent } : {}),
      },
      (res) => {
        let body = "";
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    const timeout = options.timeoutMs ?? 30_000;
    req.setTimeout(timeout, () => req.destroy(new Error(`${options.method} ${url}: no answer in ${timeout} ms`)));
    req.end(options.payload);
  });
}
