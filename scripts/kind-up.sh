#!/usr/bin/env bash
# npm run kind:up — a kind cluster that behaves like a small GB200 building:
#   1. synthesizes the kind environment (stack + node registration + kind-config.yaml);
#   2. creates the kind cluster from the generated config (workers carry the registration's labels/taints;
#      every node runs the kindest/node image pinned for the environment's Kubernetes version);
#   3. installs the real Kueue and Multus CRDs (upstream's, copied by scripts/bootstrap-toolchain.sh);
#   4. advertises the simulated GPUs on each worker (status subresource, like a device plugin would);
#   5. deploys the kind stack (cdktf deploy; TERRAFORM_BINARY_NAME=tofu to use OpenTofu).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/kind-common.sh

require_tools kind kubectl docker
if ! docker info >/dev/null 2>&1; then
  echo "kind:up: docker is installed but no Docker engine answers (docker info failed); start it and retry" >&2
  exit 1
fi

synth_kind

name=$(kind_cluster_name)
if kind get clusters 2>/dev/null | grep -qx "$name"; then
  echo "kind:up: cluster $name exists; reusing it"
else
  echo "kind:up: creating cluster $name from $KIND_CONFIG (node image: $(kind_node_image || true))"
  kind create cluster --config "$KIND_CONFIG"
fi
context="kind-$name"

# The CRDs as upstream ships them, at the versions of scripts/toolchain-versions.env: the
# bootstrap's cache names them (GPU_CAMPUS_KUEUE_CRDS, GPU_CAMPUS_MULTUS_CRDS). Server-side: the
# Kueue CRDs are too large for a client-side apply's last-applied annotation.
if ! toolchain_env="$(bash scripts/bootstrap-toolchain.sh --print-env --without-provider)"; then
  echo "kind:up: the Kueue and Multus CRDs come from the toolchain cache: run scripts/bootstrap-toolchain.sh --without-provider first" >&2
  exit 1
fi
eval "$(grep -E '^export GPU_CAMPUS_(KUEUE|MULTUS)_CRDS=' <<<"$toolchain_env")"
kubectl --context "$context" apply --server-side --field-manager=gpu-campus -f "$GPU_CAMPUS_KUEUE_CRDS" -f "$GPU_CAMPUS_MULTUS_CRDS"
kubectl --context "$context" wait --for=condition=Established --timeout=60s \
  crd/topologies.kueue.x-k8s.io crd/resourceflavors.kueue.x-k8s.io crd/network-attachment-definitions.k8s.cni.cncf.io

# kind names workers <name>-worker, <name>-worker2, ... in the config's order, which is the
# node registration's order: pair them up and advertise each record's GPU capacity.
mapfile -t workers < <(kubectl --context "$context" get nodes -l '!node-role.kubernetes.io/control-plane' \
  -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}' | sort -V)
mapfile -t gpus < <(node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n");
  for (const l of lines) console.log(JSON.parse(l).capacity["nvidia.com/gpu"]);' "$NODE_RECORDS")
if [[ ${#workers[@]} -ne ${#gpus[@]} ]]; then
  echo "kind:up: ${#workers[@]} kind workers but ${#gpus[@]} node records; delete the cluster (npm run kind:down) and retry" >&2
  exit 1
fi
for i in "${!workers[@]}"; do
  kubectl --context "$context" patch node "${workers[$i]}" --subresource=status --type=json \
    -p "[{\"op\":\"add\",\"path\":\"/status/capacity/nvidia.com~1gpu\",\"value\":\"${gpus[$i]}\"}]" >/dev/null
  echo "kind:up: ${workers[$i]} advertises ${gpus[$i]} simulated nvidia.com/gpu"
done

npx cdktf deploy "$KIND_STACK" --auto-approve --output "$OUTDIR"
echo "kind:up: done. kubectl --context $context get nodes -L gpu-campus.io/building,gpu-campus.io/rack"
