import type { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Construct } from "constructs";
import { NVIDIA_DRA_DRIVER } from "../catalog/nvidia-dra-driver.js";
import { managedLabels } from "../vocabulary/names.js";
import { managedManifest } from "./managed-manifest.js";

/**
 * The CRDs of the NVIDIA DRA driver's ComputeDomains, written from their documented fields
 * (kubernetes-sigs/dra-driver-nvidia-gpu v0.4.1 crds/resource.nvidia.com_computedomains.yaml and
 * _computedomaincliques.yaml): a namespaced `ComputeDomain` whose immutable spec names the
 * ResourceClaimTemplate the controller generates for the workload (`channel.resourceClaimTemplate.name`,
 * required), the channel `allocationMode` (Single, the default, or All) and the deprecated
 * `numNodes` (default 0, which upstream recommends with IMEXDaemonsWithDNSNames); and the
 * `ComputeDomainClique` the IMEX daemons record themselves in. Status fields the controller and
 * daemons own are kept whole (preserve-unknown-fields) rather than retyped here.
 */
export class ComputeDomainCrds extends Construct {
  readonly computeDomain: Manifest;
  readonly computeDomainClique: Manifest;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const group = NVIDIA_DRA_DRIVER.crdGroup;
    const version = NVIDIA_DRA_DRIVER.crdVersion;
    const crd = (kind: string, plural: string, schema: Record<string, unknown>) => ({
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: `${plural}.${group}`, labels: managedLabels("nvidia-dra-driver") },
      spec: {
        group,
        scope: "Namespaced",
        names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
        versions: [
          {
            name: version,
            served: true,
            storage: true,
            ...(kind === "ComputeDomain" && { subresources: { status: {} } }),
            schema: { openAPIV3Schema: schema },
          },
        ],
      },
    });
    const meta = { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" } };
    this.computeDomain = managedManifest(
      this,
      "computedomains",
      crd("ComputeDomain", "computedomains", {
        type: "object",
        properties: {
          ...meta,
          spec: {
            type: "object",
            required: ["channel"],
            "x-kubernetes-validations": [{ rule: "self == oldSelf", message: "A computeDomain.spec is immutable" }],
            properties: {
              numNodes: { type: "integer", minimum: 0, default: 0 },
              channel: {
                type: "object",
                required: ["resourceClaimTemplate"],
                properties: {
                  resourceClaimTemplate: {
                    type: "object",
                    required: ["name"],
                    properties: { name: { type: "string" } },
                  },
                  allocationMode: { type: "string", enum: ["Single", "All"], default: "Single" },
                },
              },
            },
          },
          status: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
        },
      }),
    );
    this.computeDomainClique = managedManifest(
      this,
      "computedomaincliques",
      crd("ComputeDomainClique", "computedomaincliques", {
        type: "object",
        properties: {
          ...meta,
          daemons: { type: "array", items: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
        },
      }),
    );
  }
}
