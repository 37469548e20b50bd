import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { stringify } from "yaml";

/**
 * What the two loopback control planes start the same way: LocalControlPlane (the e2e suites) and
 * SchedulingTwin. Both run a one-member etcd and a kube-apiserver on 127.0.0.1 with a static admin
 * token in system:masters, and log each process to `<logs>/<name>.log`. How each launches, waits
 * for and stops its processes differs on purpose (the twin's outlive the test run), so that stays
 * in each class.
 */

/** A TCP port free on 127.0.0.1 right now (the kernel picks it; the probe is closed before use). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface LoopbackEtcd {
  /** The member's name, also its `--initial-cluster` entry. */
  readonly name: string;
  readonly dataDir: string;
  readonly clientPort: number;
  readonly peerPort: number;
}

/** A one-member etcd cluster on loopback, plain HTTP (etcd.io/docs/v3.5/op-guide/configuration). */
export function loopbackEtcdArgs(etcd: LoopbackEtcd): string[] {
  return [
    `--name=${etcd.name}`,
    `--data-dir=${etcd.dataDir}`,
    `--listen-client-urls=http://127.0.0.1:${etcd.clientPort}`,
    `--advertise-client-urls=http://127.0.0.1:${etcd.clientPort}`,
    `--listen-peer-urls=http://127.0.0.1:${etcd.peerPort}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${etcd.peerPort}`,
    `--initial-cluster=${etcd.name}=http://127.0.0.1:${etcd.peerPort}`,
    "--log-level=warn",
  ];
}

export interface LoopbackApiServer {
  readonly etcdClientPort: number;
  readonly securePort: number;
  /** Where kube-apiserver writes its self-signed serving certificate. */
  readonly certDir: string;
  /** `token,user,uid,"group"` lines (--token-auth-file). */
  readonly tokenFile: string;
  readonly serviceAccountPublicKey: string;
  readonly serviceAccountSigningKey: string;
}

/**
 * kube-apiserver on loopback: static tokens, RBAC, service-account tokens signed with the given
 * key pair, and privileged pods allowed (the node agents are privileged).
 */
export function loopbackApiServerArgs(api: LoopbackApiServer): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${api.etcdClientPort}`,
    "--bind-address=127.0.0.1",
    "--advertise-address=127.0.0.1",
    `--secure-port=${api.securePort}`,
    `--cert-dir=${api.certDir}`,
    `--token-auth-file=${api.tokenFile}`,
    "--authorization-mode=RBAC",
    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
    `--service-account-key-file=${api.serviceAccountPublicKey}`,
    `--service-account-signing-key-file=${api.serviceAccountSigningKey}`,
    "--service-cluster-ip-range=10.96.0.0/16",
    "--allow-privileged=true",
    "--v=0",
  ];
}

export interface AdminKubeconfig {
  readonly server: string;
  readonly token: string;
  /** Names the kubeconfig's cluster and its `<cluster>-admin` user. */
  readonly cluster: string;
  readonly context: string;
}

/** The --token-auth-file line of the admin token: user `<cluster>-admin` in system:masters. */
export function adminTokenLine(cluster: string, token: string): string {
  return `${token},${cluster}-admin,${cluster}-admin,"system:masters"\n`;
}

/** A kubeconfig for the admin token, its context current. */
export function adminKubeconfig(config: AdminKubeconfig): string {
  const user = `${config.cluster}-admin`;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    // The serving certificate is self-signed by --cert-dir; the endpoint is loopback only and
    // lives for one run.
    clusters: [{ name: config.cluster, cluster: { server: config.server, "insecure-skip-tls-verify": true } }],
    users: [{ name: user, user: { token: config.token } }],
    contexts: [{ name: config.context, context: { cluster: config.cluster, user } }],
    "current-context": config.context,
  });
}

/** The last lines of a process's log, for a failure message. */
export function logTail(logsDir: string, name: string, lines: number): string {
  try {
    return readFileSync(join(logsDir, `${name}.log`), "utf8")
      .split("\n")
      .slice(-lines)
      .join("\n");
  } catch {
    return "(no log)";
  }
}
