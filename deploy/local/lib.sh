# shellcheck shell=bash
# Helpers shared by the deploy/local scripts; source it after setting LOG_TAG.
log() { printf '[%s] %s\n' "${LOG_TAG:-local}" "$*"; }
die() { printf '[%s] ERROR: %s\n' "${LOG_TAG:-local}" "$*" >&2; exit 1; }

# Root is needed only for apt; a warm rerun works for any user without sudo.
as_root() {
  if ((EUID == 0)); then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    die "need root (or sudo) for: $*"
  fi
}
apt_get() { as_root env DEBIAN_FRONTEND=noninteractive apt-get -q "$@"; }
