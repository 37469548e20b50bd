import { describe, expect, it } from "vitest";
import { DCGM_EXPORTER_IMAGE } from "../../src/catalog/dcgm-exporter.js";
import { NVIDIA_DEVICE_PLUGIN_IMAGE } from "../../src/catalog/nvidia-device-plugin.js";
import { NVIDIA_DRA_DRIVER, NVIDIA_DRA_DRIVER_IMAGE } from "../../src/catalog/nvidia-dra-driver.js";
import { SRIOV_NETWORK_DEVICE_PLUGIN_IMAGE } from "../../src/catalog/sriov-network-device-plugin.js";
import { clusterNodes } from "../../src/plan/node-identity.js";
import { GFD_LABEL, GFD_LABEL_PREFIXES, LABEL } from "../../src/vocabulary/labels.js";
import { environmentData, plannedData } from "../fixtures/environments.js";
import { manifestsOf, resourcesOf, synthShipped } from "../fixtures/stacks.js";

/** One shared synth of staging (GB200 NVL72, DRA driver, GFD, RDMA rails, an RDMA tenant). */
const staging = synthShipped("staging");

interface DaemonSetJson {
  metadata: { name: string; namespace: string };
  spec: { template: { spec: { container: { image: string }[]; affinity: unknown } } };
}
const daemonSets = resourcesOf(staging.json, "kubernetes_daemon_set_v1") as unknown as DaemonSetJson[];

describe("GpuNodeSoftware on staging", () => {
  it("GIVEN staging WHEN synthesized THEN each GB200 pool runs the device plugin, GFD, DCGM, the DRA kubelet plugin and the RDMA plugin, each from its catalog image", () => {
    const images = Object.fromEntries(
      daemonSets.map((d) => [d.metadata.name, d.spec.template.spec.container[0]?.image]),
    );
    expect(images).toEqual({
      "nvidia-device-plugin-stg-gb200": NVIDIA_DEVICE_PLUGIN_IMAGE,
      "gpu-feature-discovery-stg-gb200": NVIDIA_DEVICE_PLUGIN_IMAGE,
      "dcgm-exporter-stg-gb200": DCGM_EXPORTER_IMAGE,
      "compute-domain-kubelet-plugin-stg-gb200": NVIDIA_DRA_DRIVER_IMAGE,
      "sriov-network-device-plugin-stg-gb200": SRIOV_NETWORK_DEVICE_PLUGIN_IMAGE,
    });
  });

  it("GIVEN staging WHEN synthesized THEN every DaemonSet's affinity is exactly the pool's selector", () => {
    const slice = staging.cluster.buildings[0]?.pools[0];
    if (!slice) throw new Error("no pool");
    const expected = Object.entries(slice.selector).map(([key, value]) => ({ key, operator: "In", values: [value] }));
    for (const daemonSet of daemonSets) {
      expect(JSON.stringify(daemonSet.spec.template.spec.affinity), daemonSet.metadata.name).toBe(
        JSON.stringify({
          node_affinity: {
            required_during_scheduling_ignored_during_execution: {
              node_selector_term: [{ match_expressions: expected }],
            },
          },
        }),
      );
    }
  });

  it("GIVEN the RDMA tenant WHEN synthesized THEN the admission policy and its binding exist and the tenant namespace opts in", () => {
    expect(manifestsOf(staging.json, "ValidatingAdmissionPolicy")).toHaveLength(1);
    expect(manifestsOf(staging.json, "ValidatingAdmissionPolicyBinding")).toEqual([
      expect.objectContaining({
        spec: expect.objectContaining({
          validationActions: ["Deny"],
          matchResources: { namespaceSelector: { matchLabels: { "gpu-campus.io/rdma": "true" } } },
        }),
      }),
    ]);
    const namespaces = resourcesOf(staging.json, "kubernetes_namespace_v1") as {
      metadata: { name: string; labels: Record<string, string> };
    }[];
    const rdma = namespaces.find((n) => n.metadata.name === "platform-tests");
    const plain = namespaces.find((n) => n.metadata.name === "inference-canary");
    expect(rdma?.metadata.labels).toMatchObject({
      "gpu-campus.io/rdma": "true",
      "pod-security.kubernetes.io/enforce": "privileged",
      "pod-security.kubernetes.io/warn": "restricted",
    });
    expect(plain?.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(plain?.metadata.labels).not.toHaveProperty("gpu-campus.io/rdma");
  });

  it("GIVEN host-device rails WHEN synthesized THEN every rail NetworkAttachmentDefinition names its RDMA resource", () => {
    const nads = manifestsOf(staging.json, "NetworkAttachmentDefinition") as {
      metadata: { name: string; annotations: Record<string, string> };
    }[];
    expect(nads.length).toBeGreaterThan(0);
    for (const nad of nads) {
      const rail = nad.metadata.name.replace("rail-", "");
      expect(nad.metadata.annotations["k8s.v1.cni.cncf.io/resourceName"]).toBe(`gpu-campus.io/rail${rail}`);
    }
  });

  it("GIVEN nvidiaDra WHEN synthesized THEN the ComputeDomain CRDs and both DeviceClasses are managed at resource.k8s.io/v1", () => {
    const crds = manifestsOf(staging.json, "CustomResourceDefinition") as { metadata: { name: string } }[];
    expect(crds.map((c) => c.metadata.name).sort()).toEqual([
      "computedomaincliques.resource.nvidia.com",
      "computedomains.resource.nvidia.com",
    ]);
    const classes = manifestsOf(staging.json, "DeviceClass") as { apiVersion: string; metadata: { name: string } }[];
    expect(classes.map((c) => [c.apiVersion, c.metadata.name])).toEqual([
      ["resource.k8s.io/v1", "compute-domain-daemon.nvidia.com"],
      ["resource.k8s.io/v1", "compute-domain-default-channel.nvidia.com"],
    ]);
  });
});

describe("planned labels and GPU feature discovery's labels", () => {
  it("GIVEN every shipped environment's nodes WHEN labelled by the plan THEN no label key is one GFD owns (nvidia.com/gpu.*, cuda, mig, mps, gfd)", () => {
    for (const name of ["kind", "staging"] as const) {
      const { plan } = plannedData(environmentData(name));
      for (const cluster of plan.clusters) {
        for (const node of clusterNodes(plan, cluster)) {
          for (const key of Object.keys(node.labels)) {
            expect(
              GFD_LABEL_PREFIXES.some((prefix) => key.startsWith(prefix)),
              `${node.name} ${key}`,
            ).toBe(false);
          }
        }
      }
    }
    for (const key of Object.values(GFD_LABEL)) expect(GFD_LABEL_PREFIXES.some((p) => key.startsWith(p))).toBe(true);
  });

  it("GIVEN GB200 NVL72 WHEN the plan labels NVLink domains THEN one domain is one rack of 18 trays: the GFD clique an IMEX domain can span", () => {
    const byDomain = new Map<string, number>();
    for (const node of clusterNodes(staging.plan, staging.cluster)) {
      const domain = node.labels[LABEL.nvlinkDomain] ?? "";
      expect(domain).toBe(node.labels[LABEL.rack]);
      byDomain.set(domain, (byDomain.get(domain) ?? 0) + 1);
    }
    const sku = staging.cluster.buildings[0]?.pools[0]?.pool.sku;
    expect(new Set(byDomain.values())).toEqual(new Set([18]));
    expect(18 * (sku?.gpusPerNode ?? 0)).toBe(sku?.nvlinkDomainGpus);
    expect(18).toBeLessThanOrEqual(NVIDIA_DRA_DRIVER.maxNodesPerImexDomain);
  });
});
