import type { PolicyRule } from "../policy-rule.js";
import { tenantNamespaceRestricted } from "./gpc-001-tenant-namespace-restricted.js";
import { privilegedNamespaceJustified } from "./gpc-002-privileged-namespace-justified.js";
import { noPrivilegedContainers } from "./gpc-003-no-privileged-containers.js";
import { noPrivilegeEscalation } from "./gpc-004-no-privilege-escalation.js";
import { dropAllCapabilities } from "./gpc-005-drop-all-capabilities.js";
import { runAsNonRoot } from "./gpc-006-run-as-non-root.js";
import { readOnlyRootFilesystem } from "./gpc-007-read-only-root-filesystem.js";
import { seccompRuntimeDefault } from "./gpc-008-seccomp-runtime-default.js";
import { resourceRequestsLimits } from "./gpc-009-resource-requests-limits.js";
import { imageTagPinned } from "./gpc-010-image-tag-pinned.js";
import { imageDigest } from "./gpc-011-image-digest.js";
import { hostPathAllowlist } from "./gpc-012-host-path-allowlist.js";
import { noHostNamespaces } from "./gpc-013-no-host-namespaces.js";
import { noDefaultNamespace } from "./gpc-014-no-default-namespace.js";
import { serviceAccountToken } from "./gpc-015-service-account-token.js";
import { tenantDefaultDeny } from "./gpc-016-tenant-default-deny.js";
import { tenantResourceQuota } from "./gpc-017-tenant-resource-quota.js";
import { tenantLimitRange } from "./gpc-018-tenant-limit-range.js";
import { dataVolumeRetained } from "./gpc-019-data-volume-retained.js";
import { gpuQuotaWithinCapacity } from "./gpc-020-gpu-quota-within-capacity.js";
import { kueueTopologyLevels } from "./gpc-021-kueue-topology-levels.js";
import { nvlinkDomainNotSplit } from "./gpc-022-nvlink-domain-not-split.js";

/** Every rule of the pack, in id order. Ids are stable: a retired rule keeps its id unused. */
export const POLICY_RULES: readonly PolicyRule[] = [
  tenantNamespaceRestricted,
  privilegedNamespaceJustified,
  noPrivilegedContainers,
  noPrivilegeEscalation,
  dropAllCapabilities,
  runAsNonRoot,
  readOnlyRootFilesystem,
  seccompRuntimeDefault,
  resourceRequestsLimits,
  imageTagPinned,
  imageDigest,
  hostPathAllowlist,
  noHostNamespaces,
  noDefaultNamespace,
  serviceAccountToken,
  tenantDefaultDeny,
  tenantResourceQuota,
  tenantLimitRange,
  dataVolumeRetained,
  gpuQuotaWithinCapacity,
  kueueTopologyLevels,
  nvlinkDomainNotSplit,
];

export const POLICY_RULE_IDS: readonly string[] = POLICY_RULES.map((rule) => rule.id);

export function policyRule(id: string): PolicyRule | undefined {
  return POLICY_RULES.find((rule) => rule.id === id);
}
