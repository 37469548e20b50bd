import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { NvidiaDraDriver } from "../../src/constructs/nvidia-dra-driver.js";
import { planOf } from "../fixtures/environments.js";
import { manifestsOf, parseSynth, resourcesOf } from "../fixtures/stacks.js";

const slice = planOf("staging").clusters[0]?.buildings[0]?.pools[0];
const json = parseSynth(
  Testing.synthScope((scope) => {
    if (!slice) throw new Error("no pool");
    new NvidiaDraDriver(scope, "dra", { kubernetesVersion: "1.34" }).addPool(slice);
  }),
);

describe("NvidiaDraDriver", () => {
  it("GIVEN the driver WHEN synthesized THEN the controller is unprivileged and caps IMEX domains at 18 nodes (GB200/GB300)", () => {
    const [deployment] = resourcesOf(json, "kubernetes_deployment_v1") as {
      spec: {
        template: { spec: { container: { env: { name: string; value?: string }[]; security_context: unknown }[] } };
      };
    }[];
    const container = deployment?.spec.template.spec.container[0];
    expect(container?.env).toContainEqual({ name: "MAX_NODES_PER_IMEX_DOMAIN", value: "18" });
    expect(container?.security_context).toMatchObject({
      allow_privilege_escalation: false,
      capabilities: { drop: ["ALL"] },
    });
  });

  it("GIVEN a GB200 pool WHEN added THEN the kubelet plugin mounts kubelet's plugin directory Bidirectional and tolerates the GPU taint", () => {
    const [daemonSet] = resourcesOf(json, "kubernetes_daemon_set_v1") as {
      spec: {
        template: {
          spec: {
            toleration: unknown[];
            container: { volume_mount: { mount_path: string; mount_propagation?: string }[] }[];
          };
        };
      };
    }[];
    const spec = daemonSet?.spec.template.spec;
    expect(spec?.container[0]?.volume_mount).toContainEqual(
      expect.objectContaining({ mount_path: "/var/lib/kubelet/plugins", mount_propagation: "Bidirectional" }),
    );
    expect(spec?.toleration).toEqual([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
  });

  it("GIVEN the driver WHEN synthesized THEN the kubelet plugin may write ResourceSlices and the controller ResourceClaimTemplates", () => {
    const roles = resourcesOf(json, "kubernetes_cluster_role_v1") as {
      metadata: { name: string };
      rule: { resources: string[]; verbs: string[] }[];
    }[];
    const can = (role: string, resource: string, verb: string) =>
      roles
        .find((r) => r.metadata.name.endsWith(role))
        ?.rule.some((r) => r.resources.includes(resource) && r.verbs.includes(verb)) ?? false;
    expect(can("-kubelet-plugin", "resourceslices", "create")).toBe(true);
    expect(can("-controller", "resourceclaimtemplates", "create")).toBe(true);
    expect(can("-compute-domain-daemon", "resourceslices", "create")).toBe(false);
  });

  it("GIVEN the CRD WHEN synthesized THEN a ComputeDomain's spec is immutable and names its claim template", () => {
    const crd = manifestsOf(json, "CustomResourceDefinition").find(
      (c) => (c.metadata as { name: string }).name === "computedomains.resource.nvidia.com",
    );
    const text = JSON.stringify(crd);
    expect(text).toContain('"rule":"self == oldSelf"');
    expect(text).toContain('"required":["resourceClaimTemplate"]');
  });
});
