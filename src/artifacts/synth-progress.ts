import { performance } from "node:perf_hooks";

/**
 * What a synth says while it works: one line per step, with the step's time. A campus synth takes
 * seconds; without this it is silent until the summary.
 */
export interface SynthProgress {
  /** Runs one step and reports it when it is done, with how long it took. */
  step<T>(what: string, run: () => T): T;
}

/** Where progress goes, and whether anyone is watching. */
export interface SynthProgressProps {
  /** The stream progress lines are written to. */
  readonly stream: NodeJS.WriteStream;
  /** `--quiet`: no progress even on a terminal. @default false - progress when `stream` is a TTY */
  readonly quiet?: boolean;
}

/** Reports nothing: for pipes, CI logs, tests and `--quiet`. */
export const SILENT_PROGRESS: SynthProgress = { step: (_what, run) => run() };

/**
 * Progress on a terminal only: when stderr is piped or redirected (CI, `2>file`, cdktf capturing
 * the app's output) the lines would be noise in a log, so nothing is written.
 */
export function synthProgress({ stream, quiet = false }: SynthProgressProps): SynthProgress {
  if (quiet || !stream.isTTY) return SILENT_PROGRESS;
  return {
    step(what, run) {
      const started = performance.now();
      const result = run();
      stream.write(`gpu-campus: ${what} (${formatSeconds(performance.now() - started)})\n`);
      return result;
    },
  };
}

export function formatSeconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)} s`;
}
