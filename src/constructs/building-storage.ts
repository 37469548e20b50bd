import { PersistentVolumeClaimV1 } from "@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { Construct } from "constructs";
import type { BuildingPlan, BuildingStoragePlan } from "../plan/plan-types.js";
import { LABEL } from "../vocabulary/labels.js";
import { APP_LABEL, managedLabels, NAMES, storageDocumentKey } from "../vocabulary/names.js";
import { tebibytesFloorQuantity } from "../vocabulary/quantity.js";
import type { IInventory } from "./campus-inventory.js";

export interface BuildingStorageProps {
  readonly building: BuildingPlan;
  /** The building's StorageClasses in this cluster (names, provisioners) and its volumes' access mode. */
  readonly storage: BuildingStoragePlan;
  readonly inventory: IInventory;
}

/** Where a volume goes: a tenant namespace (pass its name as a reference to order creation). */
export interface TenantVolumeProps {
  readonly tenantId: string;
  readonly namespace: string;
  readonly sizeTiB: number;
}

/**
 * A building's storage as one cluster sees it: StorageClasses for local NVMe scratch
 * (WaitForFirstConsumer, deleted with the pod's claim), the shared parallel filesystem and
 * checkpoints (both Retain and expandable), limited to the building's nodes, plus the building's
 * capacity and read bandwidth in the inventory. Dataset and checkpoint volumes hold data: they are
 * Retain and carry `prevent_destroy`, so removing one from the code fails the plan instead of the data.
 */
export class BuildingStorage extends Construct {
  readonly localNvmeClassName: string;
  readonly sharedFilesystemClassName: string;
  readonly checkpointClassName: string;
  private readonly building: BuildingPlan;
  private readonly accessMode: string;

  constructor(scope: Construct, id: string, props: BuildingStorageProps) {
    super(scope, id);
    const { building, storage } = props;
    this.building = building;
    this.accessMode = storage.volumeAccessMode;
    const labels = { ...managedLabels("storage"), [LABEL.building]: building.id };
    // Volumes of a building's filesystem are reachable only from its own nodes.
    const inBuilding = { matchLabelExpressions: [{ key: LABEL.building, values: [building.id] }] };

    const names = {
      localNvme: storage.localNvme.name,
      shared: storage.sharedFilesystem.name,
      checkpoint: storage.checkpoint.name,
    };
    const local = new StorageClassV1(this, "local-nvme", {
      metadata: { name: names.localNvme, labels },
      storageProvisioner: storage.localNvme.provisioner,
      // Scratch on the node's own drives: bind where the pod lands, delete with the claim.
      volumeBindingMode: "WaitForFirstConsumer",
      reclaimPolicy: "Delete",
      allowVolumeExpansion: false,
      allowedTopologies: inBuilding,
    });
    // Provisioned where the first consumer lands, which also keeps controller-less API servers
    // (kind before its provisioner runs, the e2e suite) from waiting on a bind that never comes.
    const retained = (id: string, name: string, provisioner: string) =>
      new StorageClassV1(this, id, {
        metadata: { name, labels },
        storageProvisioner: provisioner,
        volumeBindingMode: "WaitForFirstConsumer",
        reclaimPolicy: "Retain",
        allowVolumeExpansion: true,
        allowedTopologies: inBuilding,
      });
    const shared = retained("shared-filesystem", names.shared, storage.sharedFilesystem.provisioner);
    const checkpoint = retained("checkpoint", names.checkpoint, storage.checkpoint.provisioner);
    this.localNvmeClassName = local.metadata.name;
    this.sharedFilesystemClassName = shared.metadata.name;
    this.checkpointClassName = checkpoint.metadata.name;

    props.inventory.addDocument(storageDocumentKey(building.id), {
      building: building.id,
      capacityTiB: building.storage.capacityTiB,
      readGBps: building.storage.readGBps,
      storageClasses: names,
    });

    this.node.addValidation({
      validate: () => {
        const all = Object.values(names);
        return new Set(all).size === all.length
          ? []
          : [
              `building ${building.id}: StorageClass names must differ, got local NVMe "${names.localNvme}", shared ` +
                `filesystem "${names.shared}", checkpoint "${names.checkpoint}" (storage.*.storageClass)`,
            ];
      },
    });
  }

  /** A tenant's dataset volume on the shared filesystem (Retain, prevent_destroy). */
  datasetVolume(props: TenantVolumeProps): PersistentVolumeClaimV1 {
    return this.retainedVolume("dataset", NAMES.datasetVolume, this.sharedFilesystemClassName, props);
  }

  /** A tenant's checkpoint volume (Retain, prevent_destroy). */
  checkpointVolume(props: TenantVolumeProps): PersistentVolumeClaimV1 {
    return this.retainedVolume("checkpoint", NAMES.checkpointVolume, this.checkpointClassName, props);
  }

  private retainedVolume(
    kind: string,
    name: string,
    storageClass: string,
    props: TenantVolumeProps,
  ): PersistentVolumeClaimV1 {
    if (!(props.sizeTiB > 0)) {
      throw new Error(`tenant ${props.tenantId}: ${kind} volume size ${props.sizeTiB} TiB must be > 0`);
    }
    return new PersistentVolumeClaimV1(this, `${props.tenantId}-${kind}`, {
      metadata: {
        name,
        namespace: props.namespace,
        labels: {
          ...managedLabels("storage"),
          [APP_LABEL.instance]: props.tenantId,
          [LABEL.building]: this.building.id,
        },
      },
      spec: {
        accessModes: [this.accessMode],
        storageClassName: storageClass,
        resources: { requests: { storage: tebibytesFloorQuantity(props.sizeTiB) } },
      },
      // WaitForFirstConsumer: the claim binds when a pod uses it, never during the apply.
      waitUntilBound: false,
      lifecycle: { preventDestroy: true },
    });
  }
}
