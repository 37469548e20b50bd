import { z } from "zod";
import { EnvironmentSchema } from "./schema.js";

/** JSON Schema (draft 2020-12) of an environment file as people write it (defaults optional). */
export function environmentJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(EnvironmentSchema, { io: "input", unrepresentable: "any" }),
    $id: "https://gpu-campus.dev/schema/environment.schema.json",
    title: "gpu-campus environment",
  };
}
