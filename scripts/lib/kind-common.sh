# Shared by kind-up.sh and kind-down.sh.
# The synth output directory: cdktf's default, or CDKTF_OUTDIR (as main.ts reads it).
OUTDIR=${CDKTF_OUTDIR:-cdktf.out}
KIND_CONFIG=$OUTDIR/environments/kind/kind-config.yaml
NODE_RECORDS=$OUTDIR/environments/kind/nodes/c1.jsonl
KIND_STACK=kind-c1
# The kind environment's local backend keeps its state next to the output directory
# (stacks/cluster-stack.ts: ../../../terraform.<stack>.tfstate from cdktf.out/stacks/<stack>).
KIND_STATE=$(dirname "$OUTDIR")/terraform.$KIND_STACK.tfstate

# Says every missing tool at once, with where it comes from, and exits 1.
require_tools() {
  local missing=()
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if ((${#missing[@]} > 0)); then
    echo "kind: missing ${missing[*]} — install them first (kind: kind.sigs.k8s.io/docs/user/quick-start; kubectl; a Docker engine)" >&2
    exit 1
  fi
}

# Synthesizes the kind environment only. The selection goes through GPU_CAMPUS_ENVIRONMENTS alone
# (not also --env): `cdktf deploy` runs the app without flags, so the variable must be set anyway,
# and naming the environment twice would load environments/kind.yaml twice.
synth_kind() {
  export GPU_CAMPUS_ENVIRONMENTS=kind CHECKPOINT_DISABLE=1
  npx tsx main.ts
}

kind_cluster_name() {
  sed -n 's/^name: *//p' "$KIND_CONFIG" | head -1
}

# The node image the generated config pins (empty when kind's default is used).
kind_node_image() {
  sed -n 's/^ *image: *//p' "$KIND_CONFIG" | head -1
}
