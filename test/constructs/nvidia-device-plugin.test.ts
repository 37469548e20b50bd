import { DaemonSetV1 } from "@cdktf/provider-kubernetes/lib/daemon-set-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { NVIDIA_DEVICE_PLUGIN_IMAGE } from "../../src/catalog/nvidia-device-plugin.js";
import {
  devicePluginConfig,
  devicePluginHostAccess,
  NvidiaDevicePlugin,
} from "../../src/constructs/nvidia-device-plugin.js";
import { buildCampusPlan } from "../../src/plan/campus-plan.js";
import type { CampusPlan } from "../../src/plan/plan-types.js";
import { LABEL } from "../../src/vocabulary/labels.js";
import { NAMES } from "../../src/vocabulary/names.js";
import { environmentData, loadData, planOf } from "../fixtures/environments.js";
import { parseSynth, partial, resourcesOf, testStack } from "../fixtures/stacks.js";

function stagingPool(plan: CampusPlan = planOf("staging")) {
  const cluster = plan.clusters[0];
  const slice = cluster?.buildings[0]?.pools[0];
  if (!cluster || !slice) throw new Error("staging has no pool");
  return { plan, cluster, slice, pool: slice.pool, nodeSelector: slice.selector };
}

interface ContainerJson {
  name: string;
  command?: string[];
  env?: { name: string; value?: string }[];
  security_context?: { privileged?: boolean; capabilities?: { drop?: string[]; add?: string[] } };
  volume_mount?: { name: string; mount_path: string; mount_propagation?: string }[];
}
interface DaemonSetJson {
  metadata: { name: string; annotations: Record<string, string> };
  spec: {
    template: {
      spec: {
        host_pid?: boolean;
        affinity?: unknown;
        container: ContainerJson[];
        init_container?: ContainerJson[];
        volume: { host_path?: { path: string } }[];
      };
    };
  };
}

function daemonSetsOf(json: ReturnType<typeof parseSynth>): DaemonSetJson[] {
  return resourcesOf(json, "kubernetes_daemon_set_v1") as unknown as DaemonSetJson[];
}

function hostPathsOf(daemonSet: DaemonSetJson): string[] {
  return daemonSet.spec.template.spec.volume.flatMap((v) => (v.host_path ? [v.host_path.path] : []));
}

/** The staging pool with another device plugin spec, synthesized alone. */
function synthWith(devicePlugin: Record<string, unknown>) {
  const data = environmentData("staging");
  const pool = data.buildings[0]?.pools[0];
  if (!pool) throw new Error("staging has no pool");
  pool.devicePlugin = devicePlugin;
  if ((devicePlugin.sharing as { strategy?: string } | undefined)?.strategy === "mps") {
    data.addons = { ...data.addons, nodeFeatureDiscovery: true };
  }
  const { slice } = stagingPool(buildCampusPlan(loadData(data).spec));
  return parseSynth(
    Testing.synthScope((scope) => {
      new NvidiaDevicePlugin(scope, "plugin", { kubernetesVersion: "1.34" }).addPool(slice);
    }),
  );
}

function synthPlugin(plan?: CampusPlan) {
  const { pool, nodeSelector, slice } = stagingPool(plan);
  const synth = Testing.synthScope((scope) => {
    new NvidiaDevicePlugin(scope, "plugin", { kubernetesVersion: "1.33" }).addPool(slice);
  });
  return { synth, json: parseSynth(synth), pool, nodeSelector };
}

describe("NvidiaDevicePlugin", () => {
  it("GIVEN a GB200 pool WHEN added THEN the DaemonSet runs the pinned image as upstream's static manifest does", () => {
    const { synth } = synthPlugin();
    expect(synth).toHaveResourceWithProperties(
      DaemonSetV1,
      partial({
        spec: {
          strategy: { type: "RollingUpdate", rolling_update: { max_surge: "0" } },
          template: {
            spec: {
              priority_class_name: "system-node-critical",
              automount_service_account_token: false,
              toleration: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
              container: [
                {
                  image: "nvcr.io/nvidia/k8s-device-plugin:v0.20.0",
                  env: [
                    { name: "CONFIG_FILE", value: "/etc/nvidia-device-plugin/config.yaml" },
                    { name: "NVIDIA_VISIBLE_DEVICES", value: "all" },
                    { name: "NVIDIA_DRIVER_CAPABILITIES", value: "compute,utility" },
                  ],
                  security_context: {
                    privileged: false,
                    allow_privilege_escalation: false,
                    capabilities: { drop: ["ALL"] },
                    seccomp_profile: { type: "RuntimeDefault" },
                  },
                  resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
                },
              ],
            },
          },
        },
      }),
    );
    expect(NVIDIA_DEVICE_PLUGIN_IMAGE).toBe("nvcr.io/nvidia/k8s-device-plugin:v0.20.0");
  });

  it("GIVEN a pool WHEN added THEN the only hostPath is kubelet's device-plugin directory and nothing pins an architecture", () => {
    const { synth, json } = synthPlugin();
    const [daemonSet] = resourcesOf(json, "kubernetes_daemon_set_v1");
    const text = JSON.stringify(daemonSet);
    const hostPaths = [...text.matchAll(/"host_path":\{"path":"([^"]+)"/g)].map((m) => m[1]);
    expect(hostPaths).toEqual(["/var/lib/kubelet/device-plugins"]);
    expect(synth).not.toContain("kubernetes.io/arch");
    expect(synth).not.toContain("amd64");
    expect(text).not.toContain('"host_network":true');
  });

  it("GIVEN a pool WHEN added THEN its node affinity requires exactly the pool's selector labels", () => {
    const { synth, nodeSelector } = synthPlugin();
    expect(Object.keys(nodeSelector)).toEqual([LABEL.cluster, LABEL.building, LABEL.pool]);
    expect(synth).toHaveResourceWithProperties(
      DaemonSetV1,
      partial({
        spec: {
          template: {
            spec: {
              affinity: {
                node_affinity: {
                  required_during_scheduling_ignored_during_execution: {
                    node_selector_term: [
                      {
                        match_expressions: Object.entries(nodeSelector).map(([key, value]) => ({
                          key,
                          operator: "In",
                          values: [value],
                        })),
                      },
                    ],
                  },
                },
              },
            },
          },
        },
      }),
    );
  });

  it("GIVEN a pool WHEN added THEN the ConfigMap holds its named config under the node label's value and the DaemonSet mounts that key", () => {
    const { json, pool } = synthPlugin();
    const configMap = resourcesOf(json, "kubernetes_config_map_v1")[0] as { data: Record<string, string> };
    expect(Object.keys(configMap.data)).toEqual([pool.devicePluginConfigName]);
    expect(parse(configMap.data[pool.devicePluginConfigName] ?? "")).toEqual({
      version: "v1",
      flags: { migStrategy: "none", plugin: { deviceListStrategy: "envvar" } },
    });
    const text = JSON.stringify(resourcesOf(json, "kubernetes_daemon_set_v1")[0]);
    expect(text).toContain(`"items":[{"key":"${pool.devicePluginConfigName}","path":"config.yaml"}]`);
  });

  it("GIVEN the plugin WHEN synthesized THEN its namespace is privileged with a justification and its token is not mounted", () => {
    const { synth } = synthPlugin();
    expect(synth).toHaveResourceWithProperties(
      NamespaceV1,
      partial({
        metadata: {
          name: NAMES.devicePluginNamespace,
          labels: {
            "pod-security.kubernetes.io/enforce": "privileged",
            "pod-security.kubernetes.io/enforce-version": "v1.33",
          },
          annotations: { "justification.gpu-campus.io/pod-security-privileged": expect.stringContaining("hostPath") },
        },
      }),
    );
    expect(synth).toHaveResourceWithProperties(ServiceAccountV1, partial({ automount_service_account_token: false }));
  });

  it("GIVEN time-slicing with renaming WHEN rendered THEN the config shares nvidia.com/gpu with replicas and renameByDefault", () => {
    expect(
      devicePluginConfig({
        migStrategy: "single",
        deviceListStrategy: "volume-mounts",
        sharing: { strategy: "timeSlicing", replicas: 4, renameByDefault: true },
      }),
    ).toEqual({
      version: "v1",
      flags: { migStrategy: "single", plugin: { deviceListStrategy: "volume-mounts" } },
      sharing: { timeSlicing: { renameByDefault: true, resources: [{ name: "nvidia.com/gpu", replicas: 4 }] } },
    });
  });

  it("GIVEN any pool WHEN added THEN FAIL_ON_INIT_ERROR is not set false (upstream removed that setting in v0.18.0, commit b3d00543)", () => {
    const { json } = synthPlugin();
    const text = JSON.stringify(resourcesOf(json, "kubernetes_daemon_set_v1"));
    expect(text).not.toContain("FAIL_ON_INIT_ERROR");
  });

  it("GIVEN a RuntimeClass WHEN the plugin is built with it THEN every pod runs under it (upstream chart runtimeClassName)", () => {
    const { slice } = stagingPool();
    const synth = Testing.synthScope((scope) => {
      new NvidiaDevicePlugin(scope, "plugin", { kubernetesVersion: "1.34", runtimeClassName: "nvidia" }).addPool(slice);
    });
    expect(synth).toHaveResourceWithProperties(
      DaemonSetV1,
      partial({ spec: { template: { spec: { runtime_class_name: "nvidia" } } } }),
    );
  });

  it("GIVEN an MPS pool WHEN added THEN the plugin gets MPS_ROOT and the MPS root mounts, and the MPS control daemon runs as upstream's chart deploys it", () => {
    const json = synthWith({ sharing: { strategy: "mps", replicas: 2 } });
    const [plugin, daemon] = daemonSetsOf(json);
    if (!plugin || !daemon) throw new Error("expected the plugin and the MPS daemon");
    const pluginPod = plugin.spec.template.spec;
    expect(pluginPod.container[0]?.env).toContainEqual({ name: "MPS_ROOT", value: "/run/nvidia/mps" });
    expect(hostPathsOf(plugin)).toEqual(["/var/lib/kubelet/device-plugins", "/run/nvidia/mps", "/run/nvidia/mps/shm"]);
    expect(daemon.metadata.name).toBe("nvidia-mps-control-daemon-stg-gb200");
    const daemonPod = daemon.spec.template.spec;
    expect(daemonPod.host_pid).toBe(true);
    expect(daemonPod.init_container?.[0]?.command).toEqual(["mps-control-daemon", "mount-shm"]);
    expect(daemonPod.init_container?.[0]?.volume_mount?.[0]?.mount_propagation).toBe("Bidirectional");
    expect(daemonPod.container[0]?.command).toEqual(["mps-control-daemon"]);
    expect(daemonPod.container[0]?.security_context?.privileged).toBe(true);
    const terms = JSON.stringify(daemonPod.affinity);
    expect(terms).toContain('"key":"nvidia.com/mps.capable","operator":"In","values":["true"]');
    for (const topic of ["privileged-container", "host-namespaces", "host-path"]) {
      expect(daemon.metadata.annotations[`justification.gpu-campus.io/${topic}`]?.length).toBeGreaterThan(20);
    }
  });

  it("GIVEN a CDI strategy WHEN added THEN the plugin mounts /var/run/cdi, where it writes CDI specs, with a justification", () => {
    for (const deviceListStrategy of ["cdi-annotations", "cdi-cri"] as const) {
      const [plugin] = daemonSetsOf(synthWith({ deviceListStrategy }));
      if (!plugin) throw new Error("no plugin");
      expect(hostPathsOf(plugin)).toEqual(["/var/lib/kubelet/device-plugins", "/var/run/cdi"]);
      expect(plugin.metadata.annotations["justification.gpu-campus.io/host-path"]).toContain("/var/run/cdi");
    }
  });

  it("GIVEN MIG or volume-mounts WHEN added THEN the plugin adds SYS_ADMIN as upstream's chart does, and only then", () => {
    const capsOf = (json: ReturnType<typeof synthWith>) => {
      const [plugin] = daemonSetsOf(json);
      return plugin?.spec.template.spec.container[0]?.security_context?.capabilities;
    };
    expect(capsOf(synthWith({ migStrategy: "single" }))).toEqual({ drop: ["ALL"], add: ["SYS_ADMIN"] });
    expect(capsOf(synthWith({ deviceListStrategy: "volume-mounts" }))).toEqual({ drop: ["ALL"], add: ["SYS_ADMIN"] });
    expect(capsOf(synthWith({ sharing: { strategy: "timeSlicing", replicas: 4 } }))).toEqual({ drop: ["ALL"] });
    expect(
      devicePluginHostAccess({ migStrategy: "mixed", deviceListStrategy: "envvar" }).justifications,
    ).toHaveProperty("justification.gpu-campus.io/added-capabilities");
  });

  it("GIVEN a plugin with no pool WHEN validated THEN the synth fails naming the construct", () => {
    const stack = testStack("empty");
    new NvidiaDevicePlugin(stack, "plugin", { kubernetesVersion: "1.33" });
    expect(() => Testing.synth(stack, true)).toThrow(/the NVIDIA device plugin has no pool to run on/);
  });

  it("GIVEN a pool added twice WHEN added THEN it fails naming the config", () => {
    const { slice } = stagingPool();
    const stack = testStack("twice");
    const plugin = new NvidiaDevicePlugin(stack, "plugin", { kubernetesVersion: "1.33" });
    plugin.addPool(slice);
    expect(() => plugin.addPool(slice)).toThrow(/"stg-gb200".*added twice/);
  });
});
