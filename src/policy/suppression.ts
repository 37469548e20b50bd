export { reasonProblem } from "../vocabulary/suppression-reason.js";

/**
 * Suppressions: a rule switched off for one resource (or a subtree of constructs), always with a
 * written reason. They come from an environment file (`policy.suppressions`), from the construct
 * API (PolicyPack.suppress) or, for rules that allow it, from a justification annotation on the
 * Kubernetes object. Every one in force is listed at the end of the synth.
 */

/** A suppression as an environment file declares it. */
export interface DeclaredSuppression {
  readonly rule: string;
  /** Construct path or glob: `*` within one path segment, `**` across segments. */
  readonly resource: string;
  readonly reason: string;
  /** Where it was declared, e.g. `environments/staging.yaml:61`. */
  readonly origin: string;
}

/** A suppression that matched a finding: what was suppressed, where, and why. */
export interface AppliedSuppression {
  readonly rule: string;
  /** The construct path of the resource (or stack) whose finding was suppressed. */
  readonly path: string;
  readonly reason: string;
  /** `environments/x.yaml:12`, `construct <path>` or `annotation <key>`. */
  readonly origin: string;
  /** The pattern or annotation key that matched. */
  readonly matcher: string;
}

const cache = new Map<string, RegExp>();

function globToRegExp(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let source = "";
  const segments = pattern.split("/");
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === "**") {
      // Zero or more whole segments.
      source += last ? "(?:[^/]+(?:/[^/]+)*)?" : "(?:[^/]+/)*";
      return;
    }
    source += segment
      .split("")
      .map((c) => (c === "*" ? "[^/]*" : c === "?" ? "[^/]" : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
      .join("");
    if (!last) source += "/";
  });
  const regexp = new RegExp(`^${source}$`);
  cache.set(pattern, regexp);
  return regexp;
}

/** True when the pattern names the path or one of its ancestors (a suppression covers a subtree). */
export function patternMatches(pattern: string, path: string): boolean {
  const regexp = globToRegExp(pattern);
  const segments = path.split("/");
  for (let end = segments.length; end >= 1; end--) {
    if (regexp.test(segments.slice(0, end).join("/"))) return true;
  }
  return false;
}

/** True when the pattern's first segment can match one of the stack names (`<environment>-<cluster>`). */
export function patternCanMatchStack(pattern: string, stackNames: readonly string[]): boolean {
  const first = pattern.split("/")[0] ?? "";
  if (first === "**") return true;
  const regexp = globToRegExp(first);
  return stackNames.some((name) => regexp.test(name));
}
