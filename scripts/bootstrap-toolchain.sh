#!/usr/bin/env bash
# Builds the toolchain that the project's e2e checks need, from source, with
# `go build` through the Go module proxy, into a cache OUTSIDE the repository. The versions are
# pinned in scripts/toolchain-versions.env (sourced here; TypeScript and CI read the same file).
#
#   ${GPU_CAMPUS_CACHE:-$HOME/.cache/gpu-campus}/
#     tofu-<ver>/bin/tofu                         OpenTofu CLI
#     kubernetes-<ver>/bin/{kube-apiserver,kube-controller-manager,kubectl}
#     etcd-<ver>/bin/etcd
#     crds-<kueue-ver>-<nad-ver>/                 real CRDs, copied from the modules (always built):
#       kueue/*.yaml                                sigs.k8s.io/kueue config/components/crd/bases
#       multus/networks-crd.yaml                    network-attachment-definition-client artifacts/
#     kube-scheduler-<ver>/bin/kube-scheduler     --with-twin (same k8s.io/kubernetes release)
#     kwok-<ver>/bin/kwok                         --with-twin
#     kueue-<ver>/bin/kueue                       --with-twin (the Kueue manager)
#     terraform-provider-kubernetes-<ver>/mirror/  filesystem mirror (unpacked
#                                                   layout, both registry hosts)
#     tofurc                                        CLI config: mirror only, no direct
#                                                   (written only when there is a mirror)
#     kubernetes-provider-<ver>.registry            last public-registry check (no mirror)
#     env.sh                                        `source` it for the variables
#
# Usage: scripts/bootstrap-toolchain.sh [--with-twin] [--without-provider] [--print-env] [--no-verify]
#   (no flag)           build what is missing of OpenTofu, etcd, Kubernetes, the CRDs and the
#                       kubernetes provider, then print the env lines
#   --with-twin         also the digital-twin engines kube-scheduler, kwok and the Kueue manager
#                       (cold on 2 cores: Kueue ~7 min, kwok ~3 min, kube-scheduler ~8 min
#                       alone but seconds after kubernetes, whose Go build cache it shares)
#   --without-provider  everything but the kubernetes provider: neither installed nor looked
#                       for (CI runs this); with --print-env, succeed without it too
#   --print-env         build nothing: print the env lines of what is cached; exit 1, print
#                       nothing on stdout and name each missing part on stderr when anything
#                       that the other flags ask for is missing
#   --no-verify         skip the tofu init/validate smoke test of a new provider mirror
#
# The kubernetes provider (hashicorp/kubernetes KPROV_VERSION) comes from the first of:
#   (a) GPU_CAMPUS_KUBERNETES_PROVIDER_BIN, a prebuilt binary, installed into the filesystem
#       mirror (default: ../shared/toolchain/terraform-provider-kubernetes_v<ver> beside the
#       repository, when that file exists);
#   (b) the mirror already in the cache (built by an earlier run);
#   (c) the public provider registry, through an ordinary `tofu init` (a machine with network):
#       checked by `tofu init` + `tofu validate` of a 1-resource config in a temporary directory
#       (at most GPU_CAMPUS_REGISTRY_TIMEOUT s, default 60), the result kept in
#       kubernetes-provider-<ver>.registry, which --print-env reports; a build checks again
#       when it is older than 24 h (15 min when the check failed; delete the file to check
#       again now). No tofurc is written then.
# (The Go module proxy cannot serve the provider: its go.mod has no /v2, so its v2 tags are not
# Go module versions.)
#
# Env lines (`export KEY=value`; --print-env, env.sh, and at the end of a build), one per
# component that is cached: GPU_CAMPUS_TOFU, GPU_CAMPUS_ETCD, GPU_CAMPUS_KUBE_APISERVER,
# GPU_CAMPUS_KUBE_CONTROLLER_MANAGER, GPU_CAMPUS_KUBECTL, GPU_CAMPUS_KUEUE_CRDS and
# GPU_CAMPUS_MULTUS_CRDS (directories), GPU_CAMPUS_KUBE_SCHEDULER, GPU_CAMPUS_KWOK,
# GPU_CAMPUS_KUEUE; and GPU_CAMPUS_KUBERNETES_PROVIDER=mirror (with TF_CLI_CONFIG_FILE) or
# =registry, or else GPU_CAMPUS_KUBERNETES_PROVIDER_MISSING='<one-line reason>'.
#
# Every component is built in a temporary directory beside the cache and renamed
# into place only on success, so an interrupted run never leaves a half cache and
# a second run is a no-op. Bumping a version in toolchain-versions.env builds a new
# <component>-<version> directory.
#
# Environment:
#   GPU_CAMPUS_CACHE                       cache root (default ~/.cache/gpu-campus)
#   GPU_CAMPUS_KUBERNETES_PROVIDER_BIN     prebuilt terraform-provider-kubernetes binary, (a) above
#   GPU_CAMPUS_REGISTRY_TIMEOUT            seconds the public-registry check may take (default 60)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/toolchain-versions.env
source "$SCRIPT_DIR/toolchain-versions.env"
for v in TOFU_VERSION ETCD_VERSION KUBE_VERSION KWOK_VERSION KUEUE_VERSION NAD_VERSION KPROV_VERSION; do
  [[ -n ${!v:-} ]] || { echo "$SCRIPT_DIR/toolchain-versions.env does not set $v" >&2; exit 2; }
done
NAD_MODULE=github.com/k8snetworkplumbingwg/network-attachment-definition-client
# A provider binary handed over beside the repository (the project's shared folder) is used when
# no other is named.
SHARED_KPROV="$(cd "$SCRIPT_DIR/.." && pwd)/../shared/toolchain/terraform-provider-kubernetes_v$KPROV_VERSION"
if [[ -z ${GPU_CAMPUS_KUBERNETES_PROVIDER_BIN:-} && -f $SHARED_KPROV ]]; then
  GPU_CAMPUS_KUBERNETES_PROVIDER_BIN=$SHARED_KPROV
fi
REGISTRY_TIMEOUT=${GPU_CAMPUS_REGISTRY_TIMEOUT:-60}

CACHE="${GPU_CAMPUS_CACHE:-$HOME/.cache/gpu-campus}"
TOFU_DIR="$CACHE/tofu-$TOFU_VERSION"
KUBE_DIR="$CACHE/kubernetes-$KUBE_VERSION"
ETCD_DIR="$CACHE/etcd-$ETCD_VERSION"
CRDS_DIR="$CACHE/crds-$KUEUE_VERSION-$NAD_VERSION"
SCHED_DIR="$CACHE/kube-scheduler-$KUBE_VERSION"
KWOK_DIR="$CACHE/kwok-$KWOK_VERSION"
KUEUE_DIR="$CACHE/kueue-$KUEUE_VERSION"
KPROV_DIR="$CACHE/terraform-provider-kubernetes-$KPROV_VERSION"
MIRROR="$KPROV_DIR/mirror"
TOFURC="$CACHE/tofurc"
REGISTRY_CHECK="$CACHE/kubernetes-provider-$KPROV_VERSION.registry"
ENV_SH="$CACHE/env.sh"

MODE=build
VERIFY=1
WITH_PROVIDER=1
WITH_TWIN=0
for arg in "$@"; do
  case "$arg" in
    --print-env) MODE=print ;;
    --no-verify) VERIFY=0 ;;
    --without-provider) WITH_PROVIDER=0 ;;
    --with-twin) WITH_TWIN=1 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

log() { printf '[bootstrap] %s\n' "$*" >&2; }

# Files that make each component complete (a directory missing one is rebuilt).
TOFU_FILES=("$TOFU_DIR/bin/tofu")
KUBE_FILES=("$KUBE_DIR/bin/kube-apiserver" "$KUBE_DIR/bin/kube-controller-manager" "$KUBE_DIR/bin/kubectl")
ETCD_FILES=("$ETCD_DIR/bin/etcd")
CRDS_FILES=("$CRDS_DIR/SOURCE" "$CRDS_DIR/multus/networks-crd.yaml")  # SOURCE is written last
SCHED_FILES=("$SCHED_DIR/bin/kube-scheduler")
KWOK_FILES=("$KWOK_DIR/bin/kwok")
KUEUE_FILES=("$KUEUE_DIR/bin/kueue")
KPROV_FILES=("$MIRROR/registry.opentofu.org/hashicorp/kubernetes/$KPROV_VERSION"
             "$MIRROR/registry.terraform.io/hashicorp/kubernetes/$KPROV_VERSION")

present() { local f; for f in "$@"; do [[ -e $f ]] || return 1; done; }

# registry_field KEY: a value from the last public-registry check (empty without one)
registry_field() {
  [[ -f $REGISTRY_CHECK ]] || return 0
  sed -n "s/^$1=//p" "$REGISTRY_CHECK" | head -n 1
}

# checked_at: when the last registry check ran, as a UTC date
checked_at() {
  local checked
  checked="$(registry_field checked)"
  [[ $checked =~ ^[0-9]+$ ]] || { echo "an unknown time"; return 0; }
  date -u -d "@$checked" '+%F %TZ'
}

# provider_state: set KPROV_STATE to mirror, registry or "" (then KPROV_MISSING says why)
provider_state() {
  KPROV_STATE="" KPROV_MISSING=""
  if present "${KPROV_FILES[@]}" "$TOFURC"; then
    KPROV_STATE=mirror
  elif [[ $(registry_field result) == ok && $(registry_field tofu) == "$TOFU_VERSION" ]]; then
    KPROV_STATE=registry
  elif [[ $(registry_field result) == failed ]]; then
    KPROV_MISSING="no hashicorp/kubernetes $KPROV_VERSION: no mirror in $CACHE and the public"
    KPROV_MISSING+=" provider registry failed ($(registry_field reason)) at $(checked_at);"
    KPROV_MISSING+=" set GPU_CAMPUS_KUBERNETES_PROVIDER_BIN to a terraform-provider-kubernetes_v$KPROV_VERSION binary and run scripts/bootstrap-toolchain.sh"
  else
    KPROV_MISSING="no hashicorp/kubernetes $KPROV_VERSION: not installed in $CACHE; run"
    KPROV_MISSING+=" scripts/bootstrap-toolchain.sh (without --without-provider) with GPU_CAMPUS_KUBERNETES_PROVIDER_BIN"
    KPROV_MISSING+=" set to a terraform-provider-kubernetes_v$KPROV_VERSION binary, or with network to the public provider registry"
  fi
}

# env_line NAME VALUE [FILE...]: an export line for NAME when every FILE exists
env_line() {
  local name=$1 value=$2
  shift 2
  present "$@" || return 0
  printf 'export %s=%q\n' "$name" "$value"
}

env_lines() {
  provider_state
  env_line GPU_CAMPUS_TOFU "$TOFU_DIR/bin/tofu" "${TOFU_FILES[@]}"
  case $KPROV_STATE in
    mirror) printf 'export TF_CLI_CONFIG_FILE=%q\n' "$TOFURC"
            echo "export GPU_CAMPUS_KUBERNETES_PROVIDER=mirror" ;;
    registry) echo "export GPU_CAMPUS_KUBERNETES_PROVIDER=registry" ;;
    # single-quoted (no ' inside) so that a plain KEY='value' reader takes it as it is
    *) printf "export GPU_CAMPUS_KUBERNETES_PROVIDER_MISSING='%s'\n" "${KPROV_MISSING//\'/\"}" ;;
  esac
  env_line GPU_CAMPUS_KUBE_APISERVER "$KUBE_DIR/bin/kube-apiserver" "${KUBE_FILES[@]}"
  env_line GPU_CAMPUS_KUBE_CONTROLLER_MANAGER "$KUBE_DIR/bin/kube-controller-manager" "${KUBE_FILES[@]}"
  env_line GPU_CAMPUS_KUBECTL "$KUBE_DIR/bin/kubectl" "${KUBE_FILES[@]}"
  env_line GPU_CAMPUS_ETCD "$ETCD_DIR/bin/etcd" "${ETCD_FILES[@]}"
  env_line GPU_CAMPUS_KUEUE_CRDS "$CRDS_DIR/kueue" "${CRDS_FILES[@]}"
  env_line GPU_CAMPUS_MULTUS_CRDS "$CRDS_DIR/multus" "${CRDS_FILES[@]}"
  env_line GPU_CAMPUS_KUBE_SCHEDULER "$SCHED_DIR/bin/kube-scheduler" "${SCHED_FILES[@]}"
  env_line GPU_CAMPUS_KWOK "$KWOK_DIR/bin/kwok" "${KWOK_FILES[@]}"
  env_line GPU_CAMPUS_KUEUE "$KUEUE_DIR/bin/kueue" "${KUEUE_FILES[@]}"
}

# missing_requested: print "name (where)" for each requested component that is not complete
missing_requested() {
  present "${TOFU_FILES[@]}" || echo "tofu ($TOFU_DIR)"
  present "${ETCD_FILES[@]}" || echo "etcd ($ETCD_DIR)"
  present "${KUBE_FILES[@]}" || echo "kubernetes ($KUBE_DIR)"
  present "${CRDS_FILES[@]}" || echo "crds ($CRDS_DIR)"
  if ((WITH_TWIN)); then
    present "${SCHED_FILES[@]}" || echo "kube-scheduler ($SCHED_DIR)"
    present "${KWOK_FILES[@]}" || echo "kwok ($KWOK_DIR)"
    present "${KUEUE_FILES[@]}" || echo "kueue ($KUEUE_DIR)"
  fi
  if ((WITH_PROVIDER)); then
    provider_state
    [[ -n $KPROV_STATE ]] || echo "terraform-provider-kubernetes: $KPROV_MISSING"
  fi
}

if [[ $MODE == print ]]; then
  missing="$(missing_requested)"
  if [[ -z $missing ]]; then env_lines; exit 0; fi
  flags=()
  ((WITH_TWIN == 0)) || flags+=(--with-twin)
  ((WITH_PROVIDER)) || flags+=(--without-provider)
  echo "gpu-campus toolchain is not (fully) built in $CACHE; run scripts/bootstrap-toolchain.sh${flags[*]+ ${flags[*]}}; missing:" >&2
  mapfile -t missing_lines <<<"$missing"
  printf '  %s\n' "${missing_lines[@]}" >&2
  exit 1
fi

command -v go >/dev/null || { echo "go is required (Go >= 1.24)" >&2; exit 1; }
mkdir -p "$CACHE"
# One bootstrap at a time per cache; then drop staging dirs that a killed run left behind.
if command -v flock >/dev/null; then
  exec 9>"$CACHE/.lock"
  flock 9
  find "$CACHE" -mindepth 1 -maxdepth 1 \( -name '.tmp-*' -o -name '.old-*' \) -exec rm -rf {} +
fi

export CGO_ENABLED=0
export GOFLAGS="-trimpath -mod=mod"
export GOWORK=off
GOOS_ARCH="$(go env GOOS)_$(go env GOARCH)"
LDFLAGS_BASE='-s -w'

TMPDIRS=()
cleanup() {
  local d
  for d in "${TMPDIRS[@]+"${TMPDIRS[@]}"}"; do rm -rf "$d"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# new_tmp VAR NAME: set VAR to a fresh staging directory on the cache filesystem (so the
# finished component can be renamed into place atomically); removed on exit.
new_tmp() {
  local d
  d="$(mktemp -d "$CACHE/.tmp-$2-XXXXXX")"
  TMPDIRS+=("$d")
  printf -v "$1" '%s' "$d"
}

# publish STAGING FINAL: move a finished component into place with a rename (an
# incomplete FINAL left by an older version of this script is swapped out first)
publish() {
  chmod 0755 "$1"
  if [[ -e $2 ]]; then
    local old
    old="$(mktemp -d "$CACHE/.old-XXXXXX")"
    TMPDIRS+=("$old")
    mv -T "$2" "$old/dir"
  fi
  mv -T "$1" "$2"
}

# gomod_field FIELD MODULE VERSION: download MODULE@VERSION into the module cache and print
# FIELD of `go mod download -json` (GoMod: its go.mod; Dir: its unpacked tree)
gomod_field() {
  go mod download -json "$2@$3" | sed -n "s/^[[:space:]]*\"$1\": \"\\(.*\\)\",\\{0,1\\}\$/\\1/p"
}

# gomod_path MODULE VERSION: path of that module's go.mod in the module cache
gomod_path() { gomod_field GoMod "$1" "$2"; }

# gomod_replaces GOMOD: print each replace directive as "old [ver] => new [ver]"
gomod_replaces() {
  awk '
    { sub(/\/\/.*/, "") }
    /^replace[[:space:]]*\(/ { blk = 1; next }
    blk && /^[[:space:]]*\)/ { blk = 0; next }
    blk && /=>/ { gsub(/^[[:space:]]+|[[:space:]]+$/, ""); print; next }
    /^replace[[:space:]]/ && /=>/ { sub(/^replace[[:space:]]+/, ""); gsub(/[[:space:]]+$/, ""); print }
  ' "$1"
}

# gomod_requires GOMOD: print each requirement as "path version"
gomod_requires() {
  awk '
    { sub(/\/\/.*/, "") }
    /^require[[:space:]]*\(/ { blk = 1; next }
    blk && /^[[:space:]]*\)/ { blk = 0; next }
    blk && NF >= 2 { print $1, $2; next }
    /^require[[:space:]]/ && NF >= 3 { print $2, $3 }
  ' "$1"
}

# new_wrapper DIR MODULE VERSION: a throwaway main module that requires MODULE@VERSION and
# repeats MODULE's non-local replace directives (they do not apply to a dependency otherwise).
# Local (directory) replaces are printed on stdout as "old => dir" for the caller to map.
new_wrapper() {
  local dir=$1 mod=$2 ver=$3 gomod line old new oldp oldv newp newv
  gomod="$(gomod_path "$mod" "$ver")"
  [[ -f $gomod ]] || { echo "cannot download $mod@$ver" >&2; return 1; }
  (cd "$dir" && go mod init gpu-campus.invalid/toolchain-wrapper 2>/dev/null \
    && go mod edit -require="$mod@$ver")
  while IFS= read -r line; do
    old="${line%%=>*}"; new="${line#*=>}"
    read -r oldp oldv <<<"$old"; read -r newp newv <<<"$new"
    if [[ -z ${newv:-} ]]; then  # directory replacement
      printf '%s %s => %s\n' "$oldp" "${oldv:-}" "$newp"
      continue
    fi
    (cd "$dir" && go mod edit -replace="$oldp${oldv:+@$oldv}=$newp@$newv")
  done < <(gomod_replaces "$gomod")
}

declare -A TIMES=()

# ---------------------------------------------------------------- OpenTofu
build_tofu() {
  local stage wrap
  new_tmp stage tofu; new_tmp wrap tofu-wrap
  log "building OpenTofu $TOFU_VERSION"
  new_wrapper "$wrap" github.com/opentofu/opentofu "$TOFU_VERSION" >/dev/null
  (cd "$wrap" \
    && go get github.com/opentofu/opentofu/cmd/tofu@"$TOFU_VERSION" \
    && go build -ldflags="$LDFLAGS_BASE -X github.com/opentofu/opentofu/version.dev=no" \
         -o "$stage/bin/tofu" github.com/opentofu/opentofu/cmd/tofu)
  "$stage/bin/tofu" version >&2
  publish "$stage" "$TOFU_DIR"
}

# ---------------------------------------------------------------- k8s.io/kubernetes commands
# kube_wrapper DIR: a wrapper module for k8s.io/kubernetes KUBE_VERSION. k8s.io/kubernetes points
# its staging modules (required at v0.0.0) at ./staging/src/...; map each one that it requires to
# the matching published tag (v0.<minor>.<patch>) instead.
kube_wrapper() {
  local wrap=$1 staging_ver="v0.${KUBE_VERSION#v1.}" p v
  new_wrapper "$wrap" k8s.io/kubernetes "$KUBE_VERSION" >/dev/null
  while read -r p v; do
    [[ $p == k8s.io/* && $v == v0.0.0 ]] || continue
    (cd "$wrap" && go mod edit -require="$p@$staging_ver" -replace="$p@v0.0.0=$p@$staging_ver")
  done < <(gomod_requires "$(gomod_path k8s.io/kubernetes "$KUBE_VERSION")")
}

# kube_build WRAP STAGE CMD...: build k8s.io/kubernetes/cmd/CMD into STAGE/bin for each CMD,
# with the version stamped the way the release build does it
kube_build() {
  local wrap=$1 stage=$2 minor x cmd ldflags="$LDFLAGS_BASE"
  shift 2
  minor=${KUBE_VERSION#v1.}; minor=${minor%%.*}
  for x in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $x.gitVersion=$KUBE_VERSION -X $x.gitMajor=1 -X $x.gitMinor=$minor -X $x.gitTreeState=clean"
  done
  for cmd in "$@"; do
    (cd "$wrap" && go get "k8s.io/kubernetes/cmd/$cmd@$KUBE_VERSION")
  done
  for cmd in "$@"; do
    (cd "$wrap" && go build -ldflags="$ldflags" -o "$stage/bin/$cmd" "k8s.io/kubernetes/cmd/$cmd")
  done
}

# kube-apiserver + kube-controller-manager + kubectl
build_kube() {
  local stage wrap
  new_tmp stage kubernetes; new_tmp wrap kubernetes-wrap
  log "building kube-apiserver, kube-controller-manager, kubectl $KUBE_VERSION (staging modules v0.${KUBE_VERSION#v1.})"
  kube_wrapper "$wrap"
  kube_build "$wrap" "$stage" kube-apiserver kube-controller-manager kubectl
  "$stage/bin/kube-apiserver" --version >&2
  publish "$stage" "$KUBE_DIR"
}

# kube-scheduler: its own component so that adding it leaves the kubernetes-<ver> cache valid
build_kube_scheduler() {
  local stage wrap
  new_tmp stage kube-scheduler; new_tmp wrap kube-scheduler-wrap
  log "building kube-scheduler $KUBE_VERSION (staging modules v0.${KUBE_VERSION#v1.})"
  kube_wrapper "$wrap"
  kube_build "$wrap" "$stage" kube-scheduler
  "$stage/bin/kube-scheduler" --version >&2
  publish "$stage" "$SCHED_DIR"
}

# ---------------------------------------------------------------- etcd
build_etcd() {
  local stage wrap
  new_tmp stage etcd; new_tmp wrap etcd-wrap
  log "building etcd $ETCD_VERSION"
  # server/v3's own replaces point at sibling directories (../api, ...); its requirements
  # already name the published modules at the same version, so they are simply dropped.
  new_wrapper "$wrap" go.etcd.io/etcd/server/v3 "$ETCD_VERSION" >/dev/null
  (cd "$wrap" \
    && go get go.etcd.io/etcd/server/v3@"$ETCD_VERSION" \
    && go build -ldflags="$LDFLAGS_BASE" -o "$stage/bin/etcd" go.etcd.io/etcd/server/v3)
  "$stage/bin/etcd" --version >&2
  publish "$stage" "$ETCD_DIR"
}

# ---------------------------------------------------------------- CRDs (Kueue, Multus)
# copy_crds SRC... DEST: copy each CRD manifest into DEST (module cache files are read-only)
copy_crds() {
  local dest=${*: -1} f
  for f in "${@:1:$#-1}"; do
    grep -q '^kind: CustomResourceDefinition' "$f" || { echo "$f is not a CustomResourceDefinition" >&2; return 1; }
    install -m 0644 "$f" "$dest/"
  done
}

build_crds() {
  local stage kueue_src nad_src
  new_tmp stage crds
  log "copying the CRDs of sigs.k8s.io/kueue@$KUEUE_VERSION and $NAD_MODULE@$NAD_VERSION"
  kueue_src="$(gomod_field Dir sigs.k8s.io/kueue "$KUEUE_VERSION")"
  nad_src="$(gomod_field Dir "$NAD_MODULE" "$NAD_VERSION")"
  [[ -d $kueue_src && -d $nad_src ]] || { echo "cannot download the CRDs' modules" >&2; return 1; }
  mkdir -p "$stage/kueue" "$stage/multus"
  local kueue_crds=("$kueue_src"/config/components/crd/bases/*.yaml)
  [[ -f ${kueue_crds[0]} ]] || { echo "no CRDs in $kueue_src/config/components/crd/bases" >&2; return 1; }
  copy_crds "${kueue_crds[@]}" "$stage/kueue"
  copy_crds "$nad_src/artifacts/networks-crd.yaml" "$stage/multus"
  (cd "$stage" && {
    echo "# Copied by scripts/bootstrap-toolchain.sh from the Go module cache, unchanged:"
    echo "# kueue/  <- sigs.k8s.io/kueue@$KUEUE_VERSION config/components/crd/bases/*.yaml"
    echo "# multus/ <- $NAD_MODULE@$NAD_VERSION artifacts/networks-crd.yaml"
    sha256sum kueue/*.yaml multus/*.yaml
  } >SOURCE.tmp && mv SOURCE.tmp SOURCE)
  log "$(find "$stage/kueue" -name '*.yaml' | wc -l) Kueue CRDs, 1 NetworkAttachmentDefinition CRD"
  publish "$stage" "$CRDS_DIR"
}

# ---------------------------------------------------------------- kwok
build_kwok() {
  local stage wrap
  new_tmp stage kwok; new_tmp wrap kwok-wrap
  log "building kwok $KWOK_VERSION"
  new_wrapper "$wrap" sigs.k8s.io/kwok "$KWOK_VERSION" >/dev/null
  (cd "$wrap" \
    && go get sigs.k8s.io/kwok/cmd/kwok@"$KWOK_VERSION" \
    && go build -ldflags="$LDFLAGS_BASE -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v}" \
         -o "$stage/bin/kwok" sigs.k8s.io/kwok/cmd/kwok)
  "$stage/bin/kwok" --version >&2
  publish "$stage" "$KWOK_DIR"
}

# ---------------------------------------------------------------- Kueue manager
build_kueue() {
  local stage wrap
  new_tmp stage kueue; new_tmp wrap kueue-wrap
  log "building the Kueue manager $KUEUE_VERSION"
  new_wrapper "$wrap" sigs.k8s.io/kueue "$KUEUE_VERSION" >/dev/null
  (cd "$wrap" \
    && go get sigs.k8s.io/kueue/cmd/kueue@"$KUEUE_VERSION" \
    && go build -ldflags="$LDFLAGS_BASE -X sigs.k8s.io/kueue/pkg/version.GitVersion=$KUEUE_VERSION" \
         -o "$stage/bin/kueue" sigs.k8s.io/kueue/cmd/kueue)
  # it has no --version; --help proves that it starts and parses its flags
  "$stage/bin/kueue" --help >/dev/null 2>&1 || { echo "kueue --help failed" >&2; return 1; }
  publish "$stage" "$KUEUE_DIR"
}

# ---------------------------------------------------------------- kubernetes provider
# (a) GPU_CAMPUS_KUBERNETES_PROVIDER_BIN into the filesystem mirror. There is no build from
# source: the provider's go.mod has no /v2, so the Go module proxy cannot serve its v2 tags.
build_kprov() {
  local stage bin host
  new_tmp stage kprov
  bin="$stage/build/terraform-provider-kubernetes_v$KPROV_VERSION"
  mkdir -p "$stage/build"
  log "installing provider binary $GPU_CAMPUS_KUBERNETES_PROVIDER_BIN"
  cp "$GPU_CAMPUS_KUBERNETES_PROVIDER_BIN" "$bin"
  echo "binary: $GPU_CAMPUS_KUBERNETES_PROVIDER_BIN" >"$stage/SOURCE"
  chmod 0755 "$bin"
  # OpenTofu maps "hashicorp/kubernetes" to registry.opentofu.org; cdktf JSON may name
  # registry.terraform.io explicitly: serve both from the unpacked layout.
  for host in registry.opentofu.org registry.terraform.io; do
    mkdir -p "$stage/mirror/$host/hashicorp/kubernetes/$KPROV_VERSION/$GOOS_ARCH"
    cp "$bin" "$stage/mirror/$host/hashicorp/kubernetes/$KPROV_VERSION/$GOOS_ARCH/"
  done
  rm -rf "$stage/build"
  publish "$stage" "$KPROV_DIR"
}

# provider_config DIR SOURCE: a 1-resource config that needs the provider, for init + validate
provider_config() {
  cat >"$1/main.tf.json" <<EOT
{"terraform":{"required_providers":{"kubernetes":{"source":"$2","version":"$KPROV_VERSION"}}},
 "provider":{"kubernetes":[{}]},
 "resource":{"kubernetes_namespace_v1":{"x":{"metadata":{"name":"x"}}}}}
EOT
}

# (c) check_registry: can an ordinary `tofu init` install the provider from the public registry?
# Records the answer in REGISTRY_CHECK (result, checked, tofu, reason) and fails when it cannot.
check_registry() {
  local dir out rc=0 result=ok reason=""
  [[ -x $TOFU_DIR/bin/tofu ]] || { echo "OpenTofu is not built" >&2; return 1; }
  new_tmp dir registry
  provider_config "$dir" hashicorp/kubernetes
  mkdir -p "$CACHE/tofu-plugin-cache"  # a later check reuses the download
  log "checking the public provider registry for hashicorp/kubernetes $KPROV_VERSION (at most ${REGISTRY_TIMEOUT}s)"
  # an ordinary init: the user's own CLI config, but never this cache's mirror-only tofurc
  out="$(cd "$dir" && if [[ ${TF_CLI_CONFIG_FILE:-} == "$TOFURC" ]]; then unset TF_CLI_CONFIG_FILE; fi \
    && export TF_IN_AUTOMATION=1 TF_PLUGIN_CACHE_DIR="$CACHE/tofu-plugin-cache" \
    && timeout -k 5 "$REGISTRY_TIMEOUT" "$TOFU_DIR/bin/tofu" init -backend=false -input=false -no-color 2>&1 \
    && "$TOFU_DIR/bin/tofu" validate -no-color 2>&1)" || rc=$?
  if ((rc != 0)); then
    result=failed
    if ((rc == 124 || rc == 137)); then
      reason="tofu init did not finish within ${REGISTRY_TIMEOUT}s"
    else
      # the first error's title and paragraph, on one line
      reason="$(awk '/^Error: / && !e { sub(/^Error: /, ""); printf "%s:", $0; e = 1; next }
                     e && NF { printf " %s", $0; n++ } e && !NF && n { exit }' <<<"$out" | tr -s ' ' | cut -c1-400)"
      [[ -n $reason ]] || reason="tofu init/validate exited $rc"
    fi
  fi
  local tmp
  tmp="$(mktemp "$CACHE/.tmp-registry-XXXXXX")"
  printf 'result=%s\nchecked=%s\ntofu=%s\nreason=%s\n' "$result" "$(date +%s)" "$TOFU_VERSION" "${reason//$'\n'/ }" >"$tmp"
  chmod 0644 "$tmp"
  mv -f "$tmp" "$REGISTRY_CHECK"
  rm -rf "$dir"
  [[ $result == ok ]] || { echo "public provider registry: $reason" >&2; return 1; }
  log "tofu init+validate ok with hashicorp/kubernetes $KPROV_VERSION from the public registry"
}

# registry_check_fresh: the last registry check is for this tofu and recent enough to trust
# (24 h when it worked, 15 min when it did not)
registry_check_fresh() {
  local checked result ttl
  result="$(registry_field result)"; checked="$(registry_field checked)"
  [[ $(registry_field tofu) == "$TOFU_VERSION" && $checked =~ ^[0-9]+$ ]] || return 1
  if [[ $result == ok ]]; then ttl=86400; else ttl=900; fi
  (($(date +%s) - checked < ttl))
}

write_tofurc() {
  local tmp
  tmp="$(mktemp "$CACHE/.tmp-tofurc-XXXXXX")"
  cat >"$tmp" <<EOT
# Written by scripts/bootstrap-toolchain.sh: providers come only from the local mirror.
provider_installation {
  filesystem_mirror {
    path    = "$MIRROR"
    include = ["registry.terraform.io/hashicorp/kubernetes", "registry.opentofu.org/hashicorp/kubernetes"]
  }
}
EOT
  chmod 0644 "$tmp"
  mv -f "$tmp" "$TOFURC"
}

write_env_sh() {
  local tmp
  tmp="$(mktemp "$CACHE/.tmp-env-XXXXXX")"
  { echo "# Written by scripts/bootstrap-toolchain.sh; source it."; env_lines; } >"$tmp"
  chmod 0644 "$tmp"
  mv -f "$tmp" "$ENV_SH"
}

# verify_mirror: `tofu init` offline + `tofu validate` for each provider source spelling
verify_mirror() {
  local src dir
  # "kubernetes" is what cdktf writes (terraformProviderSource of @cdktf/provider-kubernetes)
  for src in kubernetes hashicorp/kubernetes registry.terraform.io/hashicorp/kubernetes; do
    new_tmp dir verify
    provider_config "$dir" "$src"
    (cd "$dir" && TF_CLI_CONFIG_FILE="$TOFURC" TF_IN_AUTOMATION=1 \
      "$TOFU_DIR/bin/tofu" init -backend=false -input=false -no-color >/dev/null \
      && TF_CLI_CONFIG_FILE="$TOFURC" "$TOFU_DIR/bin/tofu" validate -no-color >/dev/null) \
      || { echo "tofu init/validate with source $src failed" >&2; return 1; }
    log "tofu init+validate ok for source \"$src\""
    rm -rf "$dir"
  done
}

FAILED=()
# in_subshell FN: run FN in a subshell with errexit in force and its own cleanup; its exit
# status in SUB_RC. Call it as a plain command: in an `if` or `||` errexit would be ignored
# inside FN too.
in_subshell() {
  set +e
  (trap cleanup EXIT; trap 'exit 130' INT TERM; set -e; "$1")
  SUB_RC=$?
  set -e
}

# run_component NAME DIR BUILD_FN FILE...: build unless every FILE exists
run_component() {
  local name=$1 dir=$2 fn=$3 start=$SECONDS rc
  shift 3
  if present "$@"; then
    log "$name: cached at $dir"
    TIMES[$name]=cached
    return 0
  fi
  in_subshell "$fn"
  rc=$SUB_RC
  if ((rc == 0)); then
    TIMES[$name]="$((SECONDS - start))s"
    log "$name: built in ${TIMES[$name]}"
  else
    TIMES[$name]="FAILED after $((SECONDS - start))s"
    FAILED+=("$name")
    log "$name: BUILD FAILED (exit $rc)"
  fi
}

# provider: (a) install the named binary, (b) use the cached mirror, (c) check the public registry
get_provider() {
  local name=terraform-provider-kubernetes start=$SECONDS
  if present "${KPROV_FILES[@]}" || [[ -n ${GPU_CAMPUS_KUBERNETES_PROVIDER_BIN:-} ]]; then
    run_component "$name" "$KPROV_DIR" build_kprov "${KPROV_FILES[@]}"
    return 0
  fi
  local result
  if registry_check_fresh; then
    result="$(registry_field result)"
    TIMES[$name]="$result (public registry, checked $(checked_at))"
  else
    in_subshell check_registry
    if ((SUB_RC == 0)); then result=ok; else result=failed; fi
    TIMES[$name]="$result (public registry, checked in $((SECONDS - start))s)"
  fi
  if [[ $result != ok ]]; then
    FAILED+=("$name")
    provider_state
    log "$name: $KPROV_MISSING"
  fi
}

run_component tofu "$TOFU_DIR" build_tofu "${TOFU_FILES[@]}"
if ((WITH_PROVIDER)); then
  get_provider
else
  TIMES[terraform-provider-kubernetes]="not requested (--without-provider)"
fi
run_component etcd "$ETCD_DIR" build_etcd "${ETCD_FILES[@]}"
run_component kubernetes "$KUBE_DIR" build_kube "${KUBE_FILES[@]}"
run_component crds "$CRDS_DIR" build_crds "${CRDS_FILES[@]}"
if ((WITH_TWIN)); then
  run_component kube-scheduler "$SCHED_DIR" build_kube_scheduler "${SCHED_FILES[@]}"
  run_component kwok "$KWOK_DIR" build_kwok "${KWOK_FILES[@]}"
  run_component kueue "$KUEUE_DIR" build_kueue "${KUEUE_FILES[@]}"
else
  for name in kube-scheduler kwok kueue; do TIMES[$name]="not requested (--with-twin)"; done
fi

if present "${KPROV_FILES[@]}"; then
  write_tofurc
  if [[ $VERIFY == 1 && -x $TOFU_DIR/bin/tofu && ! -f $KPROV_DIR/.verified-tofu-$TOFU_VERSION ]]; then
    in_subshell verify_mirror
    if ((SUB_RC == 0)); then touch "$KPROV_DIR/.verified-tofu-$TOFU_VERSION"; else FAILED+=(mirror-verify); fi
  fi
else
  rm -f "$TOFURC"  # no mirror-only config without a mirror: tofu init goes to the registry
fi
write_env_sh

for name in tofu terraform-provider-kubernetes etcd kubernetes crds kube-scheduler kwok kueue; do
  log "$(printf '%-30s %s' "$name" "${TIMES[$name]:-?}")"
done
env_lines
if ((${#FAILED[@]})); then
  log "FAILED: ${FAILED[*]}"
  exit 1
fi
