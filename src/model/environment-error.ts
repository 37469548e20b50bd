/**
 * One problem found in an environment file, with where it is. Every check (YAML syntax, schema,
 * semantics) reports these, so the CLI can print all of them at once in one format.
 */
export type FieldPath = readonly (string | number)[];

export interface EnvironmentError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path: FieldPath;
  readonly message: string;
}

/** `buildings[2].pools[0].racks`: how a reviewer would write the field. */
export function formatFieldPath(path: FieldPath): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? segment : `.${segment}`;
  }
  return out === "" ? "(document)" : out;
}

/**
 * Text from an environment file made safe for a terminal: control characters (ANSI escapes, a
 * newline that would forge another error line, C1 controls) are shown as escapes, not sent raw.
 */
export function forTerminal(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\t") return "\\t";
    if (c === "\r") return "\\r";
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

/** One error as `file:line:col: field: message`, on one line whatever the file holds. */
export function formatEnvironmentError(error: EnvironmentError): string {
  return forTerminal(`${error.file}:${error.line}:${error.column}: ${formatFieldPath(error.path)}: ${error.message}`);
}

/** Thrown when one or more environment files are invalid; carries every error found. */
export class InvalidEnvironmentError extends Error {
  constructor(readonly errors: readonly EnvironmentError[]) {
    super(
      `${errors.length} error${errors.length === 1 ? "" : "s"} in environment files:\n` +
        errors.map((e) => `  ${formatEnvironmentError(e)}`).join("\n"),
    );
    this.name = "InvalidEnvironmentError";
  }
}

/** How a check reports one problem: the field it is about, and what is wrong (value, limit, by how much). */
export type Report = (path: FieldPath, message: string) => void;

/** A figure in an error message: grouped thousands, at most `digits` decimals. */
export function formatFigure(value: number, digits = 1): string {
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}
