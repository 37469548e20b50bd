/**
 * How long a suppression's or justification's reason must be: enough for a sentence, not a shrug.
 * The environment schema, PolicyPack.suppress and justification annotations all use this one rule.
 */
export const MIN_REASON_LENGTH = 10;

/** Why a reason is not acceptable, or undefined when it is. */
export function reasonProblem(reason: string | undefined): string | undefined {
  const trimmed = (reason ?? "").trim();
  if (trimmed.length >= MIN_REASON_LENGTH) return undefined;
  return trimmed === ""
    ? `needs a reason of at least ${MIN_REASON_LENGTH} characters saying why`
    : `needs a reason of at least ${MIN_REASON_LENGTH} characters saying why; "${trimmed}" has ${trimmed.length}`;
}
