import { describe, expect, it } from "vitest";
import { deltaPhrase, formatDelta, formatPower } from "../../../src/review/render/format.js";

describe("format", () => {
  it("GIVEN a delta WHEN formatted THEN it is signed with a true minus so Markdown never reads it as a list item", () => {
    expect(formatDelta(49_536)).toBe("+49,536");
    expect(formatDelta(-88)).toBe("−88");
    expect(formatDelta(0.04, 1)).toBe("±0");
  });

  it("GIVEN power below a megawatt WHEN formatted THEN it is written in kilowatts", () => {
    expect(formatPower(90.816)).toBe("90.8 MW");
    expect(formatPower(0.002)).toBe("2.0 kW");
    expect(formatPower(0.5)).toBe("500 kW");
  });

  it("GIVEN a metric's change WHEN phrased for a headline THEN it reads as the signed change, unit and short label", () => {
    expect(
      deltaPhrase({ key: "itPowerMW", label: "IT power", unit: "MW", before: 726.528, after: 817.344, digits: 1 }),
    ).toBe("+90.8 MW IT");
  });
});
