# Shared by kind-up.sh and kind-down.sh.
KIND_CONFIG=cdktf.out/environments/kind/kind-config.yaml
NODE_RECORDS=cdktf.out/environments/kind/nodes/c1.jsonl

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

kind_cluster_name() {
  sed -n 's/^name: *//p' "$KIND_CONFIG" | head -1
}
