/**
 * `npm run report`: the capacity report and campus picture of every environment, written into
 * cdktf.out/environments/<env>/; see src/review/cli/report.ts for the options.
 */
import { reportMain } from "../src/review/cli/report.js";

process.exitCode = await reportMain(process.argv.slice(2));
