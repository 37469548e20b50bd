import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { RdmaDevicePlugin, rdmaDevicePluginConfig } from "../../src/constructs/rdma-device-plugin.js";
import { planOf } from "../fixtures/environments.js";
import { parseSynth, resourcesOf } from "../fixtures/stacks.js";

describe("RdmaDevicePlugin", () => {
  it("GIVEN 4 rails WHEN configured THEN each rail is one isRdma resource gpu-campus.io/railN selected by its interface name", () => {
    expect(rdmaDevicePluginConfig(2)).toEqual({
      resourceList: [
        { resourceName: "rail0", resourcePrefix: "gpu-campus.io", selectors: [{ pfNames: ["rail0"], isRdma: true }] },
        { resourceName: "rail1", resourcePrefix: "gpu-campus.io", selectors: [{ pfNames: ["rail1"], isRdma: true }] },
      ],
    });
  });

  it("GIVEN a pool WHEN added THEN the plugin runs privileged on the host network as upstream's manifest, each exception justified", () => {
    const slice = planOf("staging").clusters[0]?.buildings[0]?.pools[0];
    if (!slice) throw new Error("no pool");
    const json = parseSynth(
      Testing.synthScope((scope) => {
        new RdmaDevicePlugin(scope, "rdma", { kubernetesVersion: "1.34", rails: 4 }).addPool(slice);
      }),
    );
    const [daemonSet] = resourcesOf(json, "kubernetes_daemon_set_v1") as {
      metadata: { annotations: Record<string, string> };
      spec: { template: { spec: { host_network: boolean } } };
    }[];
    expect(daemonSet?.spec.template.spec.host_network).toBe(true);
    for (const topic of ["privileged-container", "host-namespaces", "host-path"]) {
      expect(daemonSet?.metadata.annotations[`justification.gpu-campus.io/${topic}`]).toBeDefined();
    }
    const [config] = resourcesOf(json, "kubernetes_config_map_v1") as { data: Record<string, string> }[];
    expect(JSON.parse(config?.data["config.json"] ?? "{}").resourceList).toHaveLength(4);
  });
});
