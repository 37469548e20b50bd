/**
 * A line diff for multi-line string attributes (a device plugin config, a kind config, a YAML
 * document in a ConfigMap): `- old`, `+ new`, `  context` lines, with long unchanged runs folded.
 */

const CONTEXT = 2;
/** Beyond this many cells the LCS table is not worth it: show the whole old and new text. */
const MAX_CELLS = 4_000_000;

export function lineDiff(before: string, after: string, context = CONTEXT): string[] {
  const a = before.split("\n");
  const b = after.split("\n");
  const ops = a.length * b.length > MAX_CELLS ? wholeReplace(a, b) : lcsOps(a, b);
  return fold(ops, context);
}

type Op = readonly [" " | "-" | "+", string];

function wholeReplace(a: readonly string[], b: readonly string[]): Op[] {
  return [...a.map((l): Op => ["-", l]), ...b.map((l): Op => ["+", l])];
}

function lcsOps(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lengths[i][j] = LCS length of a[i..] and b[j..], in one flat array.
  const lengths = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => lengths[i * (m + 1) + j] ?? 0;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * (m + 1) + j] = a[i] === b[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push([" ", a[i] ?? ""]);
      i++;
      j++;
    } else if (i < n && (j >= m || at(i + 1, j) >= at(i, j + 1))) {
      // On a tie the removal goes first, as `diff -u` prints it.
      ops.push(["-", a[i] ?? ""]);
      i++;
    } else {
      ops.push(["+", b[j] ?? ""]);
      j++;
    }
  }
  return ops;
}

function fold(ops: readonly Op[], context: number): string[] {
  const keep = ops.map(() => false);
  ops.forEach(([kind], index) => {
    if (kind === " ") return;
    for (let k = Math.max(0, index - context); k <= Math.min(ops.length - 1, index + context); k++) keep[k] = true;
  });
  const out: string[] = [];
  let skipped = 0;
  ops.forEach(([kind, line], index) => {
    if (!keep[index]) {
      skipped++;
      return;
    }
    if (skipped > 0) out.push(`@@ ${skipped} unchanged line${skipped === 1 ? "" : "s"} @@`);
    skipped = 0;
    out.push(`${kind} ${line}`);
  });
  if (skipped > 0) out.push(`@@ ${skipped} unchanged line${skipped === 1 ? "" : "s"} @@`);
  return out;
}
