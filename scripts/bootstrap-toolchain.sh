#!/usr/bin/env bash
# Builds the toolchain that the project's e2e checks need, from source, with
# `go build` through the Go module proxy, into a cache OUTSIDE the repository:
#
#   ${GPU_CAMPUS_CACHE:-$HOME/.cache/gpu-campus}/
#     tofu-<ver>/bin/tofu                         OpenTofu CLI
#     kubernetes-<ver>/bin/{kube-apiserver,kube-controller-manager,kubectl}
#     etcd-<ver>/bin/etcd
#     terraform-provider-kubernetes-<ver>/mirror/  filesystem mirror (unpacked
#                                                   layout, both registry hosts)
#     tofurc                                        CLI config: mirror only, no direct
#     env.sh                                        `source` it for the variables
#
# Usage:
#   scripts/bootstrap-toolchain.sh              build what is missing, then print env lines
#   scripts/bootstrap-toolchain.sh --print-env  print env lines only; exit 1 if anything is missing
#   scripts/bootstrap-toolchain.sh --no-verify  skip the tofu init/validate smoke test
#   scripts/bootstrap-toolchain.sh --without-provider
#                                              everything but the kubernetes provider (which the
#                                              Go module proxy here does not serve, see README);
#                                              with --print-env, succeed without it too
#
# Every component is built in a temporary directory beside the cache and renamed
# into place only on success, so an interrupted run never leaves a half cache and
# a second run is a no-op. Versions are pinned in scripts/toolchain-versions.env (sourced
# here; TypeScript and CI read the same file); bumping one builds a new
# <component>-<version> directory.
#
# Environment:
#   GPU_CAMPUS_CACHE                       cache root (default ~/.cache/gpu-campus)
#   GPU_CAMPUS_KUBERNETES_PROVIDER_BIN     install this prebuilt terraform-provider-kubernetes
#                                          (default: ../shared/toolchain/terraform-provider-kubernetes_v2.38.0
#                                          beside the repository, when that file exists)
#                                          binary into the mirror instead of building it
#   GPU_CAMPUS_KUBERNETES_PROVIDER_GOVERSION
#                                          Go module version (e.g. a pseudo-version) of
#                                          github.com/hashicorp/terraform-provider-kubernetes
#                                          that corresponds to provider release KPROV_VERSION
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/toolchain-versions.env
source "$SCRIPT_DIR/toolchain-versions.env"
for v in TOFU_VERSION ETCD_VERSION KUBE_VERSION KPROV_VERSION; do
  [[ -n ${!v:-} ]] || { echo "$SCRIPT_DIR/toolchain-versions.env does not set $v" >&2; exit 2; }
done
KPROV_MODULE=github.com/hashicorp/terraform-provider-kubernetes
# A provider binary handed over beside the repository (the project's shared folder) is used when
# no other is named: the Go module proxy here does not serve the provider's v2 releases.
SHARED_KPROV="$(cd "$SCRIPT_DIR/.." && pwd)/../shared/toolchain/terraform-provider-kubernetes_v$KPROV_VERSION"
if [[ -z ${GPU_CAMPUS_KUBERNETES_PROVIDER_BIN:-} && -f $SHARED_KPROV ]]; then
  GPU_CAMPUS_KUBERNETES_PROVIDER_BIN=$SHARED_KPROV
fi

CACHE="${GPU_CAMPUS_CACHE:-$HOME/.cache/gpu-campus}"
TOFU_DIR="$CACHE/tofu-$TOFU_VERSION"
KUBE_DIR="$CACHE/kubernetes-$KUBE_VERSION"
ETCD_DIR="$CACHE/etcd-$ETCD_VERSION"
KPROV_DIR="$CACHE/terraform-provider-kubernetes-$KPROV_VERSION"
MIRROR="$KPROV_DIR/mirror"
TOFURC="$CACHE/tofurc"
ENV_SH="$CACHE/env.sh"

MODE=build
VERIFY=1
WITH_PROVIDER=1
for arg in "$@"; do
  case "$arg" in
    --print-env) MODE=print ;;
    --no-verify) VERIFY=0 ;;
    --without-provider) WITH_PROVIDER=0 ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

log() { printf '[bootstrap] %s\n' "$*" >&2; }

env_lines() {
  printf 'export GPU_CAMPUS_TOFU=%q\n' "$TOFU_DIR/bin/tofu"
  [[ -f $TOFURC ]] && printf 'export TF_CLI_CONFIG_FILE=%q\n' "$TOFURC"
  printf 'export GPU_CAMPUS_KUBE_APISERVER=%q\n' "$KUBE_DIR/bin/kube-apiserver"
  printf 'export GPU_CAMPUS_KUBE_CONTROLLER_MANAGER=%q\n' "$KUBE_DIR/bin/kube-controller-manager"
  printf 'export GPU_CAMPUS_KUBECTL=%q\n' "$KUBE_DIR/bin/kubectl"
  printf 'export GPU_CAMPUS_ETCD=%q\n' "$ETCD_DIR/bin/etcd"
}

# Files that make each component complete (a directory missing one is rebuilt).
TOFU_FILES=("$TOFU_DIR/bin/tofu")
KUBE_FILES=("$KUBE_DIR/bin/kube-apiserver" "$KUBE_DIR/bin/kube-controller-manager" "$KUBE_DIR/bin/kubectl")
ETCD_FILES=("$ETCD_DIR/bin/etcd")
KPROV_FILES=("$MIRROR/registry.opentofu.org/hashicorp/kubernetes/$KPROV_VERSION"
             "$MIRROR/registry.terraform.io/hashicorp/kubernetes/$KPROV_VERSION")

present() { local f; for f in "$@"; do [[ -e $f ]] || return 1; done; }

all_present() {
  present "${TOFU_FILES[@]}" "${KUBE_FILES[@]}" "${ETCD_FILES[@]}" "$ENV_SH" || return 1
  ((WITH_PROVIDER == 0)) || present "${KPROV_FILES[@]}" "$TOFURC"
}

if [[ $MODE == print ]]; then
  if all_present; then env_lines; exit 0; fi
  echo "gpu-campus toolchain is not (fully) built in $CACHE; run scripts/bootstrap-toolchain.sh" >&2
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

# gomod_path MODULE VERSION: path of that module's go.mod in the module cache
gomod_path() {
  go mod download -json "$1@$2" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p'
}

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

# ---------------------------------------------------------------- kube-apiserver + kubectl
build_kube() {
  local stage wrap staging_ver p v
  new_tmp stage kubernetes; new_tmp wrap kubernetes-wrap
  staging_ver="v0.${KUBE_VERSION#v1.}"
  log "building kube-apiserver, kube-controller-manager, kubectl $KUBE_VERSION (staging modules $staging_ver)"
  # k8s.io/kubernetes points its staging modules (required at v0.0.0) at ./staging/src/...;
  # map each one that it requires to the matching published tag instead.
  new_wrapper "$wrap" k8s.io/kubernetes "$KUBE_VERSION" >/dev/null
  while read -r p v; do
    [[ $p == k8s.io/* && $v == v0.0.0 ]] || continue
    (cd "$wrap" && go mod edit -require="$p@$staging_ver" -replace="$p@v0.0.0=$p@$staging_ver")
  done < <(gomod_requires "$(gomod_path k8s.io/kubernetes "$KUBE_VERSION")")
  local minor=${KUBE_VERSION#v1.}; minor=${minor%%.*}
  local x ldflags="$LDFLAGS_BASE"
  for x in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $x.gitVersion=$KUBE_VERSION -X $x.gitMajor=1 -X $x.gitMinor=$minor -X $x.gitTreeState=clean"
  done
  local cmd
  for cmd in kube-apiserver kube-controller-manager kubectl; do
    (cd "$wrap" && go get "k8s.io/kubernetes/cmd/$cmd@$KUBE_VERSION")
  done
  for cmd in kube-apiserver kube-controller-manager kubectl; do
    (cd "$wrap" && go build -ldflags="$ldflags" -o "$stage/bin/$cmd" "k8s.io/kubernetes/cmd/$cmd")
  done
  "$stage/bin/kube-apiserver" --version >&2
  publish "$stage" "$KUBE_DIR"
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

# ---------------------------------------------------------------- kubernetes provider mirror
build_kprov() {
  local stage bin host
  new_tmp stage kprov
  bin="$stage/build/terraform-provider-kubernetes_v$KPROV_VERSION"
  mkdir -p "$stage/build"
  if [[ -n ${GPU_CAMPUS_KUBERNETES_PROVIDER_BIN:-} ]]; then
    log "installing provider binary $GPU_CAMPUS_KUBERNETES_PROVIDER_BIN"
    cp "$GPU_CAMPUS_KUBERNETES_PROVIDER_BIN" "$bin"
    echo "binary: $GPU_CAMPUS_KUBERNETES_PROVIDER_BIN" >"$stage/SOURCE"
  else
    # The provider's go.mod says `module github.com/hashicorp/terraform-provider-kubernetes`
    # (no /v2), so its v2.x tags are not valid Go module versions; only a pseudo-version
    # of the tagged commit can name it.
    local gover=${GPU_CAMPUS_KUBERNETES_PROVIDER_GOVERSION:-v$KPROV_VERSION}
    local wrap
    new_tmp wrap kprov-wrap
    log "building $KPROV_MODULE@$gover"
    if ! new_wrapper "$wrap" "$KPROV_MODULE" "$gover" >/dev/null; then
      echo "the Go module proxy does not serve $KPROV_MODULE@$gover; set" \
        "GPU_CAMPUS_KUBERNETES_PROVIDER_GOVERSION (pseudo-version of the v$KPROV_VERSION tag)" \
        "or GPU_CAMPUS_KUBERNETES_PROVIDER_BIN" >&2
      return 1
    fi
    (cd "$wrap" && go get "$KPROV_MODULE@$gover" \
      && go build -ldflags="$LDFLAGS_BASE" -o "$bin" "$KPROV_MODULE")
    echo "go module: $KPROV_MODULE@$gover" >"$stage/SOURCE"
  fi
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

write_tofurc() {
  local tmp
  tmp="$(mktemp "$CACHE/.tmp-tofurc-XXXXXX")"
  cat >"$tmp" <<EOF
# Written by scripts/bootstrap-toolchain.sh: providers come only from the local mirror.
provider_installation {
  filesystem_mirror {
    path    = "$MIRROR"
    include = ["registry.terraform.io/hashicorp/kubernetes", "registry.opentofu.org/hashicorp/kubernetes"]
  }
}
EOF
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
    cat >"$dir/main.tf.json" <<EOF
{"terraform":{"required_providers":{"kubernetes":{"source":"$src","version":"$KPROV_VERSION"}}},
 "provider":{"kubernetes":[{}]},
 "resource":{"kubernetes_namespace_v1":{"x":{"metadata":{"name":"x"}}}}}
EOF
    (cd "$dir" && TF_CLI_CONFIG_FILE="$TOFURC" TF_IN_AUTOMATION=1 \
      "$TOFU_DIR/bin/tofu" init -backend=false -input=false -no-color >/dev/null \
      && TF_CLI_CONFIG_FILE="$TOFURC" "$TOFU_DIR/bin/tofu" validate -no-color >/dev/null) \
      || { echo "tofu init/validate with source $src failed" >&2; return 1; }
    log "tofu init+validate ok for source \"$src\""
    rm -rf "$dir"
  done
}

FAILED=()
# run_component NAME DIR BUILD_FN FILE...: build unless every FILE exists. The build runs in
# a subshell with errexit in force (it would be ignored in an `if` condition) and its own cleanup.
run_component() {
  local name=$1 dir=$2 fn=$3 start=$SECONDS rc
  shift 3
  if present "$@"; then
    log "$name: cached at $dir"
    TIMES[$name]=cached
    return 0
  fi
  set +e
  (trap cleanup EXIT; trap 'exit 130' INT TERM; set -e; "$fn")
  rc=$?
  set -e
  if ((rc == 0)); then
    TIMES[$name]="$((SECONDS - start))s"
    log "$name: built in ${TIMES[$name]}"
  else
    TIMES[$name]="FAILED after $((SECONDS - start))s"
    FAILED+=("$name")
    log "$name: BUILD FAILED (exit $rc)"
  fi
}

run_component tofu "$TOFU_DIR" build_tofu "${TOFU_FILES[@]}"
if ((WITH_PROVIDER)); then
  run_component terraform-provider-kubernetes "$KPROV_DIR" build_kprov "${KPROV_FILES[@]}"
else
  TIMES[terraform-provider-kubernetes]="not requested (--without-provider)"
fi
run_component etcd "$ETCD_DIR" build_etcd "${ETCD_FILES[@]}"
run_component kubernetes "$KUBE_DIR" build_kube "${KUBE_FILES[@]}"

if present "${KPROV_FILES[@]}"; then
  write_tofurc
  if [[ $VERIFY == 1 && -x $TOFU_DIR/bin/tofu && ! -f $KPROV_DIR/.verified-tofu-$TOFU_VERSION ]]; then
    set +e
    (trap cleanup EXIT; trap 'exit 130' INT TERM; set -e; verify_mirror)
    rc=$?
    set -e
    if ((rc == 0)); then touch "$KPROV_DIR/.verified-tofu-$TOFU_VERSION"; else FAILED+=(mirror-verify); fi
  fi
fi
write_env_sh

for name in tofu terraform-provider-kubernetes etcd kubernetes; do
  log "$(printf '%-30s %s' "$name" "${TIMES[$name]:-?}")"
done
env_lines
if ((${#FAILED[@]})); then
  log "FAILED: ${FAILED[*]}"
  exit 1
fi
