import type { ReviewReport } from "../model.js";
import { GITHUB_COMMENT_LIMIT, joinSections, markdownSections } from "./render-markdown.js";

/**
 * A PR comment must stay under GitHub's 65,536-character limit. When the full report is longer,
 * the comment keeps everything above the stack sections (destroys, summary, capacity, the stack
 * table), as many stack sections as fit, and a note that says where the full report is.
 */

export interface FittedComment {
  readonly markdown: string;
  readonly shortened: boolean;
  /** Length of the full report in characters. */
  readonly fullLength: number;
}

/**
 * @param fullReportLocation where the full report can be read (a file path or an artifact URL),
 *   named in the note of a shortened comment.
 */
export function fitComment(
  report: ReviewReport,
  fullReportLocation: string,
  limit: number = GITHUB_COMMENT_LIMIT,
): FittedComment {
  const full = markdownSections(report);
  const fullText = joinSections(full.head, full.details, full.foot);
  if (fullText.length <= limit) return { markdown: fullText, shortened: false, fullLength: fullText.length };

  // Shortened: created resources as one line each, and the stacks that destroy or replace first.
  const { head, details, priorities, foot } = markdownSections(report, { compact: true });
  const order = details.map((_, i) => i).sort((a, b) => (priorities[a] ?? 9) - (priorities[b] ?? 9) || a - b);
  const note = (shown: number) =>
    [
      "> [!WARNING]",
      `> This report is ${fullText.length.toLocaleString("en-US")} characters, more than GitHub's ${limit.toLocaleString("en-US")}-character comment limit: ${shown} of ${details.length} stack sections are shown (destroys and replacements first), created resources without their attributes.`,
      `> The full report: ${fullReportLocation}`,
    ].join("\n");
  // joinSections puts "\n\n" between parts and "\n" at the end; the note's length is bounded by
  // the one that names every section.
  let used = head.length + 2 + note(details.length).length + 2 + foot.length + 1;
  const kept: number[] = [];
  for (const index of order) {
    const size = (details[index] ?? "").length + 2;
    if (used + size > limit) continue;
    used += size;
    kept.push(index);
  }
  const sections = kept.sort((a, b) => a - b).map((i) => details[i] ?? "");
  let markdown = joinSections(`${head}\n\n${note(kept.length)}`, sections, foot);
  if (markdown.length > limit) {
    // Even the head is too long (thousands of stacks): keep its start, cut at a line.
    const budget = limit - foot.length - note(0).length - 200;
    const cut = head.slice(0, Math.max(0, head.lastIndexOf("\n", budget)));
    markdown = joinSections(`${cut}\n\n_… cut to fit the comment limit_\n\n${note(0)}`, [], foot);
  }
  return { markdown, shortened: true, fullLength: fullText.length };
}
