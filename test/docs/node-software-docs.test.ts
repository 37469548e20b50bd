import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { DCGM_EXPORTER_IMAGE } from "../../src/catalog/dcgm-exporter.js";
import { NVIDIA_DEVICE_PLUGIN_IMAGE } from "../../src/catalog/nvidia-device-plugin.js";
import { NVIDIA_DRA_DRIVER, NVIDIA_DRA_DRIVER_IMAGE } from "../../src/catalog/nvidia-dra-driver.js";
import { SRIOV_NETWORK_DEVICE_PLUGIN_IMAGE } from "../../src/catalog/sriov-network-device-plugin.js";
import { GFD_LABEL } from "../../src/vocabulary/labels.js";
import { NAMES } from "../../src/vocabulary/names.js";
import { ROOT } from "../fixtures/environments.js";

/** The node-software sections of docs/constructs.md agree with the catalog and vocabulary. */
const doc = readFileSync(join(ROOT, "docs", "constructs.md"), "utf8");
const between = (from: string, to: string) => doc.slice(doc.indexOf(from), doc.indexOf(to, doc.indexOf(from) + 1));

describe("docs/constructs.md node software", () => {
  it("GIVEN the GB200 node table WHEN read THEN it lists every pinned image of the catalog", () => {
    const table = between("## What runs on a GB200 node", "## A 72-GPU job");
    for (const image of [
      NVIDIA_DEVICE_PLUGIN_IMAGE,
      DCGM_EXPORTER_IMAGE,
      NVIDIA_DRA_DRIVER_IMAGE,
      SRIOV_NETWORK_DEVICE_PLUGIN_IMAGE,
    ]) {
      expect(table).toContain(`\`${image}\``);
    }
  });

  it("GIVEN the ComputeDomain example WHEN parsed THEN it is 18 workers × 4 GPUs in one clique, claiming the template its ComputeDomain names", () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(between("## A 72-GPU job", "## RDMA tenants"))?.[1] ?? "";
    const [domain, job] = parseAllDocuments(yaml).map((d) => d.toJS());
    expect(domain.apiVersion).toBe(`${NVIDIA_DRA_DRIVER.crdGroup}/${NVIDIA_DRA_DRIVER.crdVersion}`);
    expect(domain.kind).toBe("ComputeDomain");
    const pod = job.spec.template.spec;
    const gpus = Number(pod.containers[0].resources.limits["nvidia.com/gpu"]);
    expect(job.spec.completions * gpus).toBe(72);
    expect(job.spec.completions).toBeLessThanOrEqual(NVIDIA_DRA_DRIVER.maxNodesPerImexDomain);
    expect(pod.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe(
      GFD_LABEL.clique,
    );
    expect(pod.resourceClaims[0].resourceClaimTemplateName).toBe(domain.spec.channel.resourceClaimTemplate.name);
    expect(pod.runtimeClassName).toBe(NAMES.runtimeClass);
  });
});
