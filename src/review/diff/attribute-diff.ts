import type { AttributeChange, ReplacementReason } from "../model.js";
import { changeNote, replacementReason } from "./replacement-rules.js";
import { MASK, type SensitivePredicate } from "./sensitive.js";
import { lineDiff } from "./text-diff.js";
import { deepEqual, formatPath, isRecord, type PathSegment, schemaPath } from "./values.js";

/**
 * The attribute-level difference of two versions of one resource, as leaf changes with a display
 * path, old and new value, and whether the change forces a replacement. Works on cdk.tf.json
 * bodies (blocks as objects) and on plan JSON before/after (blocks as one-item lists) alike.
 */

export type RawPath = readonly (string | number)[];

export interface AttributeDiffOptions {
  readonly type: string;
  readonly sensitive: SensitivePredicate;
  /** Synth diff: decide replacements from the provider's rules. Plan: from `replacePaths`. */
  readonly replacePaths?: readonly RawPath[];
  /** Plan JSON `after_unknown`: `true` where the new value is known only after apply. */
  readonly afterUnknown?: unknown;
  /** Plan JSON `before_sensitive` / `after_sensitive`. */
  readonly beforeSensitive?: unknown;
  readonly afterSensitive?: unknown;
}

/** Primitive lists longer than this are shown as counts with the items added and removed. */
const SHORT_LIST = 6;

export function diffAttributes(before: unknown, after: unknown, options: AttributeDiffOptions): AttributeChange[] {
  const out: AttributeChange[] = [];
  const secrets = new Set<string>();
  collectSecrets(before, [], [], options.sensitive, options.beforeSensitive, secrets);
  collectSecrets(after, [], [], options.sensitive, options.afterSensitive, secrets);
  walk(present(before), present(after), [], [], { ...options, secrets }, out);
  return out;
}

/**
 * Every sensitive leaf value of one side. A value that is sensitive in one attribute is masked
 * wherever else it appears in the resource: a provider may copy an input into an unmarked output
 * (OpenTofu's terraform_data does), and the review must not print it there either.
 */
function collectSecrets(
  value: unknown,
  path: PathSegment[],
  raw: (string | number)[],
  sensitive: SensitivePredicate,
  flags: unknown,
  into: Set<string>,
): void {
  if (value === null || value === undefined) return;
  if (sensitive(path) || flaggedAt(flags, raw)) {
    const add = (v: unknown) => {
      if (typeof v === "string" && v.length >= 4) into.add(v);
      else if (Array.isArray(v)) v.forEach(add);
      else if (isRecord(v)) Object.values(v).forEach(add);
    };
    add(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) collectSecrets(v, [...path, i], [...raw, i], sensitive, flags, into);
  } else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) collectSecrets(v, [...path, k], [...raw, k], sensitive, flags, into);
  }
}

interface WalkOptions extends AttributeDiffOptions {
  readonly secrets: ReadonlySet<string>;
}

function isSecret(options: WalkOptions, value: unknown): boolean {
  return typeof value === "string" && options.secrets.has(value);
}

/** null is how plan JSON writes an unset attribute; it reads the same as absent. */
function present(value: unknown): unknown {
  return value === null ? undefined : value;
}

/** The node of a flags tree (before_sensitive, after_unknown) at `path`; `true` when flagged at or above it. */
function flagsAt(flags: unknown, path: RawPath): unknown {
  let node = flags;
  for (const segment of path) {
    if (node === true) return true;
    if (Array.isArray(node) && typeof segment === "number") node = node[segment];
    else if (isRecord(node) && typeof segment === "string") node = node[segment];
    else return undefined;
  }
  return node;
}

/** True when `flags` (a before_sensitive/after_unknown tree) is `true` at `path` or above it. */
export function flaggedAt(flags: unknown, path: RawPath): boolean {
  return flagsAt(flags, path) === true;
}

function walk(
  before: unknown,
  after: unknown,
  path: PathSegment[],
  raw: (string | number)[],
  options: WalkOptions,
  out: AttributeChange[],
): void {
  const inJson = path.some((s) => typeof s === "object");
  const masked =
    options.sensitive(path) ||
    isSecret(options, before) ||
    isSecret(options, after) ||
    (!inJson && (flaggedAt(options.beforeSensitive, raw) || flaggedAt(options.afterSensitive, raw)));
  const unknownAfter = !inJson && options.afterUnknown !== undefined && flaggedAt(options.afterUnknown, raw);
  if (masked) {
    if (!deepEqual(before, after) || unknownAfter) {
      out.push(
        leaf(path, raw, options, {
          ...(before !== undefined ? { before: MASK } : {}),
          ...(after !== undefined ? { after: MASK } : {}),
          sensitive: true,
          ...(unknownAfter ? { unknownAfter } : {}),
        }),
      );
    }
    return;
  }
  if (unknownAfter) {
    out.push(leaf(path, raw, options, { ...(before !== undefined ? { before } : {}), unknownAfter: true }));
    return;
  }
  if (deepEqual(before, after)) return;

  if (isRecord(before) || isRecord(after)) {
    if ((isRecord(before) || before === undefined) && (isRecord(after) || after === undefined)) {
      const b = (before ?? {}) as Record<string, unknown>;
      const a = (after ?? {}) as Record<string, unknown>;
      // Attributes unknown until apply appear only in after_unknown (a created object's uid).
      const unknown = inJson ? undefined : flagsAt(options.afterUnknown, raw);
      const keys = [
        ...new Set([...Object.keys(b), ...Object.keys(a), ...(isRecord(unknown) ? Object.keys(unknown) : [])]),
      ];
      if (keys.length > 0) {
        for (const key of keys) walk(present(b[key]), present(a[key]), [...path, key], [...raw, key], options, out);
        return;
      }
    }
  }
  if (Array.isArray(before) || Array.isArray(after)) {
    const b = Array.isArray(before) ? before : before === undefined ? [] : undefined;
    const a = Array.isArray(after) ? after : after === undefined ? [] : undefined;
    if (b && a) {
      if ([...b, ...a].every(isPrimitive)) {
        out.push(primitiveList(path, raw, options, before, after, b, a));
        return;
      }
      const unknown = inJson ? undefined : flagsAt(options.afterUnknown, raw);
      const length = Math.max(b.length, a.length, Array.isArray(unknown) ? unknown.length : 0);
      for (let i = 0; i < length; i++) {
        walk(present(b[i]), present(a[i]), [...path, i], [...raw, i], options, out);
      }
      return;
    }
  }
  if (typeof before === "string" && typeof after === "string") {
    const bJson = parseJsonDocument(before);
    const aJson = parseJsonDocument(after);
    if (bJson !== undefined && aJson !== undefined) {
      const changes: AttributeChange[] = [];
      walk(bJson, aJson, [...path, { json: true }], raw, options, changes);
      // A re-serialisation with no semantic change (key order, whitespace) is still a change.
      if (changes.length > 0) {
        out.push(...changes);
        return;
      }
    }
  }
  const multiline = (v: unknown) => typeof v === "string" && v.includes("\n");
  if (multiline(before) || multiline(after)) {
    out.push(
      leaf(path, raw, options, {
        ...(before !== undefined ? { before: lineCount(before) } : {}),
        ...(after !== undefined ? { after: lineCount(after) } : {}),
        textDiff: textDiff(before, after),
      }),
    );
    return;
  }
  out.push(
    leaf(path, raw, options, {
      ...(before !== undefined ? { before } : {}),
      ...(after !== undefined ? { after } : {}),
    }),
  );
}

function isPrimitive(value: unknown): boolean {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

function primitiveList(
  path: PathSegment[],
  raw: (string | number)[],
  options: AttributeDiffOptions,
  before: unknown,
  after: unknown,
  b: readonly unknown[],
  a: readonly unknown[],
): AttributeChange {
  if (b.length <= SHORT_LIST && a.length <= SHORT_LIST) {
    return leaf(path, raw, options, {
      ...(before !== undefined ? { before } : {}),
      ...(after !== undefined ? { after } : {}),
    });
  }
  const added = a.filter((v) => !b.some((w) => w === v));
  const removed = b.filter((v) => !a.some((w) => w === v));
  const list = (values: unknown[]) =>
    values.length > 10
      ? `${values.slice(0, 10).map(String).join(", ")}, … (${values.length} in all)`
      : values.join(", ");
  const parts = [
    ...(added.length > 0 ? [`added ${list(added)}`] : []),
    ...(removed.length > 0 ? [`removed ${list(removed)}`] : []),
    ...(added.length === 0 && removed.length === 0 ? ["same items, new order"] : []),
  ];
  return leaf(path, raw, options, {
    ...(before !== undefined ? { before: `[${b.length} items]` } : {}),
    ...(after !== undefined ? { after: `[${a.length} items]` } : {}),
    note: parts.join("; "),
  });
}

function leaf(
  path: PathSegment[],
  raw: RawPath,
  options: AttributeDiffOptions,
  fields: Omit<AttributeChange, "path">,
): AttributeChange {
  const forces = replacement(options, path, raw);
  const note = fields.note ?? changeNote(options.type, schemaPath(path), fields.before, fields.after);
  return {
    path: formatPath(path),
    ...fields,
    ...(forces ? { forcesReplacement: forces } : {}),
    ...(note ? { note } : {}),
  };
}

function replacement(options: AttributeDiffOptions, path: PathSegment[], raw: RawPath): ReplacementReason | undefined {
  if (options.replacePaths === undefined) return replacementReason(options.type, schemaPath(path));
  const matches = options.replacePaths.some((replacePath) => {
    const n = Math.min(replacePath.length, raw.length);
    return replacePath.slice(0, n).every((segment, i) => segment === raw[i]);
  });
  return matches ? { source: "plan", text: "in the plan's replace_paths" } : undefined;
}

/** A string that holds a JSON object or array, parsed; undefined for anything else. */
function parseJsonDocument(text: string): unknown {
  const trimmed = text.trim();
  if (!(trimmed.startsWith("{") || trimmed.startsWith("["))) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

function lineCount(value: unknown): string {
  if (typeof value !== "string") return JSON.stringify(value);
  const lines = value.split("\n").length;
  return `(${lines} lines)`;
}

function textDiff(before: unknown, after: unknown): string[] {
  const text = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value, null, 2));
  if (before === undefined)
    return text(after)
      .split("\n")
      .map((line) => `+ ${line}`);
  if (after === undefined)
    return text(before)
      .split("\n")
      .map((line) => `- ${line}`);
  return lineDiff(text(before), text(after));
}
