import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";

/**
 * The Kueue manager run out of cluster against the twin's loopback API server: its configuration,
 * and its webhook configurations pointed at 127.0.0.1 with the harness's CA (Kueue's internal
 * cert management is off). Facts from kubernetes-sigs/kueue v0.17.0: cmd/kueue/main.go (the
 * metrics server reads /etc/kueue/metrics/certs when internal cert management is off),
 * config/components/manager/controller_manager_config.yaml, config/components/webhook/manifests.yaml.
 */
export const KUEUE_NAMESPACE = "kueue-system";
/** Hard-coded in cmd/kueue/main.go (v0.17.0): where the metrics server's tls.crt and tls.key must be. */
export const KUEUE_METRICS_CERT_DIR = "/etc/kueue/metrics/certs";

export interface KueueEndpoints {
  readonly webhookPort: number;
  /** tls.crt and tls.key for 127.0.0.1. */
  readonly certDir: string;
  readonly healthAddress: string;
  readonly metricsAddress: string;
}

export function kueueConfiguration(endpoints: KueueEndpoints): string {
  return stringify({
    apiVersion: "config.kueue.x-k8s.io/v1beta2",
    kind: "Configuration",
    namespace: KUEUE_NAMESPACE,
    // Only Jobs that name a queue: the twin's tenants always do.
    manageJobsWithoutQueueName: false,
    internalCertManagement: { enable: false },
    webhook: { host: "127.0.0.1", port: endpoints.webhookPort, certDir: endpoints.certDir },
    health: { healthProbeBindAddress: endpoints.healthAddress },
    metrics: { bindAddress: endpoints.metricsAddress },
    pprofBindAddress: "0",
    leaderElection: { leaderElect: false },
    clientConnection: { qps: 200, burst: 400 },
    controller: {
      groupKindConcurrency: {
        "Job.batch": 8,
        "Workload.kueue.x-k8s.io": 8,
        "LocalQueue.kueue.x-k8s.io": 1,
        "ClusterQueue.kueue.x-k8s.io": 1,
        "ResourceFlavor.kueue.x-k8s.io": 1,
        "Cohort.kueue.x-k8s.io": 1,
      },
    },
    integrations: { frameworks: ["batch/job"] },
    // The visibility API server wants its own certificates under /visibility: not needed here.
    featureGates: { TopologyAwareScheduling: true, VisibilityOnDemand: false },
  });
}

/** The Kueue webhooks the twin needs: Jobs (the mutating one suspends a new Job) and Kueue's own kinds. */
const NEEDED_WEBHOOKS = new Set([
  "mjob.kb.io",
  "vjob.kb.io",
  "mclusterqueue.kb.io",
  "vclusterqueue.kb.io",
  "vcohort.kb.io",
  "mresourceflavor.kb.io",
  "vresourceflavor.kb.io",
  "mworkload.kb.io",
  "vworkload.kb.io",
]);

/** The sigs.k8s.io/kueue module the bootstrap downloaded (its CRDs came from it). */
export function kueueModuleDir(version: string): string {
  const cache = execFileSync("go", ["env", "GOMODCACHE"], { encoding: "utf8" }).trim();
  return join(cache, "sigs.k8s.io", `kueue@${version}`);
}

/**
 * Kueue's webhook configurations with each service reference replaced by a loopback URL and the
 * CA bundle set, keeping only NEEDED_WEBHOOKS (the other integrations would intercept every Pod).
 */
export function loopbackWebhooks(manifestsPath: string, caPem: string, port: number): string {
  const caBundle = Buffer.from(caPem).toString("base64");
  const documents = parseAllDocuments(readFileSync(manifestsPath, "utf8")).map(
    (d) => d.toJSON() as { metadata: { name: string }; webhooks?: Record<string, unknown>[] } | null,
  );
  return documents
    .filter((d): d is NonNullable<typeof d> => d !== null)
    .map((doc) => {
      const webhooks = (doc.webhooks ?? [])
        .filter((hook) => NEEDED_WEBHOOKS.has(String(hook.name)))
        .map((hook) => {
          const clientConfig = hook.clientConfig as { service?: { path?: string } };
          return {
            ...hook,
            clientConfig: { url: `https://127.0.0.1:${port}${clientConfig.service?.path ?? "/"}`, caBundle },
            timeoutSeconds: 10,
          };
        });
      return stringify({ ...doc, metadata: { ...doc.metadata, name: `kueue-${doc.metadata.name}` }, webhooks });
    })
    .join("---\n");
}
