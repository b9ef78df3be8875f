#!/bin/sh
# Installs (or upgrades in place) the xpears agent from this unpacked tarball:
#   sudo ./install.sh            install under /opt/xpears-agent/<version>, register and start the systemd service
#   ./install.sh --root DIR      the same into a temporary root, without user or systemd (tests; needs
#                                XPEARS_AGENT_SERVICE_CTL to start and stop the agent)
# An older version already installed is replaced through xpears-agent-upgrade (stop, migrate, start, health check,
# roll back when the new one is not healthy). Configuration: /etc/xpears-agent/agent.yaml; data: /var/lib/xpears-agent.
set -eu
SRC=$(cd "$(dirname "$0")" && pwd)
ROOT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --root) ROOT=$2; shift 2 ;;
    *) echo "usage: install.sh [--root DIR]" >&2; exit 2 ;;
  esac
done
export ROOT
VERSION=$(cat "$SRC/share/VERSION")
OPT="$ROOT/opt/xpears-agent"; ETC="$ROOT/etc/xpears-agent"; DATA="$ROOT/var/lib/xpears-agent"
# The service: XPEARS_AGENT_SERVICE_CTL when set (the tests), systemctl when systemd runs this system, else none
# (a chroot, an image build: the service starts with the system).
if [ -n "${XPEARS_AGENT_SERVICE_CTL:-}" ]; then CTL=$XPEARS_AGENT_SERVICE_CTL
elif [ -z "$ROOT" ] && [ -d /run/systemd/system ]; then CTL=systemctl
else CTL=""
fi
NEW="$OPT/$VERSION"
log() { echo "xpears-agent install: $*"; }

mkdir -p "$OPT" "$ETC" "$DATA"
chmod 750 "$ETC"; chmod 700 "$DATA"
rm -rf "$NEW.partial"
cp -a "$SRC" "$NEW.partial"
rm -f "$NEW.partial/install.sh"
rm -rf "$NEW"
mv "$NEW.partial" "$NEW"
# An enrolled package carries its configuration and one-time token: used only when none is installed yet.
if [ ! -f "$ETC/agent.yaml" ] && [ -f "$SRC/share/enrolment/agent.yaml" ]; then
  install -m 640 "$SRC/share/enrolment/agent.yaml" "$ETC/agent.yaml"
  install -m 600 "$SRC/share/enrolment/token" "$ETC/token"
fi
[ -f "$ETC/agent.yaml" ] || install -m 640 "$SRC/share/agent.yaml.example" "$ETC/agent.yaml.example"

if [ -z "$ROOT" ]; then
  id xpears-agent >/dev/null 2>&1 || useradd --system --home-dir /var/lib/xpears-agent --shell /usr/sbin/nologin xpears-agent
  chown -R xpears-agent:xpears-agent "$DATA"
  chgrp -R xpears-agent "$ETC"
  install -m 644 "$SRC/share/xpears-agent.service" /etc/systemd/system/xpears-agent.service
  if [ "$CTL" = systemctl ]; then systemctl daemon-reload; fi
  systemctl enable xpears-agent >/dev/null
fi

OLD=""
[ -L "$OPT/current" ] && OLD=$(readlink -f "$OPT/current")
if [ -n "$OLD" ] && [ "$OLD" != "$(readlink -f "$NEW")" ] && [ -d "$OLD" ]; then
  log "upgrading $(cat "$OLD/share/VERSION") -> $VERSION"
  "$NEW/bin/xpears-agent-upgrade" "$OLD" "$NEW" "$VERSION"
  # Keep the running version and the one before it (for a manual rollback); remove older ones.
  for d in "$OPT"/*; do
    case "$(basename "$d")" in current|"$VERSION"|"$(basename "$OLD")") ;; *) [ -d "$d" ] && rm -rf "$d" ;; esac
  done
else
  ln -sfn "$VERSION" "$OPT/current"
  if [ -f "$ETC/agent.yaml" ] && [ -z "$CTL" ]; then
    log "installed $VERSION; systemd is not running here: the service starts with the system"
  elif [ -f "$ETC/agent.yaml" ]; then
    $CTL start xpears-agent
    "$NEW/bin/node" "$NEW/lib/agent.mjs" health --config "$ETC/agent.yaml" --expect-version "$VERSION" --timeout "${XPEARS_AGENT_HEALTH_TIMEOUT:-60}"
  else
    log "installed $VERSION; write $ETC/agent.yaml (see agent.yaml.example), then: systemctl start xpears-agent"
  fi
fi
log "done: $VERSION"
