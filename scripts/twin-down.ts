/**
 * Stops every twin `npm run twin -- --keep` left running, by the pids each recorded.
 *   npm run twin:down
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { stopTwin } from "../src/engine/scheduling-twin.js";
import { twinRoot } from "./twin-dirs.js";

const root = twinRoot(join(import.meta.dirname, ".."));
const dirs = existsSync(root) ? readdirSync(root).map((d) => join(root, d)) : [];
let stopped = 0;
for (const dir of dirs) {
  for (const name of await stopTwin(dir)) {
    process.stdout.write(`stopped ${name} of ${dir}\n`);
    stopped++;
  }
}
if (stopped === 0) process.stdout.write("no twin is running\n");
