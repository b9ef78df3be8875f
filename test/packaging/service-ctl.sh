#!/bin/sh
# A stand-in for systemctl in the packaging tests (no systemd in the test container): start and stop the agent
# installed under $ROOT as a plain process, the way the unit's ExecStart and KillSignal=SIGTERM do.
#   service-ctl.sh start|stop xpears-agent
set -u
PIDFILE="$ROOT/agent.pid"
case "$1" in
  start)
    # Idempotent, like systemctl start: a running agent is left alone.
    if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then exit 0; fi
    setsid "$ROOT/opt/xpears-agent/current/bin/xpears-agent" start --config "$ROOT/etc/xpears-agent/agent.yaml" \
      >>"$ROOT/agent.log" 2>&1 </dev/null &
    echo $! > "$PIDFILE" ;;
  stop)
    [ -f "$PIDFILE" ] || exit 0
    pid=$(cat "$PIDFILE")
    kill -TERM "$pid" 2>/dev/null || { rm -f "$PIDFILE"; exit 0; }
    i=0
    while kill -0 "$pid" 2>/dev/null; do
      i=$((i + 1))
      [ "$i" -gt 600 ] && { kill -KILL "$pid"; break; }
      sleep 0.1
    done
    rm -f "$PIDFILE" ;;
  *) echo "usage: service-ctl.sh start|stop xpears-agent" >&2; exit 2 ;;
esac
