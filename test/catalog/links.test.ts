import { describe, expect, it } from "vitest";
import { fabricLink } from "../../src/catalog/links.js";
import { NIC } from "../../src/catalog/nics.js";
import { SWITCH_MODELS } from "../../src/catalog/switches.js";

const switchOf = (id: string) => {
  const model = SWITCH_MODELS.get(id);
  if (!model) throw new Error(`no switch ${id}`);
  return model;
};

describe("NIC/switch link compatibility by lane rate and width (research issue 13, §4)", () => {
  it("GIVEN ConnectX-7 on QM9700 THEN NDR 400G on 4 × 100G lanes, 64 ports, two links per twin-port transceiver", () => {
    const result = fabricLink(NIC.CONNECTX7, switchOf("quantum2-qm9700"), "infiniband");
    expect(result.ok && result.link).toMatchObject({
      linkGbps: 400,
      breakout: 1,
      radix: 64,
      linksPerSwitchTransceiver: 2,
    });
  });

  it("GIVEN ConnectX-7 on a Quantum-X800 Q3400 THEN refused: 100G lanes on Q3400 are unconfirmed and no 2 × 400G breakout is published", () => {
    const result = fabricLink(NIC.CONNECTX7, switchOf("quantum-x800-q3400"), "infiniband");
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toContain("ConnectX-7 400G runs 4 × 100G infiniband, 2 × 100G infiniband");
      expect(result.reason).toContain("200G per lane, no breakout");
      expect(result.reason).toContain("100G lanes on NVIDIA Quantum-X800 Q3400 appear only in nexuswise-c.com");
    }
  });

  it("GIVEN ConnectX-8 on a Q3400 THEN XDR 800G on 4 × 200G lanes, 144 ports", () => {
    const result = fabricLink(NIC.CONNECTX8, switchOf("quantum-x800-q3400"), "infiniband");
    expect(result.ok && result.link).toMatchObject({ linkGbps: 800, radix: 144, linksPerNicPort: 1 });
  });

  it("GIVEN ConnectX-8 on QM9700 THEN refused: XDR needs 200G lanes, and NDR on ConnectX-8 is not stated for the device", () => {
    expect(fabricLink(NIC.CONNECTX8, switchOf("quantum2-qm9700"), "infiniband").ok).toBe(false);
  });

  it("GIVEN ConnectX-8 on SN5600 over RoCE THEN 2 × 400GbE per NIC port, SN5600 broken out 1:2 to 128 × 400G", () => {
    const result = fabricLink(NIC.CONNECTX8, switchOf("spectrum4-sn5600"), "roce", 2);
    expect(result.ok && result.link).toMatchObject({ linkGbps: 400, breakout: 2, radix: 128, linksPerNicPort: 2 });
  });

  it("GIVEN a single-port ConnectX-7 asked to fan out into 2 planes THEN refused, saying so", () => {
    const result = fabricLink(NIC.CONNECTX7, switchOf("spectrum4-sn5600"), "roce", 2);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain("with 2 links per NIC port");
  });
});
