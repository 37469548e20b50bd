import type { FabricTransport } from "./nics.js";

/**
 * Fabric switch models: logical ports, lanes per port and the lane rates (SerDes) each transport
 * runs on them, how a port may break out into equal slower links, and power. Whether a NIC can link
 * to a switch is decided lane by lane in src/catalog/links.ts. Every figure cites its source;
 * figures no primary source gives are marked as such.
 */

/** A lane rate a switch port runs for one transport. */
export interface SwitchLaneRate {
  readonly transport: FabricTransport;
  readonly laneGbps: number;
  /**
   * `primary`/`secondary` as for NIC modes; `unconfirmed`: reported somewhere but not by NVIDIA, and
   * the planner does not use it (a fabric built on it could fail to link).
   */
  readonly evidence: "primary" | "secondary" | "unconfirmed";
  readonly source: string;
}

export interface SwitchModel {
  readonly id: string;
  readonly displayName: string;
  /** Logical ports at full width (a twin-port OSFP cage is two). */
  readonly ports: number;
  readonly lanesPerPort: number;
  readonly laneRates: readonly SwitchLaneRate[];
  /** How many equal links one port may break out into (1 = no breakout). */
  readonly breakouts: readonly number[];
  /** Most logical ports the switch can run after breakout. */
  readonly maxLogicalPorts: number;
  readonly transports: readonly FabricTransport[];
  /** Lanes one switch-side transceiver carries (a twin-port OSFP: 2 × 4 lanes). */
  readonly lanesPerTransceiver: number;
  /** Power of one switch-side transceiver, W. */
  readonly transceiverW: number;
  readonly transceiverSource: string;
  /** Chassis power without optics, W: a planning figure (see chassisPowerSource). */
  readonly chassisPowerW: number;
  readonly chassisPowerSource: string;
}

const CHASSIS_UNVERIFIED =
  "planning estimate: no NVIDIA datasheet figure was found in the stored sources (research issue 13, §5); replace with the datasheet's";

/**
 * Quantum-X800 Q3400-RA: 144 × 800G XDR ports of 4 × 200G lanes (72 twin-port OSFP cages).
 * Sources: "offer 800 Gb/s connectivity for up to 144 ports … 200 Gb/s-per-lane SerDes"
 * (quantum-computing.news, paraphrasing NVIDIA's Quantum-X800 page; secondary); the model name from
 * UFM Cable Validation Tool 1.6.0 installation notes ("XDR Switches: Q3400_RA",
 * https://docs.nvidia.com/networking/display/cablevalidationtool160/installation+notes).
 * NOT confirmed: NDR (4 × 100G) on a Q3400 port. Only a secondary source calls XDR400 "compatible with
 * NDR" (nexuswise-c.com, 2026-03-26); NVIDIA's XDR manual "Speed and Switching Capabilities" page was
 * not available. No 2 × 400G breakout of a Q3400 port is published either, so a 400G ConnectX-7 (GB200,
 * B200) cannot be planned on it.
 */
const QUANTUM_X800_Q3400: SwitchModel = {
  id: "quantum-x800-q3400",
  displayName: "NVIDIA Quantum-X800 Q3400",
  ports: 144,
  lanesPerPort: 4,
  laneRates: [
    {
      transport: "infiniband",
      laneGbps: 200,
      evidence: "secondary",
      source: "quantum-computing.news, What is NVIDIA Quantum X800: 144 × 800G, 200 Gb/s-per-lane SerDes",
    },
    {
      transport: "infiniband",
      laneGbps: 100,
      evidence: "unconfirmed",
      source: "nexuswise-c.com (2026-03-26): XDR400 sub-rate 'compatible with NDR'; no NVIDIA page found",
    },
  ],
  breakouts: [1],
  maxLogicalPorts: 144,
  transports: ["infiniband"],
  lanesPerTransceiver: 8,
  // "a traditional 72-port switch requires 72 transceivers, each consuming 25 watts" (Lambda via
  // wedoany.com, https://en.wedoany.com/shortnews/193917.html; secondary).
  transceiverW: 25,
  transceiverSource: "Lambda via wedoany.com (secondary): 25 W per Quantum-X800 pluggable transceiver",
  // Kedios B300 planning report: 8 leaf + 4 spine Q3400-RA + 2 PDUs ≈ 8.8 kW, ≈ 730 W a switch (secondary,
  // https://neocloud.kedios.io/planning-summary-reports/B300-Farm-and-Network-Tower-Architecture.html).
  chassisPowerW: 730,
  chassisPowerSource: "Kedios B300 planning report (secondary; optics included or not is unclear)",
};

/**
 * Spectrum-4 SN5600: 64 × 800GbE OSFP ports of 8 × 100G-PAM4 lanes (512 SerDes), breaking out to
 * 128 × 400G or 256 × 200G-and-below. Sources: Linley Group, "Nvidia Reveals 51Tbps Ethernet Switch"
 * (2022-04-12, https://www.linleygroup.com/newsletters/newsletter_detail.php?num=6442); the 100G-PAM4
 * twin-port OSFP shared with Quantum-2 (https://docs.nvidia.com/networking/display/800GMMA4Z00NS/Overview).
 */
const SPECTRUM4_SN5600: SwitchModel = {
  id: "spectrum4-sn5600",
  displayName: "NVIDIA Spectrum-4 SN5600",
  ports: 64,
  lanesPerPort: 8,
  laneRates: [
    {
      transport: "roce",
      laneGbps: 100,
      evidence: "primary",
      source: "MMA4Z00-NS overview: 400GbE Spectrum-4 on 100G-PAM4 lanes; Linley: 512 × 100G SerDes",
    },
  ],
  breakouts: [1, 2, 4],
  maxLogicalPorts: 256,
  transports: ["roce"],
  lanesPerTransceiver: 8,
  // MMS4X00-NS twin-port 2×400G: "remain at 17 Watts for all configurations"
  // (https://docs.nvidia.com/networking/display/800gmms4x00nst/overview).
  transceiverW: 17,
  transceiverSource: "https://docs.nvidia.com/networking/display/800gmms4x00nst/overview",
  chassisPowerW: 1_000,
  chassisPowerSource: CHASSIS_UNVERIFIED,
};

/**
 * Quantum-2 QM9700: 32 twin-port OSFP cages = 64 × NDR 400G ports of 4 × 100G lanes, each splittable to
 * 2 × NDR200 (128 ports). "Each OSFP port consists of 2 logical InfiniBand ports … 40/56/100/200/400 Gb/s";
 * "Class 8 (17W) OSFP112 transceivers" — QM97XX user manual, interfaces
 * (https://docs.nvidia.com/networking/display/QM97X0PUB/Interfaces). The compute switch of the DGX
 * SuperPOD B200 and GB200 reference architectures.
 */
const QUANTUM2_QM9700: SwitchModel = {
  id: "quantum2-qm9700",
  displayName: "NVIDIA Quantum-2 QM9700",
  ports: 64,
  lanesPerPort: 4,
  laneRates: [
    {
      transport: "infiniband",
      laneGbps: 100,
      evidence: "primary",
      source: "QM97XX user manual, interfaces; MMS4X00-NS: NDR on 100G-PAM4 lanes",
    },
  ],
  breakouts: [1, 2],
  maxLogicalPorts: 128,
  transports: ["infiniband"],
  lanesPerTransceiver: 8,
  transceiverW: 17,
  transceiverSource: "https://docs.nvidia.com/networking/display/800gmms4x00nst/overview",
  chassisPowerW: 750,
  chassisPowerSource: CHASSIS_UNVERIFIED,
};

export const SWITCH_MODELS: ReadonlyMap<string, SwitchModel> = new Map(
  [QUANTUM_X800_Q3400, SPECTRUM4_SN5600, QUANTUM2_QM9700].map((model) => [model.id, model]),
);

export function switchModelIds(): string[] {
  return [...SWITCH_MODELS.keys()];
}

/** Port speed at full width for a lane rate, Gb/s. */
export function portGbps(model: SwitchModel, laneGbps: number): number {
  return model.lanesPerPort * laneGbps;
}
