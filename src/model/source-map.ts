import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import type { FieldPath } from "./environment-error.js";

/**
 * Finds the line and column of a field path in a parsed YAML document. A path that does not
 * exist (a missing required key) resolves to the deepest node that does, so the error still
 * points at the right block.
 */
export class SourceMap {
  constructor(
    private readonly document: Document,
    private readonly lineCounter: LineCounter,
  ) {}

  locate(path: FieldPath, options: { key?: string } = {}): { line: number; column: number } {
    let node: unknown = this.document.contents;
    let offset = rangeStart(node) ?? 0;
    for (const segment of path) {
      const child = childOf(node, segment);
      if (child === undefined) break;
      // A block (a list or a mapping) is pointed at by its key, `tenants:`, not by its first item.
      const key = isMap(node) && (isMap(child) || isSeq(child)) ? keyOf(node, segment) : undefined;
      node = child;
      offset = (key ? rangeStart(key) : rangeStart(child)) ?? offset;
    }
    if (options.key !== undefined && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === options.key);
      if (pair && isScalar(pair.key)) offset = rangeStart(pair.key) ?? offset;
    }
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }

  /** Position of the key of a mapping entry (better than its value for "unknown key" errors). */
  locateKey(parentPath: FieldPath, key: string): { line: number; column: number } {
    return this.locate(parentPath, { key });
  }
}

function keyOf(map: unknown, segment: string | number): Node | undefined {
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === segment);
  return pair && isScalar(pair.key) ? pair.key : undefined;
}

function childOf(node: unknown, segment: string | number): Node | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === segment);
    return (pair?.value as Node | null | undefined) ?? undefined;
  }
  if (isSeq(node) && typeof segment === "number") {
    return (node.items[segment] as Node | undefined) ?? undefined;
  }
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}
