import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bytesQuantity,
  cpuQuantity,
  mebibytesQuantity,
  tebibytesCeilQuantity,
  tebibytesFloorQuantity,
  wholeQuantity,
} from "../../src/vocabulary/quantity.js";

/** Parses a binary-SI or plain quantity back to bytes. */
function toBytes(quantity: string): bigint {
  const match = /^(\d+)(Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(quantity);
  if (!match) throw new Error(`not a binary quantity: ${quantity}`);
  const exponent = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"].indexOf(match[2] ?? "");
  return BigInt(match[1] ?? "0") * 1024n ** BigInt(exponent);
}

describe("canonical quantities", () => {
  it("GIVEN whole and fractional CPUs WHEN written THEN whole cores drop the m suffix as the API server does", () => {
    expect([cpuQuantity(1000), cpuQuantity(2000), cpuQuantity(500), cpuQuantity(50)]).toEqual([
      "1",
      "2",
      "500m",
      "50m",
    ]);
  });

  it("GIVEN memory and storage WHEN written THEN the largest exact binary suffix is used", () => {
    expect(mebibytesQuantity(4096)).toBe("4Gi");
    expect(mebibytesQuantity(1536)).toBe("1536Mi");
    expect(bytesQuantity(1536n)).toBe("1536");
    expect(tebibytesCeilQuantity(2048)).toBe("2Pi");
    expect(tebibytesCeilQuantity(0.3)).toBe("308Gi");
    expect(tebibytesFloorQuantity(0.01)).toBe("10485Mi");
  });

  it("GIVEN any byte count WHEN written THEN it round-trips and no larger suffix would be exact", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 70n }), (bytes) => {
        const quantity = bytesQuantity(bytes);
        expect(toBytes(quantity)).toBe(bytes);
        const number = BigInt(/^\d+/.exec(quantity)?.[0] ?? "0");
        if (quantity.endsWith("Ei") || bytes < 1024n) return;
        expect(number % 1024n === 0n).toBe(false);
      }),
    );
  });

  it("GIVEN volumes that add up to a quota WHEN rounded THEN they always fit in it", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.001, max: 5000, noNaN: true }), { minLength: 1, maxLength: 4 }),
        (sizes) => {
          const volumes = sizes.reduce((sum, tib) => sum + toBytes(tebibytesFloorQuantity(tib)), 0n);
          const quota = toBytes(tebibytesCeilQuantity(sizes.reduce((a, b) => a + b, 0)));
          expect(volumes <= quota).toBe(true);
        },
      ),
    );
  });

  it("GIVEN a negative or fractional input WHEN written THEN it fails naming the value", () => {
    expect(() => cpuQuantity(0.5)).toThrow(/cpu 0.5 millicores/);
    expect(() => tebibytesCeilQuantity(-1)).toThrow(/storage -1 TiB/);
  });

  it("GIVEN whole counts WHEN written THEN they take the decimal suffix a Go resource.Quantity writes back (kube-apiserver 1.34 turns 1000 into 1k, 2000 into 2k)", () => {
    expect([0, 576, 1000, 2000, 20_736, 16_000_000].map(wholeQuantity)).toEqual([
      "0",
      "576",
      "1k",
      "2k",
      "20736",
      "16M",
    ]);
    expect(() => wholeQuantity(-1)).toThrow(RangeError);
  });
});
