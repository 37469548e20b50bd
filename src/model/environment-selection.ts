import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { z } from "zod";

/**
 * Which environment files a synth reads. The default is every file in environments/; the
 * cdktf CLI cannot pass flags to the app, so the same choices can come from variables.
 *   --env <name>[,<name>]      or GPU_CAMPUS_ENVIRONMENTS=<name>,<name>   narrow to these
 *   --env-file <path>          or GPU_CAMPUS_ENV_FILES=<path>,<path>      add custom files
 */
const SelectionVariables = z.object({
  GPU_CAMPUS_ENVIRONMENTS: z.string().optional(),
  GPU_CAMPUS_ENV_FILES: z.string().optional(),
});

export interface EnvironmentSelection {
  readonly names: readonly string[] | undefined;
  readonly extraFiles: readonly string[];
}

const list = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

export function parseSelection(argv: readonly string[], env: NodeJS.ProcessEnv): EnvironmentSelection {
  const variables = SelectionVariables.parse(env);
  const names = list(variables.GPU_CAMPUS_ENVIRONMENTS);
  const extraFiles = list(variables.GPU_CAMPUS_ENV_FILES);
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if ((flag === "--env" || flag === "--env-file") && value === undefined) {
      throw new Error(`${flag} needs a value`);
    }
    if (flag === "--env") names.push(...list(value));
    else if (flag === "--env-file") extraFiles.push(...list(value));
    else if (flag?.startsWith("--")) throw new Error(`unknown option ${flag} (use --env or --env-file)`);
    else continue;
    i++;
  }
  return { names: names.length > 0 ? names : undefined, extraFiles };
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
