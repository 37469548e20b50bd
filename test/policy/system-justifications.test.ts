import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { describe, expect, it } from "vitest";
import { NAMES, RDMA_TENANT_LABEL } from "../../src/vocabulary/names.js";
import { FixtureWorkload, fixtureStack, synthFindings } from "./fixtures.js";

/**
 * Node agents may justify privileged containers, added capabilities, host paths and host
 * namespaces on the object, but only in a GPU system namespace; the same annotation anywhere else
 * (a tenant's or an app's namespace) leaves the finding standing.
 */
const AGENT = {
  kind: "daemon-set" as const,
  privileged: true,
  allowPrivilegeEscalation: null,
  add: ["SYS_ADMIN"],
  hostPath: "/run/nvidia/mps",
  hostPid: true,
  annotations: {
    "justification.gpu-campus.io/privileged-container": "the MPS control daemon starts the MPS server for every GPU",
    "justification.gpu-campus.io/added-capabilities": "privileged, as upstream's chart runs it",
    "justification.gpu-campus.io/host-path": "mounts the MPS root the device plugin hands to GPU pods",
    "justification.gpu-campus.io/host-namespaces": "hostPID: the MPS server finds its own PID via /proc/self",
  },
};
const RULES = ["GPC-003", "GPC-005", "GPC-012", "GPC-013"];

describe("justifications for node agents", () => {
  it("GIVEN a justified node agent in the device plugin namespace WHEN synthesized THEN GPC-003/005/012/013 are suppressed by its annotations", () => {
    const { stack, pack } = fixtureStack();
    new FixtureWorkload(stack, "mps", { ...AGENT, namespace: NAMES.devicePluginNamespace });
    const { errors } = synthFindings(stack);
    expect(errors.filter((e) => RULES.includes(e.rule))).toEqual([]);
    const suppressed = pack.stackEvaluations.flatMap((e) => e.suppressions).map((s) => s.rule);
    expect(suppressed).toEqual(expect.arrayContaining(RULES));
  });

  it("GIVEN the same annotations in an app namespace WHEN synthesized THEN every one of those findings stands", () => {
    const { stack } = fixtureStack();
    new FixtureWorkload(stack, "mps", { ...AGENT, namespace: "apps" });
    const rules = new Set(synthFindings(stack).errors.map((e) => e.rule));
    for (const rule of RULES) expect(rules.has(rule), rule).toBe(true);
  });

  it("GIVEN tenant namespaces enforcing privileged with the justification WHEN synthesized THEN GPC-001 passes only the RDMA-labelled one", () => {
    const { stack, pack } = fixtureStack({ tenantNamespaces: ["rdma-team", "plain-team"] });
    const namespace = (id: string, rdma: boolean) =>
      new NamespaceV1(stack, id, {
        metadata: {
          name: id,
          labels: { "pod-security.kubernetes.io/enforce": "privileged", ...(rdma && { [RDMA_TENANT_LABEL]: "true" }) },
          annotations: {
            "justification.gpu-campus.io/pod-security-privileged": "RDMA pods add IPC_LOCK; the VAP enforces",
          },
        },
      });
    namespace("rdma-team", true);
    namespace("plain-team", false);
    const gpc001 = synthFindings(stack).errors.filter((e) => e.rule === "GPC-001");
    expect(gpc001.map((e) => e.path)).toEqual(["fixture/plain-team"]);
    const suppressed = pack.stackEvaluations.flatMap((e) => e.suppressions).filter((s) => s.rule === "GPC-001");
    expect(suppressed.map((s) => s.path)).toEqual(["fixture/rdma-team"]);
  });
});
