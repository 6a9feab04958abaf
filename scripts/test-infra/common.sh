# Shared helpers for the test-infra scripts (sourced, not executed).
# A daemon started with `setsid … &` by a shell that exits is re-parented to PID 1, which on some machines reaps
# zombies only every few seconds: `kill -0` keeps succeeding on the zombie, so "alive" also checks /proc state.
alive() { [ -n "${1:-}" ] && [ -e "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
pid_alive() { local f=$1; [ -s "$f" ] && alive "$(cat "$f")"; }
# wait_for N CMD...: poll CMD every 0.2 s up to N times; the last try runs visibly so its error is shown.
wait_for() { local n=$1; shift; for _ in $(seq "$n"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done; "$@"; }
# stop_pidfile FILE: SIGTERM the PID in FILE, SIGKILL after 10 s, remove FILE.
stop_pidfile() {
  local f=$1 p
  [ -s "$f" ] || { rm -f "$f"; return 0; }
  p=$(cat "$f")
  if alive "$p"; then
    kill -TERM "$p" 2>/dev/null || true
    for _ in $(seq 100); do alive "$p" || break; sleep 0.1; done
    alive "$p" && kill -KILL "$p" 2>/dev/null || true
  fi
  rm -f "$f"
}
