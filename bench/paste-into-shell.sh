#!/usr/bin/env bash
# Pastes one long line into mailwire's shell in a tmux terminal and times it, from the paste to the
# server's reply (read from the session's recording), in milliseconds, written to ELAPSED_FILE.
# Usage: paste-into-shell.sh NODE BIN TARGET SIZE ELAPSED_FILE
set -euo pipefail
node=$1 bin=$2 target=$3 size=$4 elapsed=$5
dir=$(mktemp -d)
socket="mailwire-bench-$$"
tmux_() { tmux -L "$socket" -f /dev/null "$@"; }
trap 'tmux_ kill-server 2>/dev/null || true; rm -rf "$dir"' EXIT
tmux_ new-session -d -x 160 -y 50 -s mw \
  "env -i PATH='$PATH' LANG=C.UTF-8 TERM=xterm-256color HOME='$dir' '$node' '$bin' '$target' --record '$dir/rec.txt'"
wait_for() { # pattern, tries of 10 ms
  for _ in $(seq "$2"); do grep -q "$1" "$dir/rec.txt" 2>/dev/null && return 0; sleep 0.01; done
  echo "never saw $1" >&2; exit 1
}
wait_for '^S: \* OK' 1000
sleep 0.2 # the prompt is drawn after the greeting
printf 'NOOP %*s' "$((size - 5))" '' | tr ' ' x | sed 's/^NOOPx/NOOP /' >"$dir/line"
tmux_ load-buffer -b line "$dir/line"
start=$(date +%s%N)
tmux_ paste-buffer -d -b line -t mw
tmux_ send-keys -t mw Enter
wait_for '^S: A001 ' 100000
end=$(date +%s%N)
echo $(((end - start) / 1000000)) >"$elapsed"
tmux_ send-keys -t mw C-d
for _ in $(seq 500); do tmux_ has-session -t mw 2>/dev/null || break; sleep 0.01; done
