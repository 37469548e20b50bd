import { ClusterRoleBindingV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-binding-v1";
import { ClusterRoleV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-v1";
import { DaemonSetV1 } from "@cdktf/provider-kubernetes/lib/daemon-set-v1";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { RoleV1 } from "@cdktf/provider-kubernetes/lib/role-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { Construct } from "constructs";
import {
  COMPUTE_DOMAIN_DEVICE_CLASSES,
  NVIDIA_DRA_DRIVER,
  NVIDIA_DRA_DRIVER_IMAGE,
} from "../catalog/nvidia-dra-driver.js";
import type { ClusterPoolSlice } from "../plan/plan-types.js";
import { DRA_API_VERSION } from "../vocabulary/api-versions.js";
import { APP_LABEL, justificationAnnotation, managedLabels, NAMES, podSecurityLabels } from "../vocabulary/names.js";
import { ComputeDomainCrds } from "./compute-domain-crds.js";
import { managedManifest } from "./managed-manifest.js";
import { nodeAgentDaemonSet, PRIVILEGED_CONTAINER } from "./node-agent-daemonset.js";
import { fieldEnv } from "./pod-field-env.js";

export interface NvidiaDraDriverProps {
  /** Kubernetes minor version ("1.34"): pins the namespace's Pod Security labels. */
  readonly kubernetesVersion: string;
  /** @default - the pinned catalog image (src/catalog/nvidia-dra-driver.ts) */
  readonly image?: string;
  /** @default - `nvidia-dra-driver-gpu`, the namespace NVIDIA's docs use */
  readonly namespace?: string;
}

/** `compute-domain-kubelet-plugin-<building>-<pool>`. */
export function computeDomainPluginName(slice: Pick<ClusterPoolSlice, "name">): string {
  return `${NAMES.draKubeletPluginApp}-${slice.name}`;
}

const NO_GPUS = { name: "NVIDIA_VISIBLE_DEVICES", value: "void" };
interface PolicyRuleSpec {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
}
const rule = (apiGroups: string[], resources: string[], verbs: string[]): PolicyRuleSpec => ({
  apiGroups,
  resources,
  verbs,
});
const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/**
 * The NVIDIA DRA driver for GPUs with ComputeDomains only (multi-node NVLink through IMEX on
 * GB200/GB300), as upstream's chart deploys it with `resources.gpus.enabled=false`
 * (kubernetes-sigs/dra-driver-nvidia-gpu v0.4.1, deployments/helm/dra-driver-nvidia-gpu): the
 * ComputeDomain CRDs, a controller Deployment (it renders one IMEX daemon DaemonSet and
 * ResourceClaimTemplates per ComputeDomain), one kubelet plugin DaemonSet per NVLink pool (it
 * publishes each node's `compute-domain.nvidia.com` ResourceSlice and prepares IMEX channels), the
 * two DeviceClasses and the RBAC of the chart's templates. GPUs stay with the device plugin: the
 * chart refuses the GPU side next to it (templates/validation.yaml).
 */
export class NvidiaDraDriver extends Construct {
  readonly namespaceName: string;
  readonly image: string;
  readonly crds: ComputeDomainCrds;
  readonly controller: DeploymentV1;
  readonly kubeletPlugins: DaemonSetV1[] = [];
  private readonly kubeletPluginServiceAccount: string;

  constructor(scope: Construct, id: string, props: NvidiaDraDriverProps) {
    super(scope, id);
    this.image = props.image ?? NVIDIA_DRA_DRIVER_IMAGE;
    const labels = managedLabels("nvidia-dra-driver");
    const namespace = new NamespaceV1(this, "namespace", {
      metadata: {
        name: props.namespace ?? NAMES.draDriverNamespace,
        labels: { ...labels, ...podSecurityLabels(props.kubernetesVersion, "privileged", "baseline") },
        annotations: {
          [justificationAnnotation("pod-security-privileged")]:
            "the ComputeDomain kubelet plugin is privileged and mounts kubelet's plugin directories with Bidirectional " +
            "propagation (upstream chart kubeletplugin.yaml); the controller and IMEX daemons share the namespace",
        },
      },
    });
    this.namespaceName = namespace.metadata.name;
    this.crds = new ComputeDomainCrds(this, "crds");
    const meta = (name: string) => ({ name, namespace: this.namespaceName, labels });
    const account = (cid: string, name: string) =>
      new ServiceAccountV1(this, cid, { metadata: meta(name), automountServiceAccountToken: false }).metadata.name;
    const controllerAccount = account("controller-sa", NAMES.draControllerApp);
    this.kubeletPluginServiceAccount = account("kubelet-plugin-sa", NAMES.draKubeletPluginApp);
    const daemonAccount = account("daemon-sa", NAMES.computeDomainDaemonServiceAccount);
    const group = NVIDIA_DRA_DRIVER.crdGroup;
    const grant = (
      cid: string,
      name: string,
      serviceAccount: string,
      clusterRules: PolicyRuleSpec[],
      nsRules: PolicyRuleSpec[],
    ) => {
      const subject = [{ kind: "ServiceAccount", name: serviceAccount, namespace: this.namespaceName }];
      const role = new ClusterRoleV1(this, `${cid}-clusterrole`, { metadata: { name, labels }, rule: clusterRules });
      new ClusterRoleBindingV1(this, `${cid}-clusterrolebinding`, {
        metadata: { name, labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
        subject,
      });
      if (nsRules.length === 0) return;
      const nsRole = new RoleV1(this, `${cid}-role`, { metadata: meta(name), rule: nsRules });
      new RoleBindingV1(this, `${cid}-rolebinding`, {
        metadata: meta(name),
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: nsRole.metadata.name },
        subject,
      });
    };
    // RBAC as the chart's templates grant it (clusterrole-*.yaml, role-*.yaml, v0.4.1).
    grant(
      "controller",
      `${NAMES.draDriverNamespace}-controller`,
      controllerAccount,
      [
        rule([group], ["computedomains"], ["get", "list", "watch", "update"]),
        rule([group], ["computedomains/status"], ["update"]),
        rule(["resource.k8s.io"], ["resourceclaimtemplates"], ["get", "list", "watch", "create", "update", "delete"]),
        rule([""], ["nodes"], ["get", "list", "watch", "update"]),
        rule([""], ["pods"], ["get", "list", "watch"]),
      ],
      [
        rule(["apps"], ["daemonsets"], ["get", "list", "watch", "create", "update", "patch", "delete"]),
        rule([group], ["computedomaincliques"], ["get", "list", "watch", "update"]),
        rule(["coordination.k8s.io"], ["leases"], ["get", "create", "update"]),
      ],
    );
    grant(
      "kubelet-plugin",
      `${NAMES.draDriverNamespace}-kubelet-plugin`,
      this.kubeletPluginServiceAccount,
      [
        rule([group], ["computedomains"], ["get", "list", "watch"]),
        rule(["resource.k8s.io"], ["resourceclaims"], ["get", "list", "watch"]),
        rule(["resource.k8s.io"], ["resourceslices"], ["get", "list", "watch", "create", "update", "delete"]),
        rule([""], ["nodes"], ["get", "list", "watch", "update"]),
        rule([""], ["pods"], ["get", "list", "watch"]),
      ],
      [rule([group], ["computedomaincliques"], ["get"])],
    );
    grant(
      "daemon",
      `${NAMES.draDriverNamespace}-compute-domain-daemon`,
      daemonAccount,
      [
        rule([group], ["computedomains", "computedomains/status"], ["get", "list", "watch", "update", "patch"]),
        rule([group], ["computedomaincliques"], ["get", "list", "watch", "create", "update", "patch"]),
        rule([""], ["pods"], ["get", "list", "watch", "patch"]),
      ],
      [],
    );

    const controllerLabels = { [APP_LABEL.name]: NAMES.draControllerApp };
    this.controller = new DeploymentV1(this, "controller", {
      metadata: {
        ...meta(NAMES.draControllerApp),
        annotations: {
          [justificationAnnotation("service-account-token")]:
            "the controller watches ComputeDomains and creates DaemonSets and ResourceClaimTemplates through the API",
          [justificationAnnotation("run-as-root")]:
            "upstream's chart sets no user (securityContext {}); the image is not documented to run as non-root",
          [justificationAnnotation("writable-root-filesystem")]:
            "upstream's chart leaves the root filesystem writable; read-only is not yet proven for the controller",
        },
      },
      waitForRollout: false,
      spec: {
        replicas: "1",
        selector: { matchLabels: controllerLabels },
        template: {
          metadata: { labels: controllerLabels },
          spec: {
            serviceAccountName: controllerAccount,
            automountServiceAccountToken: true,
            // Upstream requires a control-plane node; managed control planes run no pods, so it runs
            // on any system node (it needs no GPU and no host access).
            priorityClassName: NAMES.nodeCriticalPriorityClass,
            securityContext: { seccompProfile: { type: "RuntimeDefault" } },
            container: [
              {
                name: "compute-domain",
                image: this.image,
                command: [NVIDIA_DRA_DRIVER.controllerCommand, "-v", "4"],
                env: [
                  fieldEnv("POD_NAME", "metadata.name"),
                  fieldEnv("NAMESPACE", "metadata.namespace"),
                  // The controller renders each ComputeDomain's IMEX daemons from its own image.
                  { name: "IMAGE_NAME", value: this.image },
                  { name: "MAX_NODES_PER_IMEX_DOMAIN", value: String(NVIDIA_DRA_DRIVER.maxNodesPerImexDomain) },
                  NO_GPUS,
                ],
                securityContext: RESTRICTED_CONTAINER,
                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
              },
            ],
          },
        },
      },
    });

    // The two ComputeDomain DeviceClasses (templates/deviceclass-compute-domain-*.yaml, CEL as upstream).
    const driver = NVIDIA_DRA_DRIVER.computeDomainDriver;
    const attribute = `device.attributes['${driver}']`;
    const deviceClass = (cid: string, name: string, expression: string) =>
      managedManifest(
        this,
        cid,
        {
          apiVersion: DRA_API_VERSION,
          kind: "DeviceClass",
          metadata: { name, labels },
          spec: { selectors: [{ cel: { expression } }] },
        },
        {},
      );
    deviceClass(
      "deviceclass-daemon",
      COMPUTE_DOMAIN_DEVICE_CLASSES.daemon,
      `device.driver == '${driver}' && ${attribute}.type == 'daemon'`,
    );
    deviceClass(
      "deviceclass-default-channel",
      COMPUTE_DOMAIN_DEVICE_CLASSES.defaultChannel,
      `device.driver == '${driver}' && ${attribute}.type == 'channel' && ${attribute}.id == 0`,
    );
  }

  /** The kubelet plugin on exactly one NVLink pool's nodes. */
  addPool(slice: ClusterPoolSlice): DaemonSetV1 {
    const { kubeletPluginsDir, kubeletRegistryDir, cdiRoot } = NVIDIA_DRA_DRIVER;
    const directoryEnv = [
      { name: "KUBELET_REGISTRAR_DIRECTORY_PATH", value: kubeletRegistryDir },
      { name: "KUBELET_PLUGINS_DIRECTORY_PATH", value: kubeletPluginsDir },
      { name: "NVIDIA_DRIVER_ROOT", value: "/" },
    ];
    const daemonSet = new DaemonSetV1(
      this,
      `kubelet-plugin-${slice.name}`,
      nodeAgentDaemonSet({
        slice,
        name: computeDomainPluginName(slice),
        namespace: this.namespaceName,
        app: NAMES.draKubeletPluginApp,
        component: "nvidia-dra-driver",
        justifications: {
          [justificationAnnotation("privileged-container")]:
            "the ComputeDomain kubelet plugin creates IMEX channel device nodes and prepares them for pods; upstream's chart " +
            "runs its init container and plugin privileged (kubeletplugin.yaml)",
          [justificationAnnotation("host-path")]:
            `registers with kubelet through ${kubeletRegistryDir} and ${kubeletPluginsDir} (Bidirectional), writes CDI specs ` +
            `to ${cdiRoot} and reads the driver root / read-only`,
          [justificationAnnotation("service-account-token")]:
            "publishes the node's ResourceSlice and labels the node with its ComputeDomain through the API",
          [justificationAnnotation("run-as-root")]: "privileged node agent that writes root-owned kubelet directories",
          [justificationAnnotation("writable-root-filesystem")]: "upstream's chart leaves the root filesystem writable",
          [justificationAnnotation("added-capabilities")]: "privileged (see privileged-container); it drops none",
        },
        serviceAccountName: this.kubeletPluginServiceAccount,
        automountServiceAccountToken: true,
        rollingUpdate: { maxUnavailable: "100%" },
        pod: {
          initContainer: [
            {
              name: "init-container",
              image: this.image,
              command: ["bash", "/usr/bin/kubelet-plugin-prestart.sh"],
              env: [...directoryEnv, NO_GPUS],
              securityContext: PRIVILEGED_CONTAINER,
              resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
              volumeMount: [{ name: "driver-root", mountPath: "/driver-root-parent", readOnly: true }],
            },
          ],
          container: [
            {
              name: "compute-domains",
              image: this.image,
              command: [NVIDIA_DRA_DRIVER.kubeletPluginCommand, "-v", "4"],
              env: [
                ...directoryEnv,
                NO_GPUS,
                { name: "CDI_ROOT", value: cdiRoot },
                { name: "NVIDIA_MIG_CONFIG_DEVICES", value: "all" },
                { name: "HEALTHCHECK_PORT", value: String(NVIDIA_DRA_DRIVER.healthcheckPort) },
                fieldEnv("NODE_NAME", "spec.nodeName"),
                fieldEnv("NAMESPACE", "metadata.namespace"),
              ],
              securityContext: PRIVILEGED_CONTAINER,
              resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
              volumeMount: [
                { name: "plugins-registry", mountPath: kubeletRegistryDir },
                { name: "plugins", mountPath: kubeletPluginsDir, mountPropagation: "Bidirectional" },
                { name: "cdi", mountPath: cdiRoot },
                { name: "driver-root", mountPath: "/driver-root", readOnly: true },
              ],
            },
          ],
          volume: [
            { name: "plugins-registry", hostPath: { path: kubeletRegistryDir } },
            { name: "plugins", hostPath: { path: kubeletPluginsDir } },
            { name: "cdi", hostPath: { path: cdiRoot, type: "DirectoryOrCreate" } },
            { name: "driver-root", hostPath: { path: "/", type: "Directory" } },
          ],
        },
      }),
    );
    this.kubeletPlugins.push(daemonSet);
    return daemonSet;
  }
}
