import type { AttributeChange, ChangeAction, ResourceChange, StackChange } from "../model.js";
import { diffAttributes } from "./attribute-diff.js";
import { isDataHolding } from "./destroy-risk.js";
import { sensitivePaths, sensitiveSetting } from "./sensitive.js";
import {
  isRecord,
  kubernetesObject,
  metadataNameResolver,
  type ReferenceResolver,
  singleBlock,
  stripCdktfMetadata,
} from "./values.js";

/**
 * Compares two synthesized stacks (cdk.tf.json) resource by resource: what Terraform would do
 * to the configuration, without a state or a cluster. A resource is keyed by its address
 * (`type.name`, cdktf's logical id); `moved` blocks are honoured.
 */

interface Entry {
  readonly address: string;
  readonly type: string;
  readonly mode: "managed" | "data";
  readonly body: unknown;
}

const RESOURCE_SECTIONS = ["resource", "data"] as const;

function entries(document: Record<string, unknown>): Map<string, Entry> {
  const out = new Map<string, Entry>();
  for (const section of RESOURCE_SECTIONS) {
    const byType = document[section];
    if (!isRecord(byType)) continue;
    for (const [type, byName] of Object.entries(byType)) {
      if (!isRecord(byName)) continue;
      for (const [name, body] of Object.entries(byName)) {
        const address = section === "data" ? `data.${type}.${name}` : `${type}.${name}`;
        out.set(address, { address, type, mode: section === "data" ? "data" : "managed", body });
      }
    }
  }
  return out;
}

/** `moved` blocks as new address → old address. */
function moves(document: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  const blocks = Array.isArray(document.moved) ? document.moved : isRecord(document.moved) ? [document.moved] : [];
  for (const block of blocks) {
    if (isRecord(block) && typeof block.from === "string" && typeof block.to === "string")
      out.set(block.to, block.from);
  }
  return out;
}

function settings(document: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(document)) {
    if (!RESOURCE_SECTIONS.includes(key as (typeof RESOURCE_SECTIONS)[number]) && key !== "moved") out[key] = value;
  }
  return out;
}

function replaceOrder(body: unknown): ResourceChange["replaceOrder"] {
  return isRecord(body) && singleBlock(body.lifecycle)?.create_before_destroy === true
    ? "create-before-destroy"
    : "destroy-before-create";
}

interface Resolvers {
  readonly before: ReferenceResolver;
  readonly after: ReferenceResolver;
}

function resourceChange(
  before: Entry | undefined,
  after: Entry | undefined,
  notes: string[],
  resolvers: Resolvers,
): ResourceChange {
  const entry = (after ?? before) as Entry;
  const sensitive = sensitivePaths(entry.type, before?.body, after?.body);
  // Replacement only means something for an object that exists on both sides.
  const attributes = diffAttributes(before?.body, after?.body, {
    type: entry.type,
    sensitive,
    ...(before && after ? {} : { replacePaths: [] }),
  });
  let action: ChangeAction;
  if (!before) action = "create";
  else if (!after) action = "delete";
  else if (attributes.length === 0) action = "no-op";
  else action = attributes.some((a) => a.forcesReplacement) ? "replace" : "update";
  // A data source is read, never created or destroyed: a new or changed one is read at plan
  // time, a removed one is only dropped from the state.
  if (entry.mode === "data" && action !== "no-op") action = action === "delete" ? "forget" : "read";
  const object =
    kubernetesObject(entry.type, after?.body, resolvers.after) ??
    kubernetesObject(entry.type, before?.body, resolvers.before);
  const dataHolding = isDataHolding(entry.type, before?.body) || isDataHolding(entry.type, after?.body);
  return {
    address: entry.address,
    type: entry.type,
    mode: entry.mode,
    action,
    ...(object ? { object } : {}),
    attributes,
    ...(action === "replace" ? { replaceOrder: replaceOrder(after?.body) } : {}),
    ...(dataHolding ? { dataHolding } : {}),
    ...(notes.length > 0 ? { notes } : {}),
  };
}

/** Diffs one stack; `before`/`after` are parsed cdk.tf.json documents, undefined when absent. */
export function diffStack(stack: string, before: unknown, after: unknown): StackChange {
  const b = (isRecord(before) ? stripCdktfMetadata(before) : {}) as Record<string, unknown>;
  const a = (isRecord(after) ? stripCdktfMetadata(after) : {}) as Record<string, unknown>;
  const oldEntries = entries(b);
  const newEntries = entries(a);
  const movedFrom = moves(a);
  const consumed = new Set<string>();
  const pairs: { before: Entry | undefined; after: Entry | undefined; notes: string[] }[] = [];

  for (const [address, entry] of newEntries) {
    const from = movedFrom.get(address);
    const previous = oldEntries.get(address) ?? (from !== undefined ? oldEntries.get(from) : undefined);
    const notes = !oldEntries.has(address) && previous ? [`moved from ${from} (a \`moved\` block keeps it)`] : [];
    if (previous) consumed.add(previous.address);
    pairs.push({ before: previous, after: entry, notes });
  }
  for (const [address, entry] of oldEntries) {
    if (!consumed.has(address)) pairs.push({ before: entry, after: undefined, notes: [] });
  }
  const resolvers = { before: metadataNameResolver(b.resource), after: metadataNameResolver(a.resource) };
  noteAddressRenames(pairs, resolvers);

  const changes = pairs.map((p) => resourceChange(p.before, p.after, p.notes, resolvers));
  const changed = changes.filter((c) => c.action !== "no-op");
  const status =
    before === undefined ? "added" : after === undefined ? "removed" : changed.length > 0 ? "changed" : "unchanged";
  const settingChanges = diffSettings(settings(b), settings(a));
  return {
    stack,
    status: status === "unchanged" && settingChanges.length > 0 ? "changed" : status,
    resources: sortChanges(changed),
    settings: settingChanges,
    unchanged: changes.length - changed.length,
  };
}

function diffSettings(before: Record<string, unknown>, after: Record<string, unknown>): AttributeChange[] {
  return diffAttributes(before, after, { type: "", sensitive: sensitiveSetting }).map((change) =>
    change.path.startsWith("terraform.backend") && !change.note
      ? { ...change, note: "the state moves: run `terraform init -migrate-state` (or `tofu`) before the next apply" }
      : change,
  );
}

/**
 * A resource removed at one address and added at another, for the same Kubernetes object, is
 * destroyed and re-created by Terraform: cdktf's logical ids change when a construct moves in
 * the tree. Say so on both, with the fix.
 */
function noteAddressRenames(
  pairs: { before: Entry | undefined; after: Entry | undefined; notes: string[] }[],
  resolvers: Resolvers,
): void {
  const removed = pairs.filter((p) => p.after === undefined && p.before);
  const added = pairs.filter((p) => p.before === undefined && p.after);
  for (const gone of removed) {
    const old = gone.before as Entry;
    const object = kubernetesObject(old.type, old.body, resolvers.before);
    if (!object) continue;
    const twin = added.find(
      (p) => p.after?.type === old.type && kubernetesObject(old.type, p.after.body, resolvers.after) === object,
    );
    if (!twin?.after) continue;
    gone.notes.push(
      `same ${object} as the new ${twin.after.address}: Terraform destroys and re-creates it; a \`moved\` block from ${old.address} to ${twin.after.address} keeps it`,
    );
    twin.notes.push(`re-creates ${object} removed at ${old.address} (address changed)`);
  }
}

const ACTION_ORDER: Readonly<Record<ChangeAction, number>> = {
  delete: 0,
  replace: 1,
  update: 2,
  create: 3,
  read: 4,
  forget: 5,
  "no-op": 6,
};

/** Destroys first, then replacements, updates, creates; by address within an action. */
export function sortChanges(changes: readonly ResourceChange[]): ResourceChange[] {
  return [...changes].sort(
    (x, y) =>
      (ACTION_ORDER[x.action] ?? 9) - (ACTION_ORDER[y.action] ?? 9) ||
      Number(y.dataHolding ?? false) - Number(x.dataHolding ?? false) ||
      x.address.localeCompare(y.address),
  );
}
