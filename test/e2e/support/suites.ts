/**
 * The e2e suites and what each needs beyond the control-plane toolchain, so that the runner
 * (test/e2e/run.ts) can say of each one that it ran or why it did not. A suite file not listed here
 * makes the runner fail: every suite is accounted for.
 */
export interface SuiteNeeds {
  /** The hashicorp/kubernetes provider (OpenTofu init/validate/apply). */
  readonly provider: boolean;
  /** A commit to upgrade from, which a shallow clone may not hold. */
  readonly upgradeBase: boolean;
  /** The scheduling twin's engines (kube-scheduler, kwok, the Kueue manager: bootstrap --with-twin). */
  readonly twin?: boolean;
}

export const SUITES: Readonly<Record<string, SuiteNeeds>> = {
  "test/e2e/apiserver.e2e.test.ts": { provider: false, upgradeBase: false },
  "test/e2e/tofu-validate.e2e.test.ts": { provider: true, upgradeBase: false },
  "test/e2e/apply.e2e.test.ts": { provider: true, upgradeBase: false },
  "test/e2e/upgrade.e2e.test.ts": { provider: true, upgradeBase: true },
  // OpenTofu only, with moto (installed from PyPI into the cache) and the PostgreSQL server on this machine.
  "test/e2e/state-locking.e2e.test.ts": { provider: false, upgradeBase: false },
  // Every custom resource of every stack, dry-run against the real Kueue and Multus CRDs.
  "test/e2e/kueue-crds.e2e.test.ts": { provider: false, upgradeBase: false },
  // Node software applied with OpenTofu; DRA allocation by a real kube-scheduler.
  "test/e2e/node-software.e2e.test.ts": { provider: true, upgradeBase: false, twin: true },
  "test/e2e/twin.e2e.test.ts": { provider: true, upgradeBase: false, twin: true },
  // npm run diff end to end: temporary git repositories, worktrees and real synths of both sides.
  "test/e2e/synth-diff.e2e.test.ts": { provider: false, upgradeBase: false },
  // The app through the cdktf CLI (cdktf synth), as cdktf deploy runs it.
  "test/e2e/cdktf-cli.e2e.test.ts": { provider: false, upgradeBase: false },
};

/**
 * The commit the upgrade suite applies first: main just before the Kueue Topology and
 * ResourceFlavors moved from stack/fabric/* to stack/kueue/* (2174903, with `moved` blocks), so
 * HEAD's plan must show moves, not replacements. GPU_CAMPUS_UPGRADE_BASE names another.
 */
export const DEFAULT_UPGRADE_BASE = "d5506b6";

export function upgradeBase(env: NodeJS.ProcessEnv = process.env): string {
  return env.GPU_CAMPUS_UPGRADE_BASE || DEFAULT_UPGRADE_BASE;
}
