import type { FabricTransport, LinkMode, NicModel } from "./nics.js";
import type { SwitchModel } from "./switches.js";

/**
 * Can this NIC link to this switch, and at what speed and radix? A link needs a lane rate both ends
 * run and a width the switch port can give: a port of `lanesPerPort` lanes breaks out only into equal
 * links ("1:2 splits (2x 400G) (4-channels x 100G-PAM4)", MCP7Y50 spec, use cases,
 * https://docs.nvidia.com/networking/display/mcp7y50nxxx800pub/use+cases). Speed matching never adds
 * bandwidth: a 100G-lane link on a 200G-lane port would waste half the port (research issue 13, §4).
 * Only modes a source states for that device are used; `unconfirmed` lane rates are refused.
 */

export interface FabricLink {
  readonly mode: LinkMode;
  /** Speed of one link, Gb/s. */
  readonly linkGbps: number;
  /** Links one switch port breaks out into. */
  readonly breakout: number;
  /** Links the switch offers at this speed. */
  readonly radix: number;
  /** Links each NIC port gives (one per plane when the NIC fans out into planes). */
  readonly linksPerNicPort: number;
  /** Links one switch-side transceiver carries. */
  readonly linksPerSwitchTransceiver: number;
}

export type FabricLinkResult =
  | { readonly ok: true; readonly link: FabricLink }
  | { readonly ok: false; readonly reason: string };

function modeText(m: LinkMode): string {
  const one = `${m.lanes} × ${m.laneGbps}G`;
  return m.links > 1 ? `${m.links} × (${one}) ${m.transport}` : `${one} ${m.transport}`;
}

/**
 * The fastest link `nic` can make to `model` over `transport`, optionally with exactly `linksPerNicPort`
 * links per NIC port (a multi-plane fabric that fans each port out into that many planes).
 */
export function fabricLink(
  nic: NicModel,
  model: SwitchModel,
  transport: FabricTransport,
  linksPerNicPort?: number,
): FabricLinkResult {
  const nicModes = nic.modes.filter(
    (m) => m.transport === transport && m.evidence !== "unconfirmed" && (linksPerNicPort ?? m.links) === m.links,
  );
  for (const mode of nicModes) {
    const rate = model.laneRates.find(
      (r) => r.transport === transport && r.laneGbps === mode.laneGbps && r.evidence !== "unconfirmed",
    );
    if (!rate || model.lanesPerPort % mode.lanes !== 0) continue;
    const breakout = model.lanesPerPort / mode.lanes;
    if (!model.breakouts.includes(breakout)) continue;
    return {
      ok: true,
      link: {
        mode,
        linkGbps: mode.lanes * mode.laneGbps,
        breakout,
        radix: Math.min(model.ports * breakout, model.maxLogicalPorts),
        linksPerNicPort: mode.links,
        linksPerSwitchTransceiver: model.lanesPerTransceiver / mode.lanes,
      },
    };
  }
  const nicRuns = nic.modes.filter((m) => m.transport === transport);
  const nicText = nicRuns.length === 0 ? `no ${transport} mode` : nicRuns.map(modeText).join(", ");
  const switchRates = model.laneRates.filter((r) => r.transport === transport);
  const confirmed = switchRates.filter((r) => r.evidence !== "unconfirmed");
  const unconfirmed = switchRates.filter((r) => r.evidence === "unconfirmed");
  const switchText =
    confirmed.length === 0
      ? `no confirmed ${transport} lane rate`
      : `${model.lanesPerPort}-lane ports at ${confirmed.map((r) => `${r.laneGbps}G`).join("/")} per lane` +
        (model.breakouts.length > 1 ? `, breakout ${model.breakouts.join("/")}` : ", no breakout");
  const fanout =
    linksPerNicPort !== undefined && linksPerNicPort > 1 ? ` with ${linksPerNicPort} links per NIC port` : "";
  const note =
    unconfirmed.length > 0
      ? `; ${unconfirmed.map((r) => `${r.laneGbps}G lanes`).join(", ")} on ${model.displayName} appear only in ${unconfirmed.map((r) => r.source).join("; ")} and are not planned on`
      : "";
  return {
    ok: false,
    reason: `${nic.displayName} runs ${nicText}; ${model.displayName} runs ${switchText}: no lane rate and width in common${fanout}${note}`,
  };
}
