import { checkContainers, effective } from "../pod-spec.js";
import type { ResourceRule } from "../policy-rule.js";
import { checkov, cis, pss } from "../sources.js";

/** Pod Security `restricted` accepts the runtime's default profile or a profile on the node. */
const ALLOWED_PROFILES = new Set(["RuntimeDefault", "Localhost"]);

export const seccompRuntimeDefault: ResourceRule = {
  id: "GPC-008",
  name: "seccomp-runtime-default",
  scope: "resource",
  level: "error",
  description:
    "Every container runs under a seccomp profile: RuntimeDefault (or Localhost), set on the pod or container.",
  why: "Without seccomp a container can make every syscall, including the rarely used ones most kernel exploits need.",
  fix: 'Set security_context.seccomp_profile.type = "RuntimeDefault" on the pod (or each container).',
  sources: [
    pss("restricted", "Seccomp"),
    cis("5.7.2", "Ensure that the seccomp profile is set to docker/default in your pod definitions"),
    checkov("CKV_K8S_31", "Ensure that the seccomp profile is set to docker/default or runtime/default"),
  ],
  evaluate: (resource) =>
    checkContainers(resource, (container, pod) => {
      const profile = effective(pod, container, "seccompProfileType");
      if (profile !== undefined && ALLOWED_PROFILES.has(profile)) return undefined;
      return profile === undefined ? "has no seccomp profile" : `uses seccomp profile "${profile}"`;
    }),
};
