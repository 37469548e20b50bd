import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { Kubectl, readNodeRecords } from "../../../src/engine/kubectl.js";
import { LocalControlPlane } from "../../../src/engine/local-control-plane.js";
import { Tofu } from "../../../src/engine/tofu.js";
import type { ControlPlaneToolchain, Toolchain } from "../../../src/engine/toolchain.js";
import type { NodeRecord } from "../../../src/plan/node-identity.js";

/**
 * One synthesized cluster stack against a local control plane (src/engine), the way an operator
 * would run it against the real cluster: the nodes of its node registration registered, the real
 * Kueue and Multus CRDs installed (the bootstrap's GPU_CAMPUS_KUEUE_CRDS and
 * GPU_CAMPUS_MULTUS_CRDS), and OpenTofu with the real kubernetes provider in a copy of the stack's
 * directory. Two things differ from production, both written into the copy and nowhere else:
 * - the backend is a local state file in the temporary directory (staging's and production's S3
 *   buckets are neither reachable nor to be written by a test);
 * - the provider's `config_path` (`~/.kube/config`) is found through a HOME of the test's own,
 *   whose kubeconfig names the stack's `config_context` and points at the local API server.
 */
export type TerraformJson = {
  terraform: { backend?: Record<string, unknown> } & Record<string, unknown>;
  provider: { kubernetes: { config_context?: string }[] };
  resource: Record<string, Record<string, Record<string, unknown>>>;
} & Record<string, unknown>;

/**
 * A local control plane with the real CRDs installed, that one or more stacks are applied to in
 * turn (each destroyed before the next, or in a cluster of its own): starting one costs ~10 s
 * here, so a suite shares it.
 */
export class TestCluster {
  readonly controlPlane: LocalControlPlane;
  private client: Kubectl | undefined;

  constructor(private readonly tools: ControlPlaneToolchain) {
    this.controlPlane = new LocalControlPlane(tools, "gpu-campus-e2e");
  }

  get kubectl(): Kubectl {
    if (!this.client) throw new Error("the control plane is not started");
    return this.client;
  }

  /** Starts the control plane and installs the bootstrap's Kueue and Multus CRDs. */
  async start(): Promise<void> {
    const endpoint = await this.controlPlane.start();
    this.client = new Kubectl(this.tools.GPU_CAMPUS_KUBECTL, endpoint.kubeconfigPath);
    this.client.installCrds(this.tools.GPU_CAMPUS_KUEUE_CRDS, this.tools.GPU_CAMPUS_MULTUS_CRDS);
  }

  /** A kubeconfig for this API server whose context has the name a stack's provider asks for. */
  kubeconfig(context: string): string {
    const { server, token } = this.controlPlane.kubeconfig;
    return stringify({
      apiVersion: "v1",
      kind: "Config",
      // Loopback-only, self-signed by kube-apiserver's --cert-dir, for one test run.
      clusters: [{ name: "e2e", cluster: { server, "insecure-skip-tls-verify": true } }],
      users: [{ name: "e2e-admin", user: { token } }],
      contexts: [{ name: context, context: { cluster: "e2e", user: "e2e-admin" } }],
      "current-context": context,
    });
  }

  stop(): Promise<void> {
    return this.controlPlane.stop();
  }
}

export interface StackUnderTestProps {
  /** The cdktf.out to copy the stack from. */
  readonly synthDir: string;
  /** The stack's name, e.g. `staging-stg-c1`. */
  readonly stack: string;
  /** The started cluster to apply to. */
  readonly cluster: TestCluster;
  /**
   * Patch each node's status with the record's capacity (nvidia.com/gpu), as the device plugin
   * would. Thousands of status patches cost seconds: a stack's objects do not need them.
   * @default - true
   */
  readonly advertiseCapacity?: boolean;
}

export class StackUnderTest {
  readonly work = mkdtempSync(join(tmpdir(), "gpu-campus-stack-"));
  /** The stack's working directory (a copy of cdktf.out/stacks/<stack>). */
  readonly dir = join(this.work, "stack");
  readonly home = join(this.work, "home");
  readonly stateFile = join(this.work, "terraform.tfstate");
  readonly tofu: Tofu;
  records: readonly NodeRecord[] = [];

  constructor(
    tools: Toolchain,
    private readonly props: StackUnderTestProps,
  ) {
    this.useConfigFrom(props.synthDir);
    this.tofu = new Tofu(tools, { HOME: this.home }, { pluginCacheDir: join(this.work, "plugin-cache") });
  }

  get kubectl(): Kubectl {
    return this.props.cluster.kubectl;
  }

  get stack(): string {
    return this.props.stack;
  }

  /** Registers the stack's nodes in the (started) cluster, writes the kubeconfig and runs `tofu init`. */
  async start(): Promise<void> {
    mkdirSync(join(this.home, ".kube"), { recursive: true });
    writeFileSync(join(this.home, ".kube", "config"), this.props.cluster.kubeconfig(this.context()));
    this.records = readNodeRecords(nodeRegistrationPath(this.props.synthDir, this.props.stack));
    await this.props.cluster.controlPlane.registerNodes(this.records, {
      advertiseCapacity: this.props.advertiseCapacity ?? true,
    });
    await this.tofu.must(this.dir, ["init", "-no-color"]);
  }

  /**
   * Puts the stack's cdk.tf.json from `synthDir` (this commit's, or another commit's synth) into
   * the working directory, with the local backend; the state and `.terraform` stay.
   */
  useConfigFrom(synthDir: string): void {
    const from = join(synthDir, "stacks", this.props.stack);
    mkdirSync(this.dir, { recursive: true });
    cpSync(join(from, "cdk.tf.json"), join(this.dir, "cdk.tf.json"));
    const json = this.config();
    json.terraform.backend = { local: { path: this.stateFile } };
    this.writeConfig(json);
  }

  config(): TerraformJson {
    return JSON.parse(readFileSync(join(this.dir, "cdk.tf.json"), "utf8")) as TerraformJson;
  }

  writeConfig(json: TerraformJson): void {
    writeFileSync(join(this.dir, "cdk.tf.json"), JSON.stringify(json, null, 2));
  }

  /** The addresses of the resources that carry `lifecycle.prevent_destroy = true`. */
  protectedAddresses(): string[] {
    return Object.entries(this.config().resource).flatMap(([type, byName]) =>
      Object.entries(byName)
        .filter(([, body]) => (body.lifecycle as { prevent_destroy?: unknown } | undefined)?.prevent_destroy === true)
        .map(([name]) => `${type}.${name}`),
    );
  }

  /** Lifts every prevent_destroy, as an explicit, reviewed edit of the stack would. */
  liftProtection(): void {
    const json = this.config();
    for (const byName of Object.values(json.resource)) {
      for (const body of Object.values(byName)) {
        const lifecycle = body.lifecycle as Record<string, unknown> | undefined;
        if (lifecycle?.prevent_destroy === true) body.lifecycle = { ...lifecycle, prevent_destroy: false };
      }
    }
    this.writeConfig(json);
  }

  /** Removes the working directory (the cluster is stopped by its owner). */
  stop(): void {
    rmSync(this.work, { recursive: true, force: true });
  }

  private context(): string {
    const context = this.config().provider.kubernetes[0]?.config_context;
    if (!context) throw new Error(`${this.props.stack}: the kubernetes provider names no config_context`);
    return context;
  }
}

/**
 * The stack's node registration artifact: environments/<env>/nodes/<cluster>.jsonl, the cluster
 * found by its stack in the environment's capacity.json (written by src/artifacts/environment-artifacts.ts).
 */
export function nodeRegistrationPath(synthDir: string, stack: string): string {
  const environment = stack.split("-")[0] ?? stack;
  const capacity = JSON.parse(readFileSync(join(synthDir, "environments", environment, "capacity.json"), "utf8")) as {
    clusters: { id: string; stack: string }[];
  };
  const cluster = capacity.clusters.find((c) => c.stack === stack);
  if (!cluster) throw new Error(`${stack}: not a cluster of ${environment}'s capacity.json`);
  return join(synthDir, "environments", environment, "nodes", `${cluster.id}.jsonl`);
}
