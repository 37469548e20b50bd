/**
 * `npm run diff -- --base <git-ref>`: the synthesized-plan diff of the working tree against a
 * ref, with the capacity delta; see src/review/cli/diff.ts for the options.
 */
import { diffMain } from "../src/review/cli/diff.js";

process.exitCode = await diffMain(process.argv.slice(2));
