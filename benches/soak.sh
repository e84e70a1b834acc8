#!/usr/bin/env bash
# shellcheck disable=SC2317 # kill_* and the trap handler are called indirectly
# Soak test of the built tokvault binary: kill -9 storms against every command
# that writes (store, delete, rekey, import-vault, refresh), then many processes
# at once. Nothing may be lost, and a command re-run after a kill must work.
#
#   benches/soak.sh [--small]     --small: 60 kills, 8-way concurrency (for CI)
#   env: TOKVAULT_BIN (default target/release/tokvault), KILLS_PER_OP,
#        SOAK_SEED (replays the same kill delays), SOAK_DELAY_MS (endpoint delay in the storm, 5)
# One line per section; exit 0 only if nothing was lost and nothing failed.
set -euo pipefail
MODE=full
case "${1:-}" in --small) MODE=small ;; "") ;; *) echo "usage: $0 [--small]" >&2 && exit 2 ;; esac
cd "$(dirname "$0")/.."
BIN=${TOKVAULT_BIN:-target/release/tokvault}
[[ -x $BIN ]] || { echo "soak: no tokvault binary at $BIN (cargo build --release, or set TOKVAULT_BIN)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "soak: python3 is needed for the token endpoint" >&2; exit 2; }
BIN=$(realpath "$BIN")
if [[ $MODE == small ]]; then KILLS=${KILLS_PER_OP:-12} CONC=8 ROUNDS=3; else KILLS=${KILLS_PER_OP:-62} CONC=32 ROUNDS=5; fi
[[ $KILLS =~ ^[0-9]+$ ]] || { echo "soak: KILLS_PER_OP must be a number" >&2; exit 2; }
SEED=${SOAK_SEED:-$$}
RANDOM=$SEED
TMO=20 # seconds any one tokvault command may take before it counts as hung

# A clean world: our own home, no inherited vault, key, user, CI or proxy settings.
ROOT=$(mktemp -d "${TMPDIR:-/tmp}/tokvault-soak.XXXXXX")
SERVER_PIDS=()
cleanup() { ((${#SERVER_PIDS[@]} == 0)) || kill "${SERVER_PIDS[@]}" 2>/dev/null || true; rm -rf "$ROOT"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
unset TOKVAULT_DB TOKVAULT_KEY TOKVAULT_KEY_FILE TOKVAULT_NEW_KEY TOKVAULT_USER CI GITHUB_ACTIONS \
  TOKVAULT_HTTP_TIMEOUT TOKVAULT_CONNECT_TIMEOUT http_proxy https_proxy all_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
exec </dev/null # a terminal on stdin would make tokvault prompt
ERR=$ROOT/err   # stderr of the last checked command
IN=$ROOT/in     # stdin of the command being killed

# The token endpoint: answers refresh grants with numbered tokens and never
# revokes one, so a kill after it answered but before the commit loses nothing.
cat >"$ROOT/server.py" <<'EOF'
import base64, http.server, json, os, sys, threading, time, urllib.parse
DELAY = int(os.environ.get("SOAK_DELAY_MS", "0")) / 1000.0
lock, count, issued = threading.Lock(), 0, {"rt-0"}  # rt-0: every vault's initial refresh token

class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args): pass
    def send(self, code, body, ctype="application/json"):
        self.send_response(code)
        for k, v in (("Content-Type", ctype), ("Content-Length", str(len(body)))): self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body.encode())
    def do_GET(self):
        if self.path != "/count": return self.send(404, '{"error":"not_found"}')
        with lock: self.send(200, f"{count}\n", "text/plain")
    def do_POST(self):
        global count
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode())
        one = lambda k: form.get(k, [""])[0]
        who, auth = (one("client_id"), one("client_secret")), self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            who = tuple(map(urllib.parse.unquote, base64.b64decode(auth[6:]).decode().split(":", 1)))
        if self.path != "/token" or one("grant_type") != "refresh_token":
            return self.send(400, '{"error":"unsupported_grant_type"}')
        with lock:
            count += 1
            n, known = count, one("refresh_token") in issued
            issued.add(f"rt-{n}")
        time.sleep(DELAY)
        if who != ("cid", "secret"): return self.send(401, '{"error":"invalid_client"}')
        if not known: return self.send(400, '{"error":"invalid_grant"}')
        self.send(200, json.dumps({"access_token": f"at-{n}", "refresh_token": f"rt-{n}",
                                   "expires_in": 3600, "token_type": "Bearer"}))

class Server(http.server.ThreadingHTTPServer):
    daemon_threads, request_queue_size = True, 128
    def handle_error(self, request, client_address): pass  # clients killed mid-answer are the point

srv = Server(("127.0.0.1", 0), Handler)
with open(sys.argv[1] + ".tmp", "w") as f: f.write(str(srv.server_address[1]))
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
srv.serve_forever()
EOF
start_server() { # start_server DELAY_MS: sets PORT
  local pf=$ROOT/port.$1 n
  SOAK_DELAY_MS=$1 python3 "$ROOT/server.py" "$pf" 2>"$ROOT/server.$1.log" &
  SERVER_PIDS+=("$!")
  for ((n = 0; n < 100; n++)); do [[ -s $pf ]] && break; sleep 0.05; done
  [[ -s $pf ]] || { echo "soak: token endpoint did not start: $(first3 "$ROOT/server.$1.log")" >&2; exit 1; }
  PORT=$(<"$pf")
}
server_count() { # server_count PORT: refresh requests it saw (bash's /dev/tcp: no curl needed)
  exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET /count HTTP/1.0\r\n\r\n' >&3
  tail -n 1 <&3 | tr -d '\r'
  exec 3<&-
}

# ---- bookkeeping -------------------------------------------------------------
FAILS=() LOST=0 KEYS_LOST=0 RERUNS_FAILED=0 RESET=1 CUR=setup ITER=0 VAULTS=0
declare -A EXPECT=() RT=() # EXPECT: name -> what `get` must print; RT: refresh tokens
tv() { timeout -k 2 "$TMO" "$BIN" "$@" 2>"$ERR"; }
first3() { head -n 3 "$1" 2>/dev/null | paste -sd '|' -; }
problem() { FAILS+=("$CUR #$ITER: $1${2:+ [stderr: $2]}"); RESET=1; }
declare -A SEEN=() # credentials already counted as lost in this vault
lost() { # lost NAME MESSAGE: a credential is unreadable or wrong; each counts once
  [[ -v "SEEN[$VAULTS/$1]" ]] || LOST=$((LOST + 1)) SEEN[$VAULTS/$1]=1
  problem "$2" "$(first3 "$ERR")"
}
keys_lost() { KEYS_LOST=$((KEYS_LOST + 1)); problem "$1" "$(first3 "$ERR")"; }

new_vault() { # a fresh home with the default vault and key paths, as a user has them
  if ((VAULTS > 0)); then rm -rf "${ROOT:?}/home$VAULTS"; fi
  VAULTS=$((VAULTS + 1)) RESET=0 EXPECT=() RT=()
  export HOME=$ROOT/home$VAULTS XDG_DATA_HOME=$ROOT/home$VAULTS/data XDG_CONFIG_HOME=$ROOT/home$VAULTS/config
  mkdir -p "$HOME"
  KEYFILE=$XDG_CONFIG_HOME/tokvault/key
}
put() { # put NAME VALUE: an api key, stored to completion
  if tv store "$1" --provider openai --type api_key --secret - <<<"$2" >/dev/null; then EXPECT[$1]=$2
  else problem "setup: store $1 exited $?" "$(first3 "$ERR")"; fi
}
base_vault() { # api keys k1..k4; o1, o2: expired access tokens linked to the client "soak"
  local n
  new_vault
  tv oauth2 add soak --token-url "http://127.0.0.1:$PORT/token" --client-id cid --client-secret - <<<secret \
    >/dev/null || problem "setup: oauth2 add exited $?" "$(first3 "$ERR")"
  for n in k1 k2 k3 k4; do put "$n" "val-$n-$VAULTS"; done
  for n in o1 o2; do
    printf '%s' "at-init-$n" >"$ROOT/at"
    if tv store "$n" --oauth2 soak --refresh-token - --secret-file "$ROOT/at" --expires-at 2020-01-01T00:00:00Z \
      <<<rt-0 >/dev/null; then EXPECT[$n]=at-init-$n RT[$n]=rt-0; else problem "setup: store $n" "$(first3 "$ERR")"; fi
  done
}
read_cred() { # read_cred NAME [ARGS]: sets GOT and GOT_RC, never refreshing
  if GOT=$(tv get "$1" --no-refresh --allow-expired "${@:2}"); then GOT_RC=0; else GOT_RC=$?; fi
}
expect_all() { # expect_all [SKIP...]: every known credential but SKIP reads its value
  local name
  for name in "${!EXPECT[@]}"; do
    [[ " $* " == *" $name "* ]] && continue
    read_cred "$name"
    [[ $GOT_RC == 0 && $GOT == "${EXPECT[$name]}" ]] && continue
    lost "$name" "untouched $name reads '$GOT' (exit $GOT_RC), expected '${EXPECT[$name]}'"
    unset "EXPECT[$name]" # reported once; the vault is replaced before the next kill
  done
  # No kill may leave the audit log with a broken chain.
  tv audit --verify >/dev/null || problem "audit --verify failed" "$(first3 "$ERR")"
}
touched() { # touched NAME ALLOWED...: it reads as one of ALLOWED ("" = absent)
  local v
  read_cred "$1"
  for v in "${@:2}"; do
    if [[ -z $v && $GOT_RC == 3 ]] || [[ -n $v && $GOT_RC == 0 && $GOT == "$v" ]]; then return 0; fi
  done
  lost "$1" "$1 reads '$GOT' (exit $GOT_RC), expected one of: $(printf "'%s' " "${@:2}")"
}
rerun() { # rerun OK_CODES ARGS...: the killed command again, to completion
  local rc=0
  tv "${@:2}" >/dev/null || rc=$?
  [[ " $1 " == *" $rc "* ]] && return 0
  RERUNS_FAILED=$((RERUNS_FAILED + 1)) && problem "re-run of '${*:2}' exited $rc" "$(first3 "$ERR")"
  return 1
}
# bg_kill ARGS...: tokvault ARGS in the background, kill -9 after 0-30 ms. The
# commands take ~5-40 ms; the delay (30 ms times a uniform number squared)
# favours short ones, so kills land during start-up, inside the transaction,
# between commit and clean-up, and after the exit. No timeout here: the kill
# bounds it, and it must reach tokvault itself, not `timeout`.
bg_kill() {
  local r=$((RANDOM % 548)) pid rc=0
  "$BIN" "$@" <"$IN" >/dev/null 2>"$ROOT/bg.err" &
  pid=$!
  sleep "0.$(printf %06d $((r * r / 10)))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || rc=$?
  if ((rc == 137)); then HIT=$((HIT + 1)); else MISSED=$((MISSED + 1)); fi
  if ((rc != 0 && rc != 137)); then problem "'$*' failed by itself (exit $rc)" "$(first3 "$ROOT/bg.err")"; fi
}

# ---- kill storm: one function per command ------------------------------------
kill_store() { # odd kills insert a new name, even ones replace k1
  local name=k1 old new="new-$1-$RANDOM"
  if (($1 % 2)); then name=n$1; fi
  old=${EXPECT[$name]-}
  printf '%s' "$new" >"$IN"
  bg_kill store "$name" --provider openai --type api_key --secret -
  expect_all "$name"
  touched "$name" "$old" "$new"
  rerun 0 store "$name" --provider openai --type api_key --secret - <"$IN" && EXPECT[$name]=$new
  expect_all
}
kill_delete() {
  local name=d$1 val="del-$1-$RANDOM"
  put "$name" "$val"
  bg_kill delete "$name" --yes
  expect_all "$name"
  touched "$name" "$val" ""
  unset "EXPECT[$name]"
  rerun "0 3" delete "$name" --yes || return 0 # 3: the killed one had finished
  touched "$name" ""
  expect_all
}
opens_with() { # opens_with KEYFILE: is that the vault's key (anything but exit 7)?
  local rc=0
  TOKVAULT_KEY_FILE=$1 tv get k3 --no-refresh >/dev/null || rc=$?
  ((rc != 7))
}
kill_rekey() { # default key file: rekey stages key.new, commits, then moves it over the key
  local state="the old or new key opened the vault after the kill"
  bg_kill rekey
  tv get k3 --no-refresh >/dev/null || true # any command first: it may finish an interrupted rekey
  if opens_with "$KEYFILE"; then
    expect_all
  elif [[ -e $KEYFILE.new ]] && opens_with "$KEYFILE.new"; then
    NEW_ONLY=$((NEW_ONLY + 1)) state="only key.new opened the vault after the kill" # not lost (yet)
    TOKVAULT_KEY_FILE=$KEYFILE.new expect_all
  else
    keys_lost "after the kill neither key nor key.new opens the vault"
    return 0
  fi
  if ! rerun 0 rekey; then
    opens_with "$KEYFILE" || { [[ -e $KEYFILE.new ]] && opens_with "$KEYFILE.new"; } ||
      keys_lost "$state; after the failed re-run neither key nor key.new opens it"
    return 0
  fi
  [[ ! -e $KEYFILE.new ]] || problem "rekey finished but left $KEYFILE.new behind"
  expect_all
  if rerun 0 refresh o1; then # the client secret was re-encrypted too: a refresh needs it
    read_cred o1 && EXPECT[o1]=$GOT
    read_cred o1 --field refresh_token && RT[o1]=$GOT
  fi
}
prepare_export() { # once: a separate vault with k1, k2, x1, exported under its own key
  new_vault
  put k1 imp-k1 && put k2 imp-k2 && put x1 imp-x1
  cp "$KEYFILE" "$ROOT/export.key"
  tv export-vault "$ROOT/export.tokvault" >/dev/null || problem "setup: export-vault exited $?" "$(first3 "$ERR")"
}
kill_import_vault() { # --replace over k1 and k2 (given fresh values first); x1 is new
  local n
  for n in k1 k2; do put "$n" "pre-$n-$1"; done
  if [[ -v "EXPECT[x1]" ]]; then tv delete x1 --yes >/dev/null || problem "setup: delete x1" "$(first3 "$ERR")"; fi
  unset "EXPECT[x1]"
  bg_kill import-vault "$ROOT/export.tokvault" --from-key "$ROOT/export.key" --replace
  expect_all k1 k2 x1
  for n in k1 k2 x1; do touched "$n" "${EXPECT[$n]-}" "imp-$n"; done
  rerun 0 import-vault "$ROOT/export.tokvault" --from-key "$ROOT/export.key" --replace &&
    EXPECT[k1]=imp-k1 EXPECT[k2]=imp-k2 EXPECT[x1]=imp-x1
  expect_all
}
kill_refresh() { # o1 must hold its old pair, or a pair the endpoint issued meanwhile
  local at=${EXPECT[o1]-} rt=${RT[o1]-} before k
  before=$(server_count "$PORT")
  bg_kill refresh o1
  expect_all o1
  read_cred o1 && k=$GOT && read_cred o1 --field refresh_token
  if [[ $k == "$at" && $GOT == "$rt" ]]; then # kept; count kills after the endpoint was asked
    (($(server_count "$PORT") == before)) || INFLIGHT=$((INFLIGHT + 1))
  elif ! [[ $k =~ ^at-([0-9]+)$ && $GOT == "rt-${BASH_REMATCH[1]}" && ${BASH_REMATCH[1]} -gt $before ]]; then
    lost o1 "o1 holds '$k' / '$GOT', expected '$at' / '$rt' or a pair issued since"
  fi
  if rerun 0 refresh o1; then
    read_cred o1 && k=$GOT && read_cred o1 --field refresh_token
    if [[ $k =~ ^at-[0-9]+$ && $GOT == "rt-${k#at-}" && $k != "$at" ]]; then EXPECT[o1]=$k RT[o1]=$GOT; else
      lost o1 "after the re-run o1 holds '$k' / '$GOT', expected a new pair" && unset "EXPECT[o1]"
    fi
  fi
  expect_all
}
storm() { # storm OP: KILLS kills; a fresh vault every 16 kills and after any problem
  local op=$1 t0=$SECONDS lost0=$LOST keys0=$KEYS_LOST reruns0=$RERUNS_FAILED fails0=${#FAILS[@]} extra=
  CUR=$op ITER=0 HIT=0 MISSED=0 NEW_ONLY=0 INFLIGHT=0
  [[ $op != import-vault ]] || prepare_export
  for ((ITER = 1; ITER <= KILLS; ITER++)); do
    if ((ITER == 1 || RESET || ITER % 16 == 1)); then base_vault; fi
    "kill_${op//-/_}" "$ITER"
  done
  [[ $op != rekey ]] || extra=", $NEW_ONLY left the vault to key.new"
  [[ $op != refresh ]] || extra=", $INFLIGHT after asking the endpoint, before the commit"
  printf '%-13s %d kills (%d killed, %d had already exited%s); lost %d, keys lost %d, failed re-runs %d, problems %d; %ds\n' \
    "$op:" "$KILLS" "$HIT" "$MISSED" "$extra" $((LOST - lost0)) $((KEYS_LOST - keys0)) \
    $((RERUNS_FAILED - reruns0)) $((${#FAILS[@]} - fails0)) $((SECONDS - t0))
}

# ---- concurrency -------------------------------------------------------------
concurrent_gets() { # N processes get one expired token: one refresh, one token
  local pids=() i rc errors=0 refreshes distinct
  CUR=concurrent-gets ITER=1
  start_server 200
  base_vault
  for ((i = 0; i < CONC; i++)); do
    timeout -k 2 "$TMO" "$BIN" get o1 >"$ROOT/g$i.out" 2>"$ROOT/g$i.err" &
    pids+=("$!")
  done
  for i in "${!pids[@]}"; do
    rc=0 && wait "${pids[$i]}" 2>/dev/null || rc=$?
    ((rc == 0)) || { errors=$((errors + 1)) && problem "get #$i exited $rc" "$(first3 "$ROOT/g$i.err")"; }
  done
  refreshes=$(server_count "$PORT")
  distinct=$(cat "$ROOT"/g*.out | sort -u | grep -c . || true)
  echo "concurrent gets: $CONC, errors $errors, refreshes $refreshes (expected 1), distinct tokens $distinct"
  ((refreshes == 1)) || problem "$refreshes refreshes for $CONC concurrent gets"
  ((distinct == 1)) || problem "$distinct distinct tokens printed: $(sort -u "$ROOT"/g*.out | head -5 | paste -sd ' ' -)"
  read_cred o1 && EXPECT[o1]=$GOT # checked with the rest at the end
}
concurrent_stores() { # N stores of new names and N gets of one api key at once, ROUNDS times
  local r i rc errors=0 pids=() f what lost0
  CUR=concurrent-stores
  put g g-value
  for ((r = 1; r <= ROUNDS; r++)); do
    ITER=$r pids=()
    for ((i = 0; i < CONC; i++)); do
      timeout -k 2 "$TMO" "$BIN" store "s$r-$i" --provider openai --type api_key --secret - <<<"sv-$r-$i" \
        >/dev/null 2>"$ROOT/s$i.err" &
      pids+=("$!")
      timeout -k 2 "$TMO" "$BIN" get g >"$ROOT/r$i.out" 2>"$ROOT/r$i.err" &
      pids+=("$!")
    done
    for i in "${!pids[@]}"; do # even: store #i/2, odd: get #i/2
      if ((i % 2)); then f=r$((i / 2)) what="get g"; else f=s$((i / 2)) what="store s$r-$((i / 2))"; fi
      rc=0 && wait "${pids[$i]}" 2>/dev/null || rc=$?
      if ((rc != 0)) || grep -qi error "$ROOT/$f.err" || { ((i % 2)) && [[ $(<"$ROOT/$f.out") != g-value ]]; }; then
        errors=$((errors + 1))
        problem "concurrent $what exited $rc" "$(first3 "$ROOT/$f.err")"
      elif ((i % 2 == 0)); then EXPECT[s$r-$((i / 2))]=sv-$r-$((i / 2)); fi
    done
  done
  CUR=concurrent-check lost0=$LOST
  expect_all # every store that succeeded, and everything before, must read back
  echo "concurrent stores+gets: $((2 * CONC)) x $ROUNDS rounds, errors $errors, lost afterwards $((LOST - lost0))"
}

# ---- main --------------------------------------------------------------------
echo "soak: $MODE mode, $KILLS kills per command, $CONC-way concurrency, seed $SEED, binary $BIN"
start_server "${SOAK_DELAY_MS:-5}"
for op in store delete rekey import-vault refresh; do storm "$op"; done
echo "kills: $((5 * KILLS)) (store $KILLS, delete $KILLS, rekey $KILLS, import-vault $KILLS, refresh $KILLS);" \
  "credentials lost: $LOST; keys lost: $KEYS_LOST; failed re-runs: $RERUNS_FAILED"
concurrent_gets
concurrent_stores
((${#FAILS[@]} > 0)) || { echo "soak: PASS in ${SECONDS}s" && exit 0; }
echo "problems (first 25, with the first lines of the failing command's stderr):"
printf '  %s\n' "${FAILS[@]:0:25}"
((${#FAILS[@]} <= 25)) || echo "  ... and $((${#FAILS[@]} - 25)) more"
echo "soak: FAIL in ${SECONDS}s: ${#FAILS[@]} problem(s)"
exit 1
