import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadToolchain } from "../../src/engine/toolchain.js";
import { isDict } from "../../src/terraform-json/kubernetes-object.js";
import { GPU_RESOURCE, LABEL, TOPOLOGY_LEVELS } from "../../src/vocabulary/labels.js";
import { type DaemonSetAffinitySpec, daemonSetNodeSelector } from "./support/daemon-set-selector.js";
import { driftTest } from "./support/drift.js";
import { reportFigure, timed } from "./support/figures.js";
import {
  containsFields,
  type LiveObject,
  liveObjects,
  managedObjects,
  stateResources,
} from "./support/live-objects.js";
import { StackUnderTest, TestCluster } from "./support/stack-under-test.js";
import { ROOT } from "./support/synth.js";

/**
 * Every environment's shape applied with OpenTofu and the real hashicorp/kubernetes provider to a
 * real control plane (etcd, kube-apiserver, kube-controller-manager on loopback) holding the
 * stack's registered nodes and the real Kueue and Multus CRDs: kind (the dev lab), staging (the
 * device plugin DaemonSet, 288 nodes) and one production cluster (4,320 nodes). Each is applied,
 * read back through the API, planned again with no changes, (staging) drifted behind OpenTofu's
 * back and restored, and destroyed — where the data volumes' prevent_destroy must refuse until the
 * protection is lifted on purpose. One control plane for the three in turn: each destroy must
 * leave nothing behind for the next. Each phase's time is printed.
 */
const tools = loadToolchain(ROOT);
const SUITE = "apply";
const cluster = new TestCluster(tools);

beforeAll(() => timed(SUITE, "control plane and CRDs", () => cluster.start()), 300_000);
afterAll(() => cluster.stop(), 120_000);

interface EnvironmentShape {
  readonly stack: string;
  /** Nodes in the stack's node registration. */
  readonly nodes: number;
  /** Nodes each ResourceFlavor (and the device plugin, where there is one) must select. */
  readonly poolNodes: number;
  readonly devicePlugin: boolean;
  /** Thousands of status patches cost seconds that production's objects do not need. */
  readonly advertiseCapacity: boolean;
  /** Change a quota and a DaemonSet label with kubectl, plan, restore (support/drift.ts). */
  readonly drift: boolean;
}

const SHAPES: readonly EnvironmentShape[] = [
  { stack: "kind-c1", nodes: 4, poolNodes: 2, devicePlugin: false, advertiseCapacity: true, drift: false },
  { stack: "staging-stg-c1", nodes: 288, poolNodes: 288, devicePlugin: true, advertiseCapacity: true, drift: true },
  {
    stack: "production-b1-c1",
    nodes: 4_320,
    poolNodes: 4_320,
    devicePlugin: true,
    advertiseCapacity: false,
    drift: false,
  },
];

type State = Parameters<typeof managedObjects>[0];

for (const shape of SHAPES) {
  describe(`${shape.stack} applied to a real kube-apiserver`, () => {
    const sut = new StackUnderTest(tools, {
      synthDir: inject("synthDir"),
      stack: shape.stack,
      cluster,
      advertiseCapacity: shape.advertiseCapacity,
    });
    const label = (phase: string) => `${shape.stack} ${phase}`;
    let state: State;
    let live: Map<string, LiveObject | undefined>;

    beforeAll(async () => {
      await timed(SUITE, label("nodes registered, init"), () => sut.start());
    }, 300_000);
    afterAll(() => sut.stop());

    it(`GIVEN ${shape.nodes} registered nodes and the real CRDs WHEN applied THEN every object is in the API with its labels, annotations and custom resource spec`, async () => {
      expect(sut.records).toHaveLength(shape.nodes);
      await timed(SUITE, label("apply"), () => sut.tofu.must(sut.dir, ["apply", "-auto-approve", "-no-color"]));
      state = JSON.parse((await sut.tofu.must(sut.dir, ["show", "-json", "-no-color"])).stdout);
      const planned = Object.values(sut.config().resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
      expect(stateResources(state)).toHaveLength(planned);

      const objects = managedObjects(state);
      live = await timed(SUITE, label("read back"), () => liveObjects(sut.kubectl, objects));
      const missing = objects.filter((o) => !live.get(o.address)).map((o) => o.address);
      expect(missing).toEqual([]);
      for (const object of objects) {
        const found = live.get(object.address);
        expect(found?.metadata.labels, `${object.address} labels`).toMatchObject(object.labels);
        expect(found?.metadata.annotations ?? {}, `${object.address} annotations`).toMatchObject(object.annotations);
        // A custom resource's spec as the real CRD stored it: nothing pruned, nothing changed.
        if (object.manifestSpec) {
          expect(containsFields(found?.spec, object.manifestSpec), `${object.address} spec`).toBe(true);
        }
      }
      reportFigure(SUITE, label("objects read back"), objects.length, "objects");
    });

    it("GIVEN the applied stack THEN quotas, claims, the Topology and each ResourceFlavor are as planned and select the pool's nodes", () => {
      const byType = (type: string) => stateResources(state).filter((r) => r.type === type);
      const liveOf = (address: string) => liveSpec(live, address);

      const quotas = byType("kubernetes_resource_quota_v1");
      expect(quotas.length).toBeGreaterThan(0);
      for (const quota of quotas) {
        const hard = (quota.values.spec as { hard: Record<string, string> }[])[0]?.hard;
        expect(hard?.[`requests.${GPU_RESOURCE}`], quota.address).toMatch(/^\d+$/);
        expect(liveOf(quota.address).hard, quota.address).toEqual(hard);
      }

      const claims = byType("kubernetes_persistent_volume_claim_v1");
      expect(claims.length).toBeGreaterThan(0);
      for (const claim of claims) {
        const spec = (
          claim.values.spec as { storage_class_name: string; resources: { requests: Record<string, string> }[] }[]
        )[0];
        expect(liveOf(claim.address)).toMatchObject({
          storageClassName: spec?.storage_class_name,
          resources: { requests: { storage: spec?.resources[0]?.requests.storage } },
        });
      }

      const topologies = managedObjects(state).filter((o) => o.kind === "Topology");
      expect(topologies).toHaveLength(1);
      const levels = liveOf(topologies[0]?.address ?? "").levels as { nodeLabel: string }[];
      expect(levels.map((l) => l.nodeLabel)).toEqual([...TOPOLOGY_LEVELS]);

      const flavors = managedObjects(state).filter((o) => o.kind === "ResourceFlavor");
      expect(flavors.length).toBeGreaterThan(0);
      for (const flavor of flavors) {
        const nodeLabels = liveOf(flavor.address).nodeLabels;
        if (!isDict(nodeLabels)) throw new Error(`${flavor.address}: no nodeLabels`);
        const selector = Object.entries(nodeLabels)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(",");
        expect(countNodes(sut, selector), `nodes of ${flavor.name}`).toBe(shape.poolNodes);
      }
      const clusterId = sut.records[0]?.labels[LABEL.cluster];
      expect(countNodes(sut, `${LABEL.cluster}=${clusterId}`)).toBe(shape.nodes);
    });

    if (shape.devicePlugin) {
      it(`GIVEN every node agent DaemonSet (device plugin, GFD, DCGM, DRA, RDMA) THEN its node affinity selects the pool's ${shape.poolNodes} nodes`, () => {
        const daemonSets = managedObjects(state).filter((o) => o.kind === "DaemonSet");
        expect(daemonSets.length).toBeGreaterThanOrEqual(1);
        for (const daemonSet of daemonSets) {
          const spec = liveSpec(live, daemonSet.address) as unknown as DaemonSetAffinitySpec;
          const selector = daemonSetNodeSelector(spec, daemonSet.address);
          expect(countNodes(sut, selector), daemonSet.address).toBe(shape.poolNodes);
        }
      });
    }

    it("GIVEN the applied stack WHEN planned again THEN no changes (detailed exit code 0)", async () => {
      const plan = await timed(SUITE, label("plan again"), () =>
        sut.tofu.run(sut.dir, ["plan", "-detailed-exitcode", "-no-color"]),
      );
      expect(plan.code, plan.stdout.slice(-6000) + plan.stderr).toBe(0);
      expect(plan.stdout).toContain("No changes.");
    });

    if (shape.drift) driftTest(SUITE, sut);

    it("GIVEN data volumes with prevent_destroy WHEN destroyed THEN refused, naming each one, with nothing deleted; lifted on purpose, everything goes", async () => {
      const protectedAddresses = sut.protectedAddresses();
      expect(protectedAddresses.length).toBeGreaterThan(0);
      const refused = await sut.tofu.run(sut.dir, ["destroy", "-auto-approve", "-no-color"]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/Instance cannot be destroyed/);
      for (const address of protectedAddresses) expect(refused.stderr, address).toContain(address);
      const objects = managedObjects(state);
      const stillThere = liveObjects(sut.kubectl, objects);
      expect(objects.filter((o) => !stillThere.get(o.address)).map((o) => o.address)).toEqual([]);

      sut.liftProtection();
      await timed(SUITE, label("destroy"), () => sut.tofu.must(sut.dir, ["destroy", "-auto-approve", "-no-color"]));
      const afterwards = liveObjects(sut.kubectl, objects);
      expect(objects.filter((o) => afterwards.get(o.address)).map((o) => o.address)).toEqual([]);
      const list = await sut.tofu.must(sut.dir, ["state", "list", "-no-color"]);
      expect(list.stdout.trim()).toBe("");
    });
  });
}

/** The live object's spec; throws when the API has no such object. */
function liveSpec(live: ReadonlyMap<string, LiveObject | undefined>, address: string): Record<string, unknown> {
  const object = live.get(address);
  if (!object?.spec) throw new Error(`${address}: not in the API, or without a spec`);
  return object.spec;
}

function countNodes(sut: StackUnderTest, selector: string): number {
  const names = sut.kubectl.run(["get", "nodes", "-l", selector, "-o", "name"]).trim();
  return names === "" ? 0 : names.split("\n").length;
}
