/**
 * Fabric switch models. A port can break out into several slower ports (an 800G OSFP into
 * 2 × 400G), which is how a 400G NIC fabric gets the radix of the slower speed.
 */
export interface SwitchModel {
  readonly id: string;
  readonly displayName: string;
  readonly ports: number;
  readonly portGbps: number;
  /** Smallest speed one port can be split to (equal lanes); equal to portGbps when it cannot. */
  readonly minBreakoutGbps: number;
  readonly transports: readonly ("infiniband" | "roce")[];
}

/** Quantum-X800 Q3400: 144 × 800G XDR InfiniBand ports. Source: NVIDIA Quantum-X800 switch manual. */
const QUANTUM_X800_Q3400: SwitchModel = {
  id: "quantum-x800-q3400",
  displayName: "NVIDIA Quantum-X800 Q3400",
  ports: 144,
  portGbps: 800,
  minBreakoutGbps: 400,
  transports: ["infiniband"],
};

/** Spectrum-4 SN5600: 64 × 800G Ethernet, or 128 × 400G with breakout. Source: NVIDIA SN5600 manual. */
const SPECTRUM4_SN5600: SwitchModel = {
  id: "spectrum4-sn5600",
  displayName: "NVIDIA Spectrum-4 SN5600",
  ports: 64,
  portGbps: 800,
  minBreakoutGbps: 400,
  transports: ["roce"],
};

/** Quantum-2 QM9700: 64 × 400G NDR InfiniBand. Source: NVIDIA QM9700 switch manual. */
const QUANTUM2_QM9700: SwitchModel = {
  id: "quantum2-qm9700",
  displayName: "NVIDIA Quantum-2 QM9700",
  ports: 64,
  portGbps: 400,
  minBreakoutGbps: 400,
  transports: ["infiniband"],
};

export const SWITCH_MODELS: ReadonlyMap<string, SwitchModel> = new Map(
  [QUANTUM_X800_Q3400, SPECTRUM4_SN5600, QUANTUM2_QM9700].map((model) => [model.id, model]),
);

export function switchModelIds(): string[] {
  return [...SWITCH_MODELS.keys()];
}

/**
 * Ports a switch offers at a link speed: 0 when the switch is slower than the NIC, more than
 * `ports` when a port breaks out into several links of that speed.
 */
export function radixAtSpeed(model: SwitchModel, linkGbps: number): number {
  if (linkGbps > model.portGbps) return 0;
  const speed = Math.max(linkGbps, model.minBreakoutGbps);
  return model.ports * Math.floor(model.portGbps / speed);
}
