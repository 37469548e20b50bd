import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Tofu, type TofuResult } from "../../src/engine/tofu.js";
import { loadToolchain } from "../../src/engine/toolchain.js";
import { environmentData, loadData } from "../fixtures/environments.js";
import { synthCluster } from "../fixtures/stacks.js";
import { ROOT } from "./support/synth.js";

/**
 * A team backend under contention: two engineers apply the same stack at once against a real
 * S3-compatible store on loopback (moto's server, which refuses a second `If-None-Match: *` write
 * the way S3 does). The backend block is the one ClusterStack synthesizes for an S3-compatible
 * endpoint with path style; the stack beside it holds only a terraform_data whose creation sleeps,
 * so the first apply holds the lock long enough for the others to meet it, and no Kubernetes API
 * is needed.
 */
const BUCKET = "gpu-campus-tfstate";
const KEY = "e2e/kind-c1.tfstate";
const HOLD_SECONDS = 8;
// biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform interpolation, not a JavaScript template
const RUN_VARIABLE = "${var.run}";

const motoServer = spawnSync("bash", [join(ROOT, "scripts/lib/moto-server.sh")], { encoding: "utf8" });
const serverPath = motoServer.status === 0 ? motoServer.stdout.trim() : undefined;
if (!serverPath) {
  process.stdout.write(
    `not run: state-locking e2e: no S3-compatible server (${motoServer.stderr.trim().split("\n").at(-1)})\n`,
  );
}

const work = mkdtempSync(join(tmpdir(), "gpu-campus-locking-"));
let server: ChildProcess | undefined;
let endpoint = "";
afterAll(() => {
  server?.kill();
  rmSync(work, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function waitFor(what: string, ready: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // A fetch that fails (server not up yet) is "not ready"; any other error ends the wait.
    if (await ready().catch((error: Error) => (error instanceof TypeError ? false : Promise.reject(error)))) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** The bucket's keys (ListObjects answers anonymously; a private object's GET would not). */
async function keys(): Promise<string[]> {
  const listing = await (await fetch(`${endpoint}/${BUCKET}`)).text();
  return [...listing.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1] ?? "");
}

interface TimedRun extends TofuResult {
  readonly endedAt: number;
}

describe.skipIf(!serverPath)("two tofu applies of one stack at once against an S3-compatible store", () => {
  const tofu = new Tofu(loadToolchain(ROOT), { AWS_ACCESS_KEY_ID: "e2e", AWS_SECRET_ACCESS_KEY: "e2e" });
  const engineers = ["first", "impatient", "patient"] as const;
  const dirs = Object.fromEntries(engineers.map((e) => [e, join(work, e)])) as Record<
    (typeof engineers)[number],
    string
  >;
  const runs: Partial<Record<(typeof engineers)[number], TimedRun>> = {};
  let lockSeenWhileFirstRan = false;

  const apply = async (dir: string, args: string[]): Promise<TimedRun> => {
    const result = await tofu.run(dir, ["apply", "-auto-approve", "-no-color", ...args]);
    return { ...result, endedAt: Date.now() };
  };

  beforeAll(async () => {
    if (!serverPath) return;
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    server = spawn(serverPath, ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
    await waitFor("moto_server", async () => (await fetch(endpoint)).ok);
    const created = await fetch(`${endpoint}/${BUCKET}`, { method: "PUT" });
    expect(created.ok).toBe(true);

    // The backend block exactly as the stack emits it; an OCI region, which AWS's list would refuse.
    const environment = loadData({
      ...environmentData("kind"),
      backend: { type: "s3", bucket: BUCKET, region: "us-ashburn-1", keyPrefix: "e2e", endpoint, usePathStyle: true },
    }).spec;
    const { backend } = (synthCluster(environment).json as { terraform: { backend: unknown } }).terraform;
    const stack = {
      terraform: { backend },
      variable: { run: { type: "string" } },
      resource: {
        terraform_data: {
          hold: {
            input: RUN_VARIABLE,
            triggers_replace: RUN_VARIABLE,
            provisioner: [{ "local-exec": { command: `sleep ${HOLD_SECONDS}` } }],
          },
        },
      },
    };
    for (const dir of Object.values(dirs)) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "main.tf.json"), JSON.stringify(stack, null, 2));
      await tofu.must(dir, ["init", "-no-color", "-input=false"]);
    }

    let firstDone: TimedRun | undefined;
    const first = apply(dirs.first, ["-var", "run=first"]).then((run) => {
      firstDone = run;
      return run;
    });
    await waitFor("the first apply's lock object", async () => {
      if (firstDone)
        throw new Error(
          `the first apply ended before its lock was seen (exit ${firstDone.code}):\n${firstDone.stderr}`,
        );
      return (await keys()).includes(`${KEY}.tflock`);
    });
    lockSeenWhileFirstRan = true;
    const [impatient, patient] = await Promise.all([
      apply(dirs.impatient, ["-var", "run=impatient", "-lock-timeout=0s"]),
      apply(dirs.patient, ["-var", "run=patient", "-lock-timeout=120s"]),
    ]);
    runs.first = await first;
    runs.impatient = impatient;
    runs.patient = patient;
  });

  it("GIVEN the first apply holds the lock WHEN a second one will not wait THEN it fails with a lock error naming the holder's lock", () => {
    expect(lockSeenWhileFirstRan).toBe(true);
    expect(runs.impatient?.code).toBe(1);
    expect(runs.impatient?.stderr).toContain("Error acquiring the state lock");
    expect(runs.impatient?.stderr).toMatch(/Lock Info:\s+ID:\s+[0-9a-f-]{36}/);
    expect(runs.impatient?.stderr).toContain(`Path:      ${BUCKET}/${KEY}`);
  });

  it("GIVEN the same WHEN a third one waits (-lock-timeout) THEN it applies after the first is done, and both succeed", () => {
    expect(runs.first?.code, runs.first?.stderr).toBe(0);
    expect(runs.patient?.code, runs.patient?.stderr).toBe(0);
    expect(runs.first?.stdout).toContain("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
    expect(runs.patient?.stdout).toContain("Apply complete! Resources: 1 added, 0 changed, 1 destroyed.");
    expect(runs.patient?.endedAt ?? 0).toBeGreaterThan(runs.first?.endedAt ?? Number.POSITIVE_INFINITY);
  });

  it("THEN the state is whole: one terraform_data with the waiting run's input, written twice, and no lock left behind", async () => {
    // Read back the way OpenTofu reads it, from the bucket, in the run that did not write last.
    const pulled = await tofu.must(dirs.impatient, ["state", "pull"]);
    const state = JSON.parse(pulled.stdout) as {
      serial: number;
      lineage: string;
      resources: { type: string; name: string; instances: { attributes: { input: { value: string } } }[] }[];
    };
    expect(state.resources.map((r) => `${r.type}.${r.name}`)).toEqual(["terraform_data.hold"]);
    expect(state.resources[0]?.instances.map((i) => i.attributes.input.value)).toEqual(["patient"]);
    expect(state.lineage).toMatch(/^[0-9a-f-]{36}$/);
    expect(state.serial).toBeGreaterThanOrEqual(2);
    expect(await keys()).toEqual([KEY]);
  });
});
