import { describe, expect, it } from "vitest";
import { kubeletRegistrationFlags } from "../../src/artifacts/node-registration.js";
import { clusterNodes, type NodeRecord } from "../../src/plan/node-identity.js";
import { LABEL } from "../../src/vocabulary/labels.js";
import type { EnvironmentName } from "../fixtures/environments.js";
import { manifestsOf, resourcesOf, synthShipped } from "../fixtures/stacks.js";

interface MatchExpression {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly string[];
}

interface Toleration {
  readonly key: string;
  readonly operator: string;
  readonly effect: string;
}

/** What a node looks like to the scheduler: its registered labels plus the hostname kubelet sets. */
function nodeLabels(node: NodeRecord): Record<string, string> {
  const hostname = kubeletRegistrationFlags(node)
    .find((flag) => flag.startsWith("--hostname-override="))
    ?.slice("--hostname-override=".length);
  return { ...node.labels, ...(hostname && { [LABEL.hostname]: hostname }) };
}

const matches = (labels: Record<string, string>, selector: Record<string, string>) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

const tolerates = (tolerations: readonly Toleration[], node: NodeRecord) =>
  node.taints.every((taint) =>
    tolerations.some((t) => t.key === taint.key && t.effect === taint.effect && t.operator === "Exists"),
  );

/** The pool (building/pool) a node belongs to, from its own labels. */
const poolOf = (labels: Record<string, string>) => `${labels[LABEL.building]}-${labels[LABEL.pool]}`;

describe("one source of truth: selectors name labels that registered nodes carry", () => {
  it.each([
    ["kind", "c1"],
    ["staging", "stg-c1"],
    ["production", "b1-c1"],
    ["production", "b4-c2"],
    ["production", "b8-c3"],
  ] as const)(
    "GIVEN %s cluster %s WHEN synthesized THEN every DaemonSet, ResourceFlavor and Topology label exists on the nodes with the right values",
    (name: EnvironmentName, clusterId) => {
      const { json, plan, cluster } = synthShipped(name, clusterId);
      const nodes = [...clusterNodes(plan, cluster)].map((node) => ({ node, labels: nodeLabels(node) }));
      expect(nodes.length).toBe(cluster.nodes);

      // Device plugin: each DaemonSet's affinity selects exactly its pool's nodes, whose config label names the key it mounts.
      for (const daemonSet of resourcesOf(json, "kubernetes_daemon_set_v1")) {
        const spec = (daemonSet.spec as { template: { spec: Record<string, unknown> } }).template.spec as {
          affinity: {
            node_affinity: {
              required_during_scheduling_ignored_during_execution: {
                node_selector_term: { match_expressions: MatchExpression[] }[];
              };
            };
          };
          toleration: Toleration[];
          volume: { config_map?: { items?: { key: string }[] } }[];
        };
        const terms =
          spec.affinity.node_affinity.required_during_scheduling_ignored_during_execution.node_selector_term;
        expect(terms).toHaveLength(1);
        const selector = Object.fromEntries(
          (terms[0]?.match_expressions ?? []).map((e) => {
            expect(e.operator).toBe("In");
            expect(e.values).toHaveLength(1);
            return [e.key, e.values[0] ?? ""];
          }),
        );
        const selected = nodes.filter((n) => matches(n.labels, selector));
        expect(selected.length).toBeGreaterThan(0);
        const instance = (daemonSet.metadata as { labels: Record<string, string> }).labels[
          "app.kubernetes.io/instance"
        ];
        expect(new Set(selected.map((n) => poolOf(n.labels)))).toEqual(new Set([instance]));
        expect(selected.length).toBe(nodes.filter((n) => poolOf(n.labels) === instance).length);
        // The device plugin (and the MPS daemon) mount exactly the config the node label names;
        // the other node agents (GFD, DCGM, DRA, RDMA) read no per-pool config.
        const configKey = spec.volume.find((v) => v.config_map?.items)?.config_map?.items?.[0]?.key;
        for (const { node, labels } of selected) {
          if (configKey !== undefined) expect(labels[LABEL.devicePluginConfig]).toBe(configKey);
          expect(tolerates(spec.toleration, node)).toBe(true);
        }
      }

      // Kueue: each flavor's nodeLabels select exactly one pool's nodes, and its tolerations pass their taints.
      const flavors = manifestsOf(json, "ResourceFlavor") as {
        metadata: { name: string };
        spec: { nodeLabels: Record<string, string>; tolerations: Toleration[]; topologyName: string };
      }[];
      expect(flavors.length).toBe(cluster.buildings.reduce((sum, b) => sum + b.pools.length, 0));
      let flavored = 0;
      for (const flavor of flavors) {
        const selected = nodes.filter((n) => matches(n.labels, flavor.spec.nodeLabels));
        expect(new Set(selected.map((n) => poolOf(n.labels)))).toEqual(new Set([flavor.metadata.name]));
        expect(selected.every((n) => tolerates(flavor.spec.tolerations, n.node))).toBe(true);
        flavored += selected.length;
      }
      expect(flavored).toBe(nodes.length);

      // Topology: every level is a label of every node; hostname is the node's own name.
      const [topology] = manifestsOf(json, "Topology") as {
        metadata: { name: string };
        spec: { levels: { nodeLabel: string }[] };
      }[];
      expect(flavors.every((f) => f.spec.topologyName === topology?.metadata.name)).toBe(true);
      const levels = topology?.spec.levels.map((l) => l.nodeLabel) ?? [];
      expect(levels.at(-1)).toBe(LABEL.hostname);
      for (const { node, labels } of nodes) {
        for (const level of levels) expect(labels[level], `${node.name} lacks ${level}`).toBeDefined();
        expect(labels[LABEL.hostname]).toBe(node.name);
      }
    },
  );
});
