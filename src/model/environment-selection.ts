import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";

/**
 * Which environment files a synth reads. The default is every file in environments/; the
 * cdktf CLI cannot pass flags to the app, so the same choices can come from variables.
 *   --env <name>[,<name>]              or GPU_CAMPUS_ENVIRONMENTS=<name>,<name>   narrow to these
 *   --environment-file <path>          or GPU_CAMPUS_ENV_FILES=<path>,<path>      add custom files
 * The file flag is not `--env-file`: Node 20 claims that name for itself (it loads a dotenv file)
 * and tsx hands it to Node, which fails with its own message before the app starts.
 */
export const SYNTH_USAGE = `usage: npm run synth -- [--env <name>[,<name>]] [--environment-file <path>] [--help]

Loads, checks and plans environments/*.yaml and synthesizes one Terraform stack per cluster into
cdktf.out (or $CDKTF_OUTDIR). Nothing is written unless every environment is clean.

  --env <name>                 synthesize only these environments (repeatable, or comma-separated);
                               also GPU_CAMPUS_ENVIRONMENTS=<name>,<name>
  --environment-file <path>    also synthesize this file (repeatable); also GPU_CAMPUS_ENV_FILES=<path>,<path>.
                               Alone, only the given files are synthesized.
  -h, --help                   print this and exit

exit status: 0 synthesized; 1 an environment is invalid or the output could not be written; 2 bad usage.`;

/** A command line that cannot be run: printed with the usage, exit status 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

const SelectionVariables = z.object({
  GPU_CAMPUS_ENVIRONMENTS: z.string().optional(),
  GPU_CAMPUS_ENV_FILES: z.string().optional(),
});

export interface EnvironmentSelection {
  /** The environments to synthesize by name. @default - every file in environments/ (unless extra files are given) */
  readonly names: readonly string[] | undefined;
  readonly extraFiles: readonly string[];
  /** `--help` was asked for: print SYNTH_USAGE and do nothing else. */
  readonly help: boolean;
}

/** A comma-separated list where every item must say something: `a,,b` and `,` are mistakes. */
function list(value: string, source: string): string[] {
  const items = value.split(",").map((s) => s.trim());
  if (items.some((s) => s === "")) throw new UsageError(`${source} has an empty name in "${value}"`);
  return items;
}

/** An unset or empty variable selects nothing (the shell habit `VAR= command`). */
function variableList(value: string | undefined, name: string): string[] {
  return value === undefined || value.trim() === "" ? [] : list(value, name);
}

export function parseSelection(argv: readonly string[], env: NodeJS.ProcessEnv): EnvironmentSelection {
  const variables = SelectionVariables.parse(env);
  const names = variableList(variables.GPU_CAMPUS_ENVIRONMENTS, "GPU_CAMPUS_ENVIRONMENTS");
  const extraFiles = variableList(variables.GPU_CAMPUS_ENV_FILES, "GPU_CAMPUS_ENV_FILES");
  if (argv.some((a) => a === "--env-file" || a.startsWith("--env-file="))) {
    throw new UsageError("--env-file is now --environment-file (Node 20 claims --env-file for its own dotenv files)");
  }
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument "${positionals[0]}" (to choose an environment: --env ${positionals[0]})`);
  }
  for (const value of values.env ?? []) names.push(...list(value, "--env"));
  for (const value of values["environment-file"] ?? []) {
    if (value.trim() === "") throw new UsageError("--environment-file needs a path; got an empty one");
    extraFiles.push(value);
  }
  return { names: names.length > 0 ? names : undefined, extraFiles, help: values.help ?? false };
}

function parseFlags(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      env: { type: "string", multiple: true },
      "environment-file": { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
  });
}

/** The files to load: environments/<name>.yaml for each selected name (all when none), plus extras. */
export function selectEnvironmentFiles(directory: string, selection: EnvironmentSelection): string[] {
  const available = readdirSync(directory)
    .filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"))
    .sort();
  const byName = new Map(available.map((f) => [basename(f).replace(/\.ya?ml$/, ""), join(directory, f)]));
  const files: string[] = [];
  if (selection.names === undefined) {
    if (selection.extraFiles.length === 0) files.push(...byName.values());
  } else {
    for (const name of selection.names) {
      const file = byName.get(name);
      if (!file) throw new Error(`no environment "${name}" in ${directory}/ (have: ${[...byName.keys()].join(", ")})`);
      files.push(file);
    }
  }
  return [...files, ...selection.extraFiles];
}

/** The synth covers every environment: nothing was narrowed by name or by file. */
export function isCompleteSelection(selection: EnvironmentSelection): boolean {
  return selection.names === undefined && selection.extraFiles.length === 0;
}
