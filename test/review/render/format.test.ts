import { describe, expect, it } from "vitest";
import { deltaPhrase, formatDelta, formatPower } from "../../../src/review/render/format.js";

describe("format", () => {
  it("signs deltas with a true minus so Markdown never reads them as list items", () => {
    expect(formatDelta(49_536)).toBe("+49,536");
    expect(formatDelta(-88)).toBe("−88");
    expect(formatDelta(0.04, 1)).toBe("±0");
  });

  it("writes power below a megawatt in kilowatts", () => {
    expect(formatPower(90.816)).toBe("90.8 MW");
    expect(formatPower(0.002)).toBe("2.0 kW");
    expect(formatPower(0.5)).toBe("500 kW");
  });

  it("phrases a metric's change for a headline", () => {
    expect(
      deltaPhrase({ key: "itPowerMW", label: "IT power", unit: "MW", before: 726.528, after: 817.344, digits: 1 }),
    ).toBe("+90.8 MW IT");
  });
});
