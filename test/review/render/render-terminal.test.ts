import { describe, expect, it } from "vitest";
import { renderTerminal } from "../../../src/review/render/render-terminal.js";
import { report, resource, stack } from "../report-fixtures.js";

const ESC = "\u001b[";

describe("renderTerminal", () => {
  const r = report([stack("production-b1-c1", [resource()])]);

  it("GIVEN a changed stack WHEN rendered for a TTY THEN the changes are coloured", () => {
    const text = renderTerminal(r, { color: true });
    expect(text).toContain(`${ESC}33m~ kubernetes_config_map_v1.inventory${ESC}39m`);
  });

  it("GIVEN a changed stack WHEN rendered without colour THEN it prints plain text, with old → new per attribute", () => {
    const text = renderTerminal(r, { color: false });
    expect(text).not.toContain(ESC);
    expect(text).toContain('data["capacity.json"] › gpus: 16704 → 18000');
  });
});
