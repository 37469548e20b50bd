import { LimitRangeV1 } from "@cdktf/provider-kubernetes/lib/limit-range-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { TenantNamespace } from "../../src/constructs/tenant-namespace.js";
import { DEFAULT_TENANT_PREEMPTION } from "../../src/model/schema.js";
import type { TenantPlan } from "../../src/plan/plan-types.js";
import { parseSynth, partial, resourcesOf } from "../fixtures/stacks.js";

const TENANT: TenantPlan = {
  id: "frontier-training",
  namespace: "frontier-training",
  gpuQuota: 42_105,
  gpuResourceQuotas: { "nvidia.com/gpu": 42_105 },
  rdma: false,
  gpuRequestCeiling: 42_105,
  datasetVolumeTiB: 2048,
  checkpointVolumeTiB: 4096,
  storageQuotaTiB: 6144,
  homeBuildingId: "b1",
  queue: {
    clusterQueue: "frontier-training",
    localQueue: "gpu",
    cohort: "gpu-campus",
    flavors: [],
    borrowingLimitGpus: undefined,
    lendingLimitGpus: undefined,
    fairSharingWeight: undefined,
    preemption: DEFAULT_TENANT_PREEMPTION,
  },
};

function synthTenant(tenant: TenantPlan = TENANT, restrictEgress?: boolean) {
  return Testing.synthScope((scope) => {
    new TenantNamespace(scope, "tenant", { tenant, kubernetesVersion: "1.33", restrictEgress });
  });
}

describe("TenantNamespace", () => {
  it("GIVEN a tenant WHEN synthesized THEN its namespace enforces, audits and warns Pod Security restricted at the cluster's version", () => {
    expect(synthTenant()).toHaveResourceWithProperties(
      NamespaceV1,
      partial({
        metadata: {
          name: "frontier-training",
          labels: {
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/enforce-version": "v1.33",
            "pod-security.kubernetes.io/audit": "restricted",
            "pod-security.kubernetes.io/warn": "restricted",
          },
        },
      }),
    );
  });

  it("GIVEN a GPU quota and storage quota WHEN synthesized THEN the ResourceQuota holds them in canonical quantities", () => {
    expect(synthTenant()).toHaveResourceWithProperties(ResourceQuotaV1, {
      spec: { hard: { "requests.nvidia.com/gpu": "42105", "requests.storage": "6Pi", persistentvolumeclaims: "32" } },
    });
  });

  it("GIVEN a tenant without storage quota WHEN synthesized THEN the quota limits GPUs and claims only", () => {
    const json = parseSynth(synthTenant({ ...TENANT, storageQuotaTiB: undefined }));
    const [quota] = resourcesOf(json, "kubernetes_resource_quota_v1") as { spec: { hard: Record<string, string> } }[];
    expect(Object.keys(quota?.spec.hard ?? {}).sort()).toEqual(["persistentvolumeclaims", "requests.nvidia.com/gpu"]);
  });

  it("GIVEN a tenant WHEN synthesized THEN a LimitRange gives containers canonical default requests and limits", () => {
    expect(synthTenant()).toHaveResourceWithProperties(
      LimitRangeV1,
      partial({
        spec: {
          limit: [
            {
              type: "Container",
              default_request: { cpu: "500m", memory: "1Gi" },
              default: { cpu: "2", memory: "4Gi" },
            },
          ],
        },
      }),
    );
  });

  it("GIVEN the default WHEN synthesized THEN ingress is denied except from the same namespace and egress is left open", () => {
    const synth = synthTenant();
    expect(synth).toHaveResourceWithProperties(
      NetworkPolicyV1,
      partial({ metadata: { name: "default-deny-ingress" }, spec: { pod_selector: {}, policy_types: ["Ingress"] } }),
    );
    expect(synth).toHaveResourceWithProperties(
      NetworkPolicyV1,
      partial({
        metadata: { name: "allow-same-namespace" },
        spec: { policy_types: ["Ingress"], ingress: [{ from: [{ pod_selector: {} }] }] },
      }),
    );
    const policies = resourcesOf(parseSynth(synth), "kubernetes_network_policy_v1");
    expect(policies).toHaveLength(2);
    expect(JSON.stringify(policies)).not.toContain("Egress");
  });

  it("GIVEN restrictEgress WHEN synthesized THEN egress is denied except within the namespace and to cluster DNS", () => {
    const synth = synthTenant(TENANT, true);
    expect(synth).toHaveResourceWithProperties(
      NetworkPolicyV1,
      partial({ metadata: { name: "default-deny-egress" }, spec: { policy_types: ["Egress"] } }),
    );
    expect(synth).toHaveResourceWithProperties(
      NetworkPolicyV1,
      partial({
        metadata: { name: "allow-dns-egress" },
        spec: {
          egress: [
            {
              to: [
                {
                  namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "kube-system" } },
                  pod_selector: { match_labels: { "k8s-app": "kube-dns" } },
                },
              ],
              ports: [
                { port: "53", protocol: "UDP" },
                { port: "53", protocol: "TCP" },
              ],
            },
          ],
        },
      }),
    );
    expect(resourcesOf(parseSynth(synth), "kubernetes_network_policy_v1")).toHaveLength(4);
  });
});
