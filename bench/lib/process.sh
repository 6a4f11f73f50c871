# Process helpers shared by the benchmarks (sourced).

# Stops a daemon: TERM, up to 15 s for it to go, then KILL. A pid that is empty or gone is not an error.
stop_pid() {
  local pid="$1"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

# Resident memory of a process in KiB (0 when it is gone).
vm_rss_kib() {
  awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0
}

# median_of_words: the median of the whitespace-separated numbers on stdin (rounds' times collected in one string).
median_of_words() {
  tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'
}
