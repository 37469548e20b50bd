import { TerraformResource, TerraformStack } from "cdktf";
import { block, isDict, manifestOf, str } from "../terraform-json/kubernetes-object.js";
import type { SynthesizedResource } from "./policy-rule.js";

/** A synthesized resource and the construct that declared it (where findings are reported). */
export interface ResourceInStack {
  readonly resource: SynthesizedResource;
  readonly construct: TerraformResource;
}

/** `${kubernetes_namespace_v1.tenant_a_namespace_1A2B.metadata[0].name}` and the manifest forms. */
const NAME_REFERENCE =
  /^\$\{([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\.(?:metadata\[0\]|metadata\.0|(?:manifest|object)\.metadata)\.name\}$/;

/**
 * Every resource of a stack as cdk.tf.json will hold it: the stack's own `toTerraform()` (which a
 * ClusterStack resolves once for this read and the synth's write that follows), each resource
 * matched to the construct that declared it by the construct path cdktf writes into its `//`
 * metadata, in construct-tree order. Then references to another resource's name are replaced by
 * that name when it is a literal, so a rule sees `namespace: "team-a"` whether the construct wrote
 * the string or a reference to the namespace resource (which orders creation).
 */
export function stackResources(stack: TerraformStack): ResourceInStack[] {
  const constructs = new Map<string, { construct: TerraformResource; order: number }>();
  for (const node of stack.node.findAll()) {
    if (!TerraformResource.isTerraformResource(node) || TerraformStack.of(node) !== stack) continue;
    constructs.set(node.node.path, { construct: node, order: constructs.size });
  }
  const found: (ResourceInStack & { order: number })[] = [];
  const byType = block(block(stack.toTerraform())?.resource);
  for (const [type, byId] of Object.entries(byType ?? {})) {
    for (const [logicalId, raw] of Object.entries(block(byId) ?? {})) {
      if (!isDict(raw)) continue;
      const { "//": metadata, ...config } = raw;
      const declared = constructs.get(str(block(block(metadata)?.metadata)?.path) ?? "");
      // Resources that no construct of this stack declares (raw overrides) are not the pack's to judge.
      if (!declared) continue;
      found.push({
        construct: declared.construct,
        order: declared.order,
        resource: { type, address: `${type}.${logicalId}`, path: declared.construct.node.path, config },
      });
    }
  }
  found.sort((a, b) => a.order - b.order);
  const names = new Map<string, string>();
  for (const { resource } of found) {
    const metadata = block(manifestOf(resource)?.metadata ?? resource.config.metadata);
    const name = str(metadata?.name);
    if (name !== undefined && !name.includes("${")) names.set(resource.address, name);
  }
  return found.map(({ construct, resource }) => ({
    construct,
    resource: { ...resource, config: substituteNames(resource.config, names) as SynthesizedResource["config"] },
  }));
}

function substituteNames(value: unknown, names: ReadonlyMap<string, string>): unknown {
  if (typeof value === "string") {
    const match = NAME_REFERENCE.exec(value);
    return match?.[1] !== undefined ? (names.get(match[1]) ?? value) : value;
  }
  if (Array.isArray(value)) return value.map((v) => substituteNames(v, names));
  if (isDict(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = substituteNames(v, names);
    return out;
  }
  return value;
}
