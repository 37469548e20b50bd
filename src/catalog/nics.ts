/**
 * Compute-fabric NICs: the link modes each can run, by lane rate (SerDes) and lane count. A NIC and a
 * switch port link only in a mode both support (src/catalog/links.ts); every mode cites its source.
 */

export type FabricTransport = "infiniband" | "roce";

/**
 * One way a port can run: `links` independent links of `lanes` × `laneGbps` each. A port that fans
 * out into several links (ConnectX-8's 2 × 400GbE) can feed several independent planes.
 */
export interface LinkMode {
  readonly transport: FabricTransport;
  readonly links: number;
  readonly lanes: number;
  readonly laneGbps: number;
  /**
   * `primary`: an NVIDIA manual or spec says so; `secondary`: only trade press or vendor blogs do;
   * `unconfirmed`: inferred, no page says it for this device; the planner does not use it.
   */
  readonly evidence: "primary" | "secondary" | "unconfirmed";
  readonly source: string;
}

export interface NicModel {
  readonly id: string;
  readonly displayName: string;
  /** Fastest mode first: the planner takes the first mode that the switch also runs. */
  readonly modes: readonly LinkMode[];
  /** Power of the host-side transceiver of one NIC port, W. */
  readonly transceiverW: number;
  readonly transceiverSource: string;
}

const CX7_NDR_OVERVIEW = "NVIDIA DGX SuperPOD cabling guide, NDR overview: NDR 400G = four lanes of 100G, NDR200 = two";

/**
 * ConnectX-7 single-port 400G OSFP (DGX GB200 compute trays, DGX B200): NDR = 4 × 100G-PAM4, NDR200 =
 * 2 × 100G, 400GbE = 4 × 100G. One port, one link: it cannot fan out into planes.
 * Sources: https://docs.nvidia.com/dgx-superpod/design-guide-cabling-data-centers/latest/ndr-overview.html ;
 * DGX B200 user guide (https://docs.nvidia.com/dgx/dgxb200-user-guide/introduction-to-dgxb200.html).
 */
const CONNECTX7: NicModel = {
  id: "connectx-7",
  displayName: "ConnectX-7 400G",
  modes: [
    { transport: "infiniband", links: 1, lanes: 4, laneGbps: 100, evidence: "primary", source: CX7_NDR_OVERVIEW },
    { transport: "infiniband", links: 1, lanes: 2, laneGbps: 100, evidence: "primary", source: CX7_NDR_OVERVIEW },
    {
      transport: "roce",
      links: 1,
      lanes: 4,
      laneGbps: 100,
      evidence: "primary",
      source: "DGX B200 user guide: ConnectX-7 Ethernet 400GbE (4 × 100G-PAM4, the MMS4X00-NS400 optic)",
    },
  ],
  // MMS4X00-NS400 400G single-port OSFP DR4: "draws 9 Watts maximum" at 400G
  // (https://docs.nvidia.com/networking/display/mms4x00ns400/overview).
  transceiverW: 9,
  transceiverSource: "https://docs.nvidia.com/networking/display/mms4x00ns400/overview",
};

/**
 * ConnectX-8 SuperNIC (GB300 NVL72, DGX B300): XDR 800G = 4 × 200G-PAM4; Ethernet "2x400G" = two
 * 400GbE links of 4 × 100G, which is how the DGX B300 Spectrum-4 SuperPOD feeds its two planes.
 * Sources: https://docs.nvidia.com/networking/display/connectx8supernic/introduction (800G XDR, 2 × 400GbE);
 * DGX SuperPOD B300 Spectrum-4 RA, network fabrics ("Each GPU has 2x 400GbE connectivity through two
 * different planes"). NDR (4 × 100G) on ConnectX-8 follows NVIDIA's InfiniBand rule that "per-hop rate
 * and width-matching are automatically negotiated" (cabling guide, mixing widths and rates); no
 * ConnectX-8 page says so directly, hence unconfirmed and not planned on.
 */
const CONNECTX8: NicModel = {
  id: "connectx-8",
  displayName: "ConnectX-8 SuperNIC 800G",
  modes: [
    {
      transport: "infiniband",
      links: 1,
      lanes: 4,
      laneGbps: 200,
      evidence: "primary",
      source: "ConnectX-8 SuperNIC user manual, introduction: 800 Gb/s InfiniBand XDR",
    },
    {
      transport: "roce",
      links: 2,
      lanes: 4,
      laneGbps: 100,
      evidence: "primary",
      source: "ConnectX-8 SuperNIC user manual (2x400G Ethernet); DGX B300 Spectrum-4 RA (2 × 400GbE per GPU)",
    },
    {
      transport: "infiniband",
      links: 1,
      lanes: 4,
      laneGbps: 100,
      evidence: "unconfirmed",
      source: "NVIDIA cabling guide, mixing widths and rates (IB rate matching between generations)",
    },
  ],
  // No primary figure for the ConnectX-8 host optic was found; the 2 × 400G twin-port class is 17 W
  // (MMS4X00-NS, https://docs.nvidia.com/networking/display/800gmms4x00nst/overview). Unverified for CX-8.
  transceiverW: 17,
  transceiverSource: "estimate: the 17 W twin-port 2×400G class (MMS4X00-NS spec); no ConnectX-8 optic figure found",
};

export const NIC_MODELS: ReadonlyMap<string, NicModel> = new Map([CONNECTX7, CONNECTX8].map((nic) => [nic.id, nic]));

export const NIC = { CONNECTX7, CONNECTX8 } as const;
