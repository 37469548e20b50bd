#!/usr/bin/env bash
# npm run kind:down — destroys the kind stack, then deletes the kind cluster.
# The stack's dataset and checkpoint volumes carry prevent_destroy, so `cdktf destroy` refuses;
# on kind they live on the laptop's local-path provisioner and go with the cluster, which this
# script says out loud before deleting it (and the now meaningless local state with it).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/kind-common.sh

require_tools kind kubectl docker
synth_kind >/dev/null
name=$(kind_cluster_name)

if ! npx cdktf destroy "$KIND_STACK" --auto-approve --output "$OUTDIR"; then
  echo "kind:down: WARNING: cdktf destroy stopped (the dataset/checkpoint volumes are protected by prevent_destroy)." >&2
  echo "kind:down: WARNING: deleting kind cluster $name deletes those volumes and their data with it." >&2
fi
kind delete cluster --name "$name"
rm -f "$KIND_STATE" "$KIND_STATE.backup"
echo "kind:down: cluster $name and its local state removed"
