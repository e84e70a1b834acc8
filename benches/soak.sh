#!/usr/bin/env bash
# shellcheck disable=SC2317 # kill_* and the trap handler are called indirectly
# Soak test for the built tokvault binary: kill -9 storms against every command
# that writes (store, delete, rekey, import-vault, refresh), then many processes
# at once. Nothing may be lost, and a command re-run after a kill must work.
#
#   benches/soak.sh [--small]     # --small: ~60 kills and 8-way concurrency (CI)
#   env: TOKVAULT_BIN (default target/release/tokvault), KILLS_PER_OP,
#        SOAK_SEED (replays the same kill delays), SOAK_DELAY_MS (token endpoint delay in the storm)
#
# Prints one line per section; exits 0 only if nothing was lost and nothing failed.
set -euo pipefail

MODE=full
case "${1:-}" in
  --small) MODE=small ;;
  "") ;;
  *) echo "usage: $0 [--small]" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
BIN=${TOKVAULT_BIN:-target/release/tokvault}
[[ -x $BIN ]] || { echo "soak: no tokvault binary at $BIN (cargo build --release, or set TOKVAULT_BIN)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "soak: python3 is needed for the token endpoint" >&2; exit 2; }
BIN=$(realpath "$BIN")
if [[ $MODE == small ]]; then KILLS=${KILLS_PER_OP:-12} CONC=8 ROUNDS=3; else KILLS=${KILLS_PER_OP:-62} CONC=32 ROUNDS=5; fi
SEED=${SOAK_SEED:-$$}
RANDOM=$SEED
TMO=20 # seconds any one tokvault command may take before it counts as hung

# A clean world: our own home, no inherited vault, key, user, CI or proxy settings.
ROOT=$(mktemp -d "${TMPDIR:-/tmp}/tokvault-soak.XXXXXX")
SERVER_PIDS=()
cleanup() {
  local p
  for p in ${SERVER_PIDS[@]+"${SERVER_PIDS[@]}"}; do kill "$p" 2>/dev/null || true; done
  rm -rf "$ROOT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
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
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def do_GET(self):
        if self.path != "/count": return self.send(404, '{"error":"not_found"}')
        with lock: n = count
        self.send(200, f"{n}\n", "text/plain")
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
  [[ -s $pf ]] || { echo "soak: token endpoint did not start: $(head -3 "$ROOT/server.$1.log")" >&2; exit 1; }
  PORT=$(<"$pf")
}
server_count() { # server_count PORT: refresh requests seen (bash's /dev/tcp: no curl needed)
  local line n=
  exec 3<>"/dev/tcp/127.0.0.1/$1"
  printf 'GET /count HTTP/1.0\r\n\r\n' >&3
  while IFS= read -r line <&3; do n=$line; done
  exec 3<&-
  echo "${n%$'\r'}"
}

# ---- bookkeeping -------------------------------------------------------------
FAILS=() LOST=0 KEYS_LOST=0 RERUNS_FAILED=0 RESET=1 CUR=setup ITER=0 VAULTS=0
declare -A EXPECT=() RT=() KILLED=() # EXPECT: name -> value `get` must print
tv() { timeout -k 2 "$TMO" "$BIN" "$@" 2>"$ERR"; }
errhead() { head -n 3 "$ERR" 2>/dev/null | paste -sd '|' -; }
problem() { FAILS+=("$CUR #$ITER: $1${2:+ [stderr: $2]}"); RESET=1; }
lost() { LOST=$((LOST + 1)); problem "$1" "$(errhead)"; }
keys_lost() { KEYS_LOST=$((KEYS_LOST + 1)); problem "$1" "$(errhead)"; }

new_vault() { # a fresh home with the default vault and key paths, as a user has them
  if ((VAULTS > 0)); then rm -rf "${ROOT:?}/home$VAULTS"; fi # only ever our own
  VAULTS=$((VAULTS + 1)) RESET=0
  EXPECT=()
  RT=()
  export HOME=$ROOT/home$VAULTS XDG_DATA_HOME=$ROOT/home$VAULTS/data XDG_CONFIG_HOME=$ROOT/home$VAULTS/config
  mkdir -p "$HOME"
  KEYFILE=$XDG_CONFIG_HOME/tokvault/key
}
put() { # put NAME VALUE: an api key, stored to completion
  if tv store "$1" --provider openai --type api_key --secret - <<<"$2" >/dev/null; then EXPECT[$1]=$2; else
    problem "setup: store $1 failed (exit $?)" "$(errhead)"
  fi
}
put_oauth2() { # put_oauth2 NAME: an expired access token with the initial refresh token
  printf '%s' "at-init-$1" >"$ROOT/at"
  if tv store "$1" --oauth2 soak --refresh-token - --secret-file "$ROOT/at" --expires-at 2020-01-01T00:00:00Z \
    <<<rt-0 >/dev/null; then EXPECT[$1]=at-init-$1 RT[$1]=rt-0; else problem "setup: store $1 failed" "$(errhead)"; fi
}
base_vault() { # api keys k1..k4 and two OAuth2 credentials linked to the client "soak"
  new_vault
  tv oauth2 add soak --token-url "http://127.0.0.1:$PORT/token" --client-id cid --client-secret - <<<secret \
    >/dev/null || problem "setup: oauth2 add failed" "$(errhead)"
  local n
  for n in k1 k2 k3 k4; do put "$n" "val-$n-$VAULTS"; done
  put_oauth2 o1
  put_oauth2 o2
}
read_cred() { # read_cred NAME [ARGS]: sets GOT and GOT_RC, never refreshing
  if GOT=$(tv get "$1" --no-refresh --allow-expired "${@:2}"); then GOT_RC=0; else GOT_RC=$?; fi
}
expect_all() { # expect_all [SKIP...]: every known credential but SKIP reads its value
  local name
  for name in "${!EXPECT[@]}"; do
    [[ " $* " == *" $name "* ]] && continue
    read_cred "$name"
    [[ $GOT_RC == 0 && $GOT == "${EXPECT[$name]}" ]] ||
      lost "untouched $name reads '$GOT' (exit $GOT_RC), expected '${EXPECT[$name]}'"
  done
}
touched() { # touched NAME ALLOWED...: reads as one of ALLOWED ("" = absent)
  local v
  read_cred "$1"
  for v in "${@:2}"; do
    if [[ -z $v && $GOT_RC == 3 ]] || [[ -n $v && $GOT_RC == 0 && $GOT == "$v" ]]; then return 0; fi
  done
  lost "$1 reads '$GOT' (exit $GOT_RC), expected one of: $(printf "'%s' " "${@:2}")"
}
rerun() { # rerun OK_CODES ARGS...: the killed command again, to completion
  local ok=$1 rc=0
  shift
  tv "$@" >/dev/null || rc=$?
  [[ " $ok " == *" $rc "* ]] && return 0
  RERUNS_FAILED=$((RERUNS_FAILED + 1))
  problem "re-run of '$*' exited $rc" "$(errhead)"
  return 1
}
# bg_kill ARGS...: tokvault ARGS in the background, kill -9 after 0-30 ms. The
# commands take ~3-30 ms, so kills land before the vault is opened, inside the
# transaction, between commit and clean-up, or after the exit. No timeout here:
# the kill bounds it, and the kill must reach tokvault itself, not `timeout`.
bg_kill() {
  local ms=$((RANDOM % 31)) pid rc=0
  "$BIN" "$@" <"$IN" >/dev/null 2>"$ROOT/bg.err" &
  pid=$!
  if ((ms > 0)); then sleep "0.$(printf %03d "$ms")"; fi
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" || rc=$?
  if ((rc == 137)); then MID=$((MID + 1)); else AFTER=$((AFTER + 1)); fi
  if ((rc != 0 && rc != 137)); then problem "'$*' failed on its own (exit $rc)" "$(head -3 "$ROOT/bg.err" | paste -sd '|' -)"; fi
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
opens_with() { # opens_with KEYFILE: does that key open the vault?
  TOKVAULT_KEY_FILE=$1 tv get k3 --no-refresh >/dev/null
}
kill_rekey() { # default key file, so rekey stages key.new and moves it over the key
  bg_kill rekey
  tv get k3 --no-refresh >/dev/null || true # any command first: it may finish an interrupted rekey
  if opens_with "$KEYFILE"; then
    expect_all
  elif [[ -e $KEYFILE.new ]] && opens_with "$KEYFILE.new"; then
    NEW_ONLY=$((NEW_ONLY + 1)) # only key.new opens it: not lost, see the re-run
    TOKVAULT_KEY_FILE=$KEYFILE.new expect_all
  else
    keys_lost "after the kill neither key nor key.new opens the vault"
    return 0
  fi
  if ! rerun 0 rekey; then
    opens_with "$KEYFILE" || { [[ -e $KEYFILE.new ]] && opens_with "$KEYFILE.new"; } ||
      keys_lost "after the failed re-run neither key nor key.new opens the vault"
    return 0
  fi
  [[ ! -e $KEYFILE.new ]] || problem "rekey finished but left $KEYFILE.new"
  expect_all
  # the client secret was re-encrypted too: a refresh needs it
  if rerun 0 refresh o1; then
    read_cred o1 && EXPECT[o1]=$GOT
    read_cred o1 --field refresh_token && RT[o1]=$GOT
  fi
}
kill_import_vault() { # --replace over k1, k2 (reset to fresh values first); x1 is new
  local n
  for n in k1 k2; do put "$n" "pre-$n-$1"; done
  if [[ -v "EXPECT[x1]" ]]; then tv delete x1 --yes >/dev/null || problem "setup: delete x1" "$(errhead)"; unset "EXPECT[x1]"; fi
  bg_kill import-vault "$ROOT/export.tokvault" --from-key "$ROOT/export.key" --replace
  expect_all k1 k2 x1
  for n in k1 k2 x1; do touched "$n" "${EXPECT[$n]-}" "imp-$n"; done
  rerun 0 import-vault "$ROOT/export.tokvault" --from-key "$ROOT/export.key" --replace &&
    EXPECT[k1]=imp-k1 EXPECT[k2]=imp-k2 EXPECT[x1]=imp-x1
  expect_all
}
prepare_export() { # once: a separate vault holding k1, k2, x1, exported under its own key
  new_vault
  put k1 imp-k1 && put k2 imp-k2 && put x1 imp-x1
  cp "$KEYFILE" "$ROOT/export.key"
  tv export-vault "$ROOT/export.tokvault" >/dev/null || problem "setup: export-vault failed" "$(errhead)"
  RESET=1
}
kill_refresh() { # o1 must hold the old pair or a pair the endpoint issued meanwhile
  local at=${EXPECT[o1]} rt=${RT[o1]} before k
  before=$(server_count "$PORT")
  : >"$IN"
  bg_kill refresh o1
  expect_all o1
  read_cred o1 && k=$GOT && read_cred o1 --field refresh_token
  if [[ $k == "$at" && $GOT == "$rt" ]]; then :; elif [[ $k =~ ^at-([0-9]+)$ && $GOT == "rt-${BASH_REMATCH[1]}" ]] &&
    ((BASH_REMATCH[1] > before)); then :; else lost "o1 holds '$k' / '$GOT', expected '$at' / '$rt' or a new pair"; fi
  if rerun 0 refresh o1; then
    read_cred o1 && k=$GOT && read_cred o1 --field refresh_token
    if [[ $k =~ ^at-[0-9]+$ && $GOT == "rt-${k#at-}" && $k != "$at" ]]; then EXPECT[o1]=$k RT[o1]=$GOT; else
      lost "after the re-run o1 holds '$k' / '$GOT', expected a new pair"
    fi
  fi
  expect_all
}
storm() { # storm OP: KILLS kills, a fresh vault every 16 and after any problem
  local op=$1 fn=kill_${1//-/_} lost0=$LOST keys0=$KEYS_LOST reruns0=$RERUNS_FAILED fails0=${#FAILS[@]}
  CUR=$op MID=0 AFTER=0 NEW_ONLY=0 RESET=1
  [[ $op != import-vault ]] || prepare_export
  for ((ITER = 1; ITER <= KILLS; ITER++)); do
    if ((RESET || ITER % 16 == 1)); then base_vault; fi
    "$fn" "$ITER"
  done
  KILLED[$op]=$KILLS
  printf '%-13s %d kills (%d mid-run, %d after exit%s); credentials lost %d, keys lost %d, failed re-runs %d, problems %d\n' \
    "$op:" "$KILLS" "$MID" "$AFTER" "$([[ $op != rekey ]] || echo ", $NEW_ONLY left only key.new")" \
    $((LOST - lost0)) $((KEYS_LOST - keys0)) $((RERUNS_FAILED - reruns0)) $((${#FAILS[@]} - fails0))
}

# ---- concurrency -------------------------------------------------------------
concurrent_gets() { # N processes get one expired token: one refresh, one token
  local pids=() i rc errors=0 refreshes distinct
  CUR=concurrent-gets ITER=0
  start_server 200
  base_vault
  for ((i = 0; i < CONC; i++)); do
    timeout -k 2 "$TMO" "$BIN" get o1 >"$ROOT/g$i.out" 2>"$ROOT/g$i.err" &
    pids+=("$!")
  done
  for i in "${!pids[@]}"; do
    rc=0 && wait "${pids[$i]}" || rc=$?
    ((rc == 0)) || { errors=$((errors + 1)); problem "get $i exited $rc" "$(head -3 "$ROOT/g$i.err" | paste -sd '|' -)"; }
  done
  refreshes=$(server_count "$PORT")
  distinct=$(cat "$ROOT"/g*.out | sort -u | grep -c . || true)
  echo "concurrent gets: $CONC, errors $errors, refreshes $refreshes (expected 1), distinct tokens $distinct"
  ((refreshes == 1)) || problem "$refreshes refreshes for $CONC concurrent gets"
  ((distinct == 1)) || problem "$distinct distinct tokens printed: $(sort -u "$ROOT"/g*.out | head -5 | paste -sd ' ' -)"
  read_cred o1 && EXPECT[o1]=$GOT # what they all saw, if they agreed; checked with the rest later
}
concurrent_stores() { # N stores of new names and N gets of one api key at once
  local r i rc errors=0 pids=() name label
  CUR=concurrent-stores
  put g "g-value"
  for ((r = 1; r <= ROUNDS; r++)); do
    ITER=$r pids=()
    for ((i = 0; i < CONC; i++)); do
      timeout -k 2 "$TMO" "$BIN" store "s$r-$i" --provider openai --type api_key --secret - <<<"sv-$r-$i" \
        >/dev/null 2>"$ROOT/s$i.err" &
      pids+=("$!")
      timeout -k 2 "$TMO" "$BIN" get g >"$ROOT/r$i.out" 2>"$ROOT/r$i.err" &
      pids+=("$!")
    done
    for i in "${!pids[@]}"; do
      if ((i % 2)); then name=r$((i / 2)) label="get g"; else name=s$((i / 2)) label="store s$r-$((i / 2))"; fi
      rc=0 && wait "${pids[$i]}" || rc=$?
      if ((rc != 0)) || grep -qi error "$ROOT/$name.err" || { [[ $name == r* ]] && [[ $(<"$ROOT/$name.out") != g-value ]]; }; then
        errors=$((errors + 1))
        problem "concurrent $label exited $rc" "$(head -3 "$ROOT/$name.err" | paste -sd '|' -)"
      elif [[ $name == s* ]]; then EXPECT[s$r-$((i / 2))]=sv-$r-$((i / 2)); fi
    done
  done
  CUR=concurrent-stores-check
  local l0=$LOST
  expect_all # every store that succeeded must read back
  echo "concurrent stores+gets: $((2 * CONC)) x $ROUNDS rounds, errors $errors$( ((LOST == l0)) || echo ", lost afterwards $((LOST - l0))")"
}

# ---- main --------------------------------------------------------------------
echo "soak: $MODE mode, $KILLS kills per command, $CONC-way concurrency, seed $SEED, binary $BIN"
start_server "${SOAK_DELAY_MS:-5}"
for op in store delete rekey import-vault refresh; do storm "$op"; done
total=0
for op in store delete rekey import-vault refresh; do total=$((total + KILLED[$op])); done
echo "kills: $total (store ${KILLED[store]}, delete ${KILLED[delete]}, rekey ${KILLED[rekey]}, import-vault ${KILLED[import-vault]}, refresh ${KILLED[refresh]}); credentials lost: $LOST; keys lost: $KEYS_LOST; failed re-runs: $RERUNS_FAILED"
concurrent_gets
concurrent_stores
if ((${#FAILS[@]} == 0)); then
  echo "soak: PASS in ${SECONDS}s"
  exit 0
fi
echo "soak: FAIL in ${SECONDS}s, ${#FAILS[@]} problem(s):"
printf '  %s\n' "${FAILS[@]:0:25}"
((${#FAILS[@]} <= 25)) || echo "  ... and $((${#FAILS[@]} - 25)) more"
exit 1
