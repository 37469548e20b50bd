/**
 * `npm run plan-report -- <plan.json>...`: renders `tofu show -json` / `terraform show -json`
 * output in the shape of `npm run diff`; see src/review/cli/plan-report.ts for the options.
 */
import { planReportMain } from "../src/review/cli/plan-report.js";

process.exitCode = planReportMain(process.argv.slice(2));
