import type { TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import type { CampusPlan, ClusterPlan } from "../../src/plan/plan-types.js";
import type { PolicyPackProps } from "../../src/policy/policy-pack.js";
import { POLICY_RULE_IDS } from "../../src/policy/rules/index.js";
import { LABEL, TOPOLOGY_LEVELS } from "../../src/vocabulary/labels.js";
import { planOf } from "../fixtures/environments.js";
import {
  FixtureTenant,
  FixtureVolume,
  FixtureWorkload,
  fixtureNamespace,
  fixtureServiceAccount,
  fixtureStack,
  fixtureTopology,
  synthFindings,
} from "./fixtures.js";

/**
 * Known-bad and known-good fixtures, at least one of each per rule: proof that every rule can
 * fail, names the rule and the construct, and stays quiet on a compliant construct. A breaking
 * fixture breaks only its rule (every other rule passes), so each rule is tested in isolation.
 */

interface Case {
  readonly title: string;
  readonly build: (stack: TerraformStack) => void;
  /** Construct path (under the stack) the finding is reported on. */
  readonly at?: string;
  readonly props?: PolicyPackProps;
}

interface RuleFixtures {
  readonly breaks: readonly Case[];
  readonly complies: readonly Case[];
}

const kind = planOf("kind");
const kindCluster = kind.clusters[0] as ClusterPlan;
/** The kind cluster has 16 GPUs and tenants team-a and team-b. */
const CLUSTER: PolicyPackProps = { cluster: kindCluster };

/** The kind plan with its one cluster's first scalable unit also given to a second cluster. */
function splitPlan(plan: CampusPlan): CampusPlan {
  const [first] = plan.clusters;
  const [slice] = first?.buildings ?? [];
  const [poolSlice] = slice?.pools ?? [];
  const [unit] = poolSlice?.scalableUnits ?? [];
  if (!first || !slice || !poolSlice || !unit) throw new Error("kind plan has no scalable unit");
  const second: ClusterPlan = {
    ...first,
    id: "c2",
    stackName: `${plan.environment}-c2`,
    buildings: [{ ...slice, pools: [{ ...poolSlice, scalableUnits: [unit] }] }],
  };
  return { ...plan, clusters: [...plan.clusters, second] };
}

const FIXTURES: Readonly<Record<string, RuleFixtures>> = {
  "GPC-001": {
    breaks: [
      {
        title: "a tenant namespace enforcing baseline",
        build: (s) => new FixtureTenant(s, "tenant", { enforce: "baseline" }),
        at: "tenant/namespace",
        props: CLUSTER,
      },
      {
        title: "a tenant namespace without a Pod Security label",
        build: (s) => new FixtureTenant(s, "tenant", { enforce: null }),
        at: "tenant/namespace",
        props: CLUSTER,
      },
    ],
    complies: [
      { title: "a restricted tenant namespace", build: (s) => new FixtureTenant(s, "tenant"), props: CLUSTER },
    ],
  },
  "GPC-002": {
    breaks: [
      {
        title: "a privileged namespace that is not the GPU system namespace",
        build: (s) => fixtureNamespace(s, "ns", "monitoring", "privileged"),
        at: "ns",
      },
      {
        title: "a namespace without any Pod Security level",
        build: (s) => fixtureNamespace(s, "ns", "monitoring", null),
        at: "ns",
      },
      {
        title: "the GPU system namespace privileged without a justification",
        build: (s) => fixtureNamespace(s, "ns", "nvidia-device-plugin", "privileged"),
        at: "ns",
      },
      {
        title: "the GPU system namespace privileged with a 4-character justification",
        build: (s) =>
          fixtureNamespace(s, "ns", "nvidia-device-plugin", "privileged", {
            "justification.gpu-campus.io/pod-security-privileged": "why?",
          }),
        at: "ns",
      },
    ],
    complies: [
      { title: "a baseline namespace", build: (s) => fixtureNamespace(s, "ns", "monitoring", "baseline") },
      {
        title: "the GPU system namespace privileged with a justification",
        build: (s) =>
          fixtureNamespace(s, "ns", "nvidia-device-plugin", "privileged", {
            "justification.gpu-campus.io/pod-security-privileged":
              "the device plugin mounts the kubelet socket directory",
          }),
      },
    ],
  },
  "GPC-003": {
    breaks: [
      {
        title: "a privileged container",
        build: (s) => new FixtureWorkload(s, "w", { privileged: true }),
        at: "w/resource",
      },
    ],
    complies: [{ title: "privileged: false", build: (s) => new FixtureWorkload(s, "w", { privileged: false }) }],
  },
  "GPC-004": {
    breaks: [
      {
        title: "allowPrivilegeEscalation unset",
        build: (s) => new FixtureWorkload(s, "w", { allowPrivilegeEscalation: null }),
        at: "w/resource",
      },
      {
        title: "allowPrivilegeEscalation true in a manifest",
        build: (s) => new FixtureWorkload(s, "w", { kind: "manifest-deployment", allowPrivilegeEscalation: true }),
        at: "w/resource",
      },
    ],
    complies: [
      {
        title: "allowPrivilegeEscalation false in a Deployment",
        build: (s) => new FixtureWorkload(s, "w", { kind: "deployment" }),
      },
    ],
  },
  "GPC-005": {
    breaks: [
      {
        title: "dropping only NET_RAW",
        build: (s) => new FixtureWorkload(s, "w", { drop: ["NET_RAW"] }),
        at: "w/resource",
      },
      {
        title: "adding SYS_ADMIN",
        build: (s) => new FixtureWorkload(s, "w", { add: ["SYS_ADMIN"] }),
        at: "w/resource",
      },
    ],
    complies: [
      {
        title: "drop ALL, add NET_BIND_SERVICE",
        build: (s) => new FixtureWorkload(s, "w", { add: ["NET_BIND_SERVICE"] }),
      },
    ],
  },
  "GPC-006": {
    breaks: [
      {
        title: "runAsNonRoot unset",
        build: (s) => new FixtureWorkload(s, "w", { runAsNonRoot: null }),
        at: "w/resource",
      },
      {
        title: "runAsUser 0 in a CronJob",
        build: (s) => new FixtureWorkload(s, "w", { kind: "cron-job", runAsUser: "0" }),
        at: "w/resource",
      },
    ],
    complies: [
      { title: "runAsNonRoot on the pod", build: (s) => new FixtureWorkload(s, "w") },
      {
        title: "root with a justification annotation",
        build: (s) =>
          new FixtureWorkload(s, "w", {
            runAsNonRoot: null,
            annotations: {
              "justification.gpu-campus.io/run-as-root": "writes the root-owned kubelet socket directory",
            },
          }),
      },
    ],
  },
  "GPC-007": {
    breaks: [
      {
        title: "a writable root filesystem",
        build: (s) => new FixtureWorkload(s, "w", { readOnlyRootFilesystem: null }),
        at: "w/resource",
      },
    ],
    complies: [{ title: "readOnlyRootFilesystem true", build: (s) => new FixtureWorkload(s, "w") }],
  },
  "GPC-008": {
    breaks: [
      { title: "no seccomp profile", build: (s) => new FixtureWorkload(s, "w", { seccomp: null }), at: "w/resource" },
      {
        title: "seccomp Unconfined",
        build: (s) => new FixtureWorkload(s, "w", { seccomp: "Unconfined" }),
        at: "w/resource",
      },
    ],
    complies: [{ title: "seccomp RuntimeDefault on the pod", build: (s) => new FixtureWorkload(s, "w") }],
  },
  "GPC-009": {
    breaks: [
      { title: "no limits", build: (s) => new FixtureWorkload(s, "w", { limits: null }), at: "w/resource" },
      {
        title: "a memory limit only",
        build: (s) => new FixtureWorkload(s, "w", { limits: { memory: "1Gi" } }),
        at: "w/resource",
      },
    ],
    complies: [{ title: "cpu and memory requests and limits", build: (s) => new FixtureWorkload(s, "w") }],
  },
  "GPC-010": {
    breaks: [
      {
        title: "an image without a tag",
        build: (s) => new FixtureWorkload(s, "w", { image: "registry.example.com:5000/team/trainer" }),
        at: "w/resource",
      },
      {
        title: "the latest tag",
        build: (s) => new FixtureWorkload(s, "w", { image: "busybox:latest" }),
        at: "w/resource",
      },
    ],
    complies: [
      { title: "a tag and a digest", build: (s) => new FixtureWorkload(s, "w") },
      {
        title: "a digest without a tag",
        build: (s) => new FixtureWorkload(s, "w", { image: `busybox@sha256:${"b2".repeat(32)}` }),
      },
    ],
  },
  "GPC-011": {
    breaks: [
      {
        title: "a tag without a digest (a warning)",
        build: (s) => new FixtureWorkload(s, "w", { image: "nvcr.io/nvidia/k8s-device-plugin:v0.20.0" }),
        at: "w/resource",
      },
    ],
    complies: [{ title: "a digest", build: (s) => new FixtureWorkload(s, "w") }],
  },
  "GPC-012": {
    breaks: [
      {
        title: "a hostPath of /etc",
        build: (s) => new FixtureWorkload(s, "w", { hostPath: "/etc" }),
        at: "w/resource",
      },
      {
        title: "a hostPath escaping the allowlist with ..",
        build: (s) => new FixtureWorkload(s, "w", { hostPath: "/var/lib/kubelet/device-plugins/../pods" }),
        at: "w/resource",
      },
    ],
    complies: [
      {
        title: "the device plugin directory",
        build: (s) => new FixtureWorkload(s, "w", { hostPath: "/var/lib/kubelet/device-plugins" }),
      },
    ],
  },
  "GPC-013": {
    breaks: [
      { title: "hostNetwork", build: (s) => new FixtureWorkload(s, "w", { hostNetwork: true }), at: "w/resource" },
      {
        title: "hostPID and hostIPC",
        build: (s) => new FixtureWorkload(s, "w", { hostPid: true, hostIpc: true }),
        at: "w/resource",
      },
    ],
    complies: [
      {
        title: "host namespaces false",
        build: (s) => new FixtureWorkload(s, "w", { hostNetwork: false, hostPid: false }),
      },
    ],
  },
  "GPC-014": {
    breaks: [
      {
        title: "a workload without a namespace",
        build: (s) => new FixtureWorkload(s, "w", { namespace: null }),
        at: "w/resource",
      },
      {
        title: "a manifest in the default namespace",
        build: (s) => new FixtureWorkload(s, "w", { kind: "manifest-deployment", namespace: "default" }),
        at: "w/resource",
      },
    ],
    complies: [
      { title: "a workload in its own namespace", build: (s) => new FixtureWorkload(s, "w", { namespace: "apps" }) },
    ],
  },
  "GPC-015": {
    breaks: [
      {
        title: "a pod that mounts its token",
        build: (s) => new FixtureWorkload(s, "w", { automountToken: true }),
        at: "w/resource",
      },
      {
        title: "a pod that says nothing, with a ServiceAccount that says nothing",
        build: (s) => {
          fixtureServiceAccount(s, "runner", undefined);
          new FixtureWorkload(s, "w", { automountToken: null, serviceAccountName: "runner" });
        },
        at: "w/resource",
      },
    ],
    complies: [
      {
        title: "a pod that says nothing, with a ServiceAccount that mounts no token",
        build: (s) => {
          fixtureServiceAccount(s, "runner", false);
          new FixtureWorkload(s, "w", { automountToken: null, serviceAccountName: "runner" });
        },
      },
    ],
  },
  "GPC-016": {
    breaks: [
      {
        title: "a tenant without NetworkPolicies",
        build: (s) => new FixtureTenant(s, "tenant", { networkPolicy: null }),
        at: "tenant/namespace",
        props: CLUSTER,
      },
      {
        title: "a tenant with only an allow policy",
        build: (s) => new FixtureTenant(s, "tenant", { networkPolicy: "allow-only" }),
        at: "tenant/namespace",
        props: CLUSTER,
      },
      {
        title: "a tenant whose default deny is undone by an allow from every namespace (namespaceSelector: {})",
        build: (s) => new FixtureTenant(s, "tenant", { networkPolicy: "allow-all-namespaces" }),
        at: "tenant/namespace",
        props: CLUSTER,
      },
      {
        title: "a tenant whose default deny is undone by an ingress rule without `from` (every source)",
        build: (s) => new FixtureTenant(s, "tenant", { networkPolicy: "allow-any-source" }),
        at: "tenant/namespace",
        props: CLUSTER,
      },
    ],
    complies: [
      { title: "a tenant with a default-deny policy", build: (s) => new FixtureTenant(s, "tenant"), props: CLUSTER },
      {
        title: "a tenant with a default deny and an allow from a selector of its own namespace's name",
        build: (s) => new FixtureTenant(s, "tenant", { networkPolicy: "allow-own-namespace-by-name" }),
        props: CLUSTER,
      },
    ],
  },
  "GPC-017": {
    breaks: [
      {
        title: "a tenant without a ResourceQuota",
        build: (s) => new FixtureTenant(s, "tenant", { gpuQuota: null }),
        at: "tenant/namespace",
        props: CLUSTER,
      },
    ],
    complies: [
      { title: "a tenant with a ResourceQuota", build: (s) => new FixtureTenant(s, "tenant"), props: CLUSTER },
    ],
  },
  "GPC-018": {
    breaks: [
      {
        title: "a tenant without a LimitRange",
        build: (s) => new FixtureTenant(s, "tenant", { limitRange: false }),
        at: "tenant/namespace",
        props: CLUSTER,
      },
    ],
    complies: [{ title: "a tenant with a LimitRange", build: (s) => new FixtureTenant(s, "tenant"), props: CLUSTER }],
  },
  "GPC-019": {
    breaks: [
      {
        title: "a volume without prevent_destroy",
        build: (s) => new FixtureVolume(s, "data", { preventDestroy: false }),
        at: "data/claim",
      },
      {
        title: "a volume on a Delete class",
        build: (s) => new FixtureVolume(s, "data", { reclaimPolicy: "Delete" }),
        at: "data/claim",
      },
      {
        title: "a volume on a class the stack does not define",
        build: (s) => new FixtureVolume(s, "data", { storageClass: "elsewhere" }),
        at: "data/claim",
      },
      {
        title: "a volume on the default class",
        build: (s) => new FixtureVolume(s, "data", { storageClass: null }),
        at: "data/claim",
      },
    ],
    complies: [{ title: "a Retain class and prevent_destroy", build: (s) => new FixtureVolume(s, "data") }],
  },
  "GPC-020": {
    breaks: [
      {
        title: "one quota of 20 GPUs in a 16-GPU cluster",
        build: (s) => new FixtureTenant(s, "tenant", { gpuQuota: 20 }),
        at: "tenant/quota",
        props: CLUSTER,
      },
      {
        title: "two quotas of 10 adding up to 20 of 16 GPUs",
        build: (s) => {
          new FixtureTenant(s, "a", { name: "team-a", gpuQuota: 10 });
          new FixtureTenant(s, "b", { name: "team-b", gpuQuota: 10 });
        },
        at: "a/quota",
        props: CLUSTER,
      },
    ],
    complies: [
      {
        title: "8 + 4 of 16 GPUs",
        build: (s) => {
          new FixtureTenant(s, "a", { name: "team-a", gpuQuota: 8 });
          new FixtureTenant(s, "b", { name: "team-b", gpuQuota: 4 });
        },
        props: CLUSTER,
      },
      {
        title: "10 + 10 of 16 GPUs with overcommit allowed",
        build: (s) => {
          new FixtureTenant(s, "a", { name: "team-a", gpuQuota: 10 });
          new FixtureTenant(s, "b", { name: "team-b", gpuQuota: 10 });
        },
        props: { ...CLUSTER, allowQuotaOvercommit: true },
      },
    ],
  },
  "GPC-021": {
    breaks: [
      {
        title: "hostname before the NVLink domain",
        build: (s) => fixtureTopology(s, "topology", [LABEL.building, LABEL.hostname, LABEL.nvlinkDomain]),
        at: "topology",
      },
      {
        title: "scalable unit wider than building",
        build: (s) => fixtureTopology(s, "topology", [LABEL.scalableUnit, LABEL.building]),
        at: "topology",
      },
      {
        title: "a repeated level",
        build: (s) => fixtureTopology(s, "topology", [LABEL.building, LABEL.building]),
        at: "topology",
      },
      {
        title: "a label nodes do not carry",
        build: (s) => fixtureTopology(s, "topology", ["example.com/row", LABEL.hostname]),
        at: "topology",
      },
    ],
    complies: [
      { title: "the campus TOPOLOGY_LEVELS", build: (s) => fixtureTopology(s, "topology", TOPOLOGY_LEVELS) },
      {
        title: "rack and NVLink domain, both",
        build: (s) => fixtureTopology(s, "topology", [LABEL.building, LABEL.rack, LABEL.nvlinkDomain, LABEL.hostname]),
      },
    ],
  },
  "GPC-022": {
    breaks: [
      {
        title: "a scalable unit held by two clusters",
        build: () => undefined,
        at: "",
        props: { plan: splitPlan(kind), cluster: splitPlan(kind).clusters[1] },
      },
    ],
    complies: [
      { title: "the kind plan as derived", build: () => undefined, props: { plan: kind, cluster: kindCluster } },
    ],
  },
};

describe("policy rule fixtures", () => {
  it("GIVEN the pack WHEN its rules are listed THEN every rule has a breaking and a complying fixture", () => {
    for (const id of POLICY_RULE_IDS) {
      expect(FIXTURES[id]?.breaks.length ?? 0, id).toBeGreaterThan(0);
      expect(FIXTURES[id]?.complies.length ?? 0, id).toBeGreaterThan(0);
    }
    expect(Object.keys(FIXTURES).sort()).toEqual([...POLICY_RULE_IDS].sort());
  });

  describe.each(POLICY_RULE_IDS)("%s", (id) => {
    const fixtures = FIXTURES[id] ?? { breaks: [], complies: [] };
    it.each(fixtures.breaks)(
      "GIVEN $title WHEN synthesized THEN only this rule reports it, at its construct",
      (fixture) => {
        const { stack } = fixtureStack(fixture.props);
        fixture.build(stack);
        const { errors, warnings } = synthFindings(stack);
        const findings = id === "GPC-011" ? warnings : errors;
        expect(findings.length, JSON.stringify(findings, null, 2)).toBeGreaterThan(0);
        expect(new Set(findings.map((f) => f.rule))).toEqual(new Set([id]));
        const at = fixture.at ? `fixture/${fixture.at}` : "fixture";
        expect(findings.map((f) => f.path)).toContain(at);
        if (id === "GPC-011") expect(errors).toEqual([]);
        else expect(findings[0]?.message).toContain("How to fix:");
      },
    );
    it.each(fixtures.complies)("GIVEN $title WHEN synthesized THEN no rule reports anything", (fixture) => {
      const { stack } = fixtureStack(fixture.props);
      fixture.build(stack);
      expect(synthFindings(stack)).toEqual({ errors: [], warnings: [] });
    });
  });
});
