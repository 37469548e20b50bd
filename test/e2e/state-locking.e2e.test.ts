import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../src/engine/loopback-control-plane.js";
import { Tofu, type TofuResult } from "../../src/engine/tofu.js";
import { loadControlPlaneToolchain } from "../../src/engine/toolchain.js";
import { environmentData, loadData } from "../fixtures/environments.js";
import { synthCluster } from "../fixtures/stacks.js";
import { ROOT } from "./support/synth.js";

/**
 * A team backend under contention: three engineers apply the same stack at once against a real
 * backend on loopback. The first holds the lock, the second will not wait (-lock-timeout=0s) and
 * must fail with the lock error, the third waits and applies after the first. The backend block is
 * the one ClusterStack synthesizes; the stack beside it holds only a terraform_data whose creation
 * sleeps, so the first apply holds the lock long enough for the others to meet it, and no
 * Kubernetes API is needed. Backends:
 *   - S3-compatible: moto's server (it refuses a second `If-None-Match: *` write the way S3 does,
 *     which `use_lockfile` relies on), with the endpoint and path style of an OCI-style store;
 *   - PostgreSQL 15 (`pg`, advisory locks), started in a temporary directory.
 * Each prints one "not run: …" line when its server cannot be had.
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

/**
 * OpenTofu alone: the contended stack uses only the built-in terraform_data, so no provider is
 * installed and the suite runs where the bootstrap ran --without-provider. The CLI config is an
 * empty file, so `init` reaches no registry either.
 */
function tofuWith(env: NodeJS.ProcessEnv): Tofu {
  const config = join(work, "tofurc");
  writeFileSync(config, "");
  // "mirror" with an empty CLI config: no provider installation is configured, none is needed.
  return new Tofu({ ...loadControlPlaneToolchain(ROOT), provider: { kind: "mirror", cliConfigFile: config } }, env);
}
let server: ChildProcess | undefined;
let endpoint = "";
afterAll(() => {
  server?.kill();
  rmSync(work, { recursive: true, force: true });
});

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

type Engineer = "first" | "impatient" | "patient";

interface Contention {
  readonly runs: Readonly<Record<Engineer, TimedRun>>;
  readonly dirs: Readonly<Record<Engineer, string>>;
}

/** The stack the engineers apply: the synthesized backend block and one slow terraform_data. */
function contendedStack(backend: unknown) {
  return {
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
}

/** The backend block ClusterStack writes for a kind stack with this backend configuration. */
function synthesizedBackend(backend: Record<string, unknown>): unknown {
  const environment = loadData({ ...environmentData("kind"), backend }).spec;
  return (synthCluster(environment).json as { terraform: { backend: unknown } }).terraform.backend;
}

async function contend(
  tofu: Tofu,
  root: string,
  backend: unknown,
  lockHeld: () => Promise<boolean>,
): Promise<Contention> {
  const engineers: Engineer[] = ["first", "impatient", "patient"];
  const dirs = Object.fromEntries(engineers.map((e) => [e, join(root, e)])) as Record<Engineer, string>;
  for (const dir of Object.values(dirs)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify(contendedStack(backend), null, 2));
    await tofu.must(dir, ["init", "-no-color", "-input=false"]);
  }
  const apply = async (dir: string, args: string[]): Promise<TimedRun> => {
    const result = await tofu.run(dir, ["apply", "-auto-approve", "-no-color", ...args]);
    return { ...result, endedAt: Date.now() };
  };
  let firstDone: TimedRun | undefined;
  const first = apply(dirs.first, ["-var", "run=first"]).then((run) => {
    firstDone = run;
    return run;
  });
  await waitFor("the first apply's lock", async () => {
    if (firstDone) {
      throw new Error(`the first apply ended before its lock was seen (exit ${firstDone.code}):\n${firstDone.stderr}`);
    }
    return lockHeld();
  });
  const [impatient, patient] = await Promise.all([
    apply(dirs.impatient, ["-var", "run=impatient", "-lock-timeout=0s"]),
    apply(dirs.patient, ["-var", "run=patient", "-lock-timeout=120s"]),
  ]);
  return { runs: { first: await first, impatient, patient }, dirs };
}

interface PulledState {
  serial: number;
  lineage: string;
  resources: { type: string; name: string; instances: { attributes: { input: { value: string } } }[] }[];
}

/** The assertions both backends must pass. */
function contentionTests(context: () => { tofu: Tofu; contention: Contention }) {
  it("GIVEN the first apply holds the lock WHEN a second one will not wait THEN it fails with the lock error", () => {
    const { runs } = context().contention;
    expect(runs.impatient.code).toBe(1);
    expect(runs.impatient.stderr).toContain("Error acquiring the state lock");
    expect(runs.impatient.stdout).not.toContain("Apply complete!");
  });

  it("GIVEN the same WHEN a third one waits (-lock-timeout) THEN it applies after the first is done, and both succeed", () => {
    const { runs } = context().contention;
    expect(runs.first.code, runs.first.stderr).toBe(0);
    expect(runs.patient.code, runs.patient.stderr).toBe(0);
    expect(runs.first.stdout).toContain("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
    expect(runs.patient.stdout).toContain("Apply complete! Resources: 1 added, 0 changed, 1 destroyed.");
    expect(runs.patient.endedAt).toBeGreaterThan(runs.first.endedAt);
  });

  it("GIVEN the three applies are done WHEN the state is read back from the backend THEN it is whole: one terraform_data with the waiting run's input, written twice, and the lock is free", async () => {
    const { tofu, contention } = context();
    // Read back the way OpenTofu reads it, from the backend, in the run that did not write.
    const state = JSON.parse((await tofu.must(contention.dirs.impatient, ["state", "pull"])).stdout) as PulledState;
    expect(state.resources.map((r) => `${r.type}.${r.name}`)).toEqual(["terraform_data.hold"]);
    expect(state.resources[0]?.instances.map((i) => i.attributes.input.value)).toEqual(["patient"]);
    expect(state.lineage).toMatch(/^[0-9a-f-]{36}$/);
    expect(state.serial).toBeGreaterThanOrEqual(2);
    const plan = await tofu.run(contention.dirs.impatient, [
      "plan",
      "-no-color",
      "-lock-timeout=0s",
      "-var",
      "run=patient",
    ]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("No changes.");
  });
}

describe.skipIf(!serverPath)("three tofu applies of one stack at once against an S3-compatible store", () => {
  const tofu = tofuWith({ AWS_ACCESS_KEY_ID: "e2e", AWS_SECRET_ACCESS_KEY: "e2e" });
  let contention: Contention;

  beforeAll(async () => {
    if (!serverPath) return;
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    server = spawn(serverPath, ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
    await waitFor("moto_server", async () => (await fetch(endpoint)).ok);
    expect((await fetch(`${endpoint}/${BUCKET}`, { method: "PUT" })).ok).toBe(true);
    // An OCI region, which AWS's region list would refuse: the endpoint switches that check off.
    const backend = synthesizedBackend({
      type: "s3",
      bucket: BUCKET,
      region: "us-ashburn-1",
      keyPrefix: "e2e",
      endpoint,
      usePathStyle: true,
    });
    contention = await contend(tofu, join(work, "s3"), backend, async () => (await keys()).includes(`${KEY}.tflock`));
  });

  contentionTests(() => ({ tofu, contention }));

  it("GIVEN the S3-compatible store WHEN the second apply will not wait THEN the lock error names the holder's lock, and only the state object is left in the bucket", async () => {
    expect(contention.runs.impatient.stderr).toMatch(/Lock Info:\s+ID:\s+[0-9a-f-]{36}/);
    expect(contention.runs.impatient.stderr).toContain(`Path:      ${BUCKET}/${KEY}`);
    expect(await keys()).toEqual([KEY]);
  });
});

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/** PostgreSQL refuses to run as root: there, its commands run as the `postgres` user. */
function postgresCommand(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}

const initdb = spawnSync("bash", ["-c", "command -v initdb && command -v pg_ctl && command -v psql"], {
  encoding: "utf8",
});
const postgresMissing =
  initdb.status !== 0
    ? "initdb, pg_ctl or psql is not on PATH"
    : process.getuid?.() === 0 && spawnSync("id", ["postgres"]).status !== 0
      ? "running as root and there is no postgres user to run PostgreSQL as"
      : undefined;
if (postgresMissing) process.stdout.write(`not run: state-locking e2e (pg): ${postgresMissing}\n`);

describe.skipIf(postgresMissing !== undefined)("three tofu applies of one stack at once against PostgreSQL", () => {
  const data = join(work, "pgdata");
  let connection = "";
  let tofu: Tofu;
  let contention: Contention;
  const run = (command: string, args: string[]) => {
    const [file, argv] = postgresCommand(command, args);
    const result = spawnSync(file, argv, { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")}: ${result.stderr}${result.stdout}`);
    return result.stdout;
  };

  beforeAll(async () => {
    mkdirSync(data, { recursive: true });
    if (process.getuid?.() === 0) spawnSync("chown", ["postgres", data, work]);
    run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
    const port = await freePort();
    run("pg_ctl", [
      "-D",
      data,
      "-w",
      "-l",
      join(data, "server.log"),
      "-o",
      `-p ${port} -k ${data} -c listen_addresses=127.0.0.1 -c fsync=off`,
      "start",
    ]);
    connection = `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
    tofu = tofuWith({ PG_CONN_STR: connection });
    const backend = synthesizedBackend({ type: "pg", schemaPrefix: "gpu_campus" });
    const advisoryLocks = () =>
      Number(run("psql", [connection, "-tAc", "select count(*) from pg_locks where locktype = 'advisory'"]).trim());
    contention = await contend(tofu, join(work, "pg"), backend, async () => advisoryLocks() > 0);
  });
  afterAll(() => {
    if (connection) run("pg_ctl", ["-D", data, "-m", "immediate", "stop"]);
  });

  contentionTests(() => ({ tofu, contention }));

  it("GIVEN PostgreSQL WHEN the applies are done THEN the state lives in the stack's own schema", () => {
    const states = run("psql", [connection, "-tAc", "select name from gpu_campus_kind_c1.states"]).trim();
    expect(states).toBe("default");
  });
});
