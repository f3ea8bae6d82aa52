# Shell helpers shared by the HTTP bench scripts (sourced, not run).

# wait_ready URL PID NAME [SECONDS=120]: until URL answers; stops the run if the process died (a
# port still held by a previous run's server, draining, is the usual cause) or after SECONDS.
wait_ready() {
  local url=$1 pid=$2 name=$3 deadline=$((SECONDS + ${4:-120}))
  until curl -sf "$url" >/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name exited before answering $url (port in use?)" >&2
      exit 1
    fi
    if ((SECONDS > deadline)); then
      echo "$name did not answer $url within ${4:-120} s" >&2
      exit 1
    fi
    sleep 0.01
  done
}
