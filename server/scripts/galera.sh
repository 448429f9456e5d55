#!/usr/bin/env bash
# A three-node MariaDB Galera cluster on loopback, for the cluster tests and benchmarks
# (README "Deploying on a cluster"). Debian's mariadb-server brings galera-4; nothing else needed.
#
#   galera.sh start            stop a leftover, make three fresh nodes, wait until all are Synced, print URLs
#   galera.sh stop             stop all three (mariadb-admin shutdown, then kill)
#   galera.sh status           each node: running?, wsrep_local_state, wsrep_cluster_size
#   galera.sh kill N           SIGKILL node N (a crash)
#   galera.sh start-node N     start node N again; it rejoins by IST (or SST)
#   galera.sh wait-synced [N]  wait until node N (default all running nodes) is Synced (state 4)
#   galera.sh urls             the three mysql:// URLs
#
# Settings: GALERA_DIR (default /tmp/xinyuan-galera), GALERA_BASE_PORT (default 3311: client ports
# 3311 3312 3313; Galera group ports base+1000.., IST base+2000.., SST base+3000..: two clusters whose
# bases differ by less than 1000, e.g. 3311 and 3411, never share a port).
# The nodes run as the mysql user (rsync SST fails as root). Never touches the server on 3306.
set -euo pipefail

DIR="${GALERA_DIR:-/tmp/xinyuan-galera}"
BASE="${GALERA_BASE_PORT:-3311}"
NODES=(1 2 3)
PROVIDER=/usr/lib/galera/libgalera_smm.so
TIMEOUT="${GALERA_TIMEOUT:-90}"

case "$DIR" in /*) ;; *) DIR="$PWD/$DIR" ;; esac

port() { echo $((BASE + $1 - 1)); }
gport() { echo $((BASE + 1000 + $1 - 1)); }
iport() { echo $((BASE + 2000 + $1 - 1)); }
sport() { echo $((BASE + 3000 + $1 - 1)); }
ndir() { echo "$DIR/node$1"; }
cnf() { echo "$DIR/node$1/my.cnf"; }
sock() { echo "$DIR/node$1/mysqld.sock"; }
# The node's mariadbd (also before it wrote its pid file, e.g. during a state transfer).
pidof_node() { pgrep -o -f "^mariadbd --defaults-file=$(cnf "$1")( |\$)" || true; }
alive() { local p; p="$(pidof_node "$1")"; [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
sql() { mariadb --no-defaults -uroot -S "$(sock "$1")" -N -B -e "$2" 2>/dev/null; }
wsrep() { sql "$1" "SHOW GLOBAL STATUS LIKE '$2'" | awk '{print $2}'; }

need_packages() {
  if ! command -v mariadbd >/dev/null || [ ! -f "$PROVIDER" ] || ! command -v rsync >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server galera-4 rsync >/dev/null
  fi
}

write_cnf() {
  local i=$1 d addr
  d="$(ndir "$i")"
  addr="gcomm://127.0.0.1:$(gport 1),127.0.0.1:$(gport 2),127.0.0.1:$(gport 3)"
  cat >"$(cnf "$i")" <<EOF
[mysqld]
user=mysql
datadir=$d/data
socket=$(sock "$i")
pid-file=$d/mysqld.pid
log-error=$d/error.log
port=$(port "$i")
bind-address=127.0.0.1
skip-log-bin
performance_schema=OFF
max_connections=300
innodb_buffer_pool_size=128M
innodb_log_file_size=64M
innodb_flush_log_at_trx_commit=0
default_storage_engine=InnoDB
binlog_format=ROW
innodb_autoinc_lock_mode=2
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
wsrep_on=ON
wsrep_provider=$PROVIDER
wsrep_cluster_name=xinyuan-test
wsrep_cluster_address=$addr
wsrep_node_name=node$i
wsrep_node_address=127.0.0.1:$(gport "$i")
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$(gport "$i");ist.recv_addr=127.0.0.1:$(iport "$i");gcache.size=128M"
wsrep_sst_receive_address=127.0.0.1:$(sport "$i")
wsrep_sst_method=rsync
wsrep_slave_threads=2
EOF
}

launch() {
  local i=$1; shift
  setsid mariadbd --defaults-file="$(cnf "$i")" "$@" </dev/null >>"$(ndir "$i")/stdout.log" 2>&1 &
}

# wait_synced N [size]: node N answers, is Synced (4) and, if given, sees a cluster of that size.
wait_synced() {
  local i=$1 size=${2:-} t=0 st cs
  while :; do
    st="$(wsrep "$i" wsrep_local_state || true)"
    cs="$(wsrep "$i" wsrep_cluster_size || true)"
    if [ "$st" = 4 ] && { [ -z "$size" ] || [ "$cs" = "$size" ]; }; then return 0; fi
    if ! alive "$i" && [ $t -gt 5 ]; then
      echo "node $i is not running; last lines of $(ndir "$i")/error.log:" >&2
      tail -n 20 "$(ndir "$i")/error.log" >&2 || true
      return 1
    fi
    if [ $t -ge $((TIMEOUT * 5)) ]; then
      echo "node $i not Synced after ${TIMEOUT}s (state '$st', cluster size '$cs')" >&2
      return 1
    fi
    sleep 0.2
    t=$((t + 1))
  done
}

stop_node() {
  local i=$1 p t=0
  p="$(pidof_node "$i")"
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null || return 0
  mariadb-admin --no-defaults -uroot -S "$(sock "$i")" shutdown >/dev/null 2>&1 || kill "$p" 2>/dev/null || true
  while kill -0 "$p" 2>/dev/null; do
    sleep 0.2
    t=$((t + 1))
    if [ $t -ge 100 ]; then kill -9 "$p" 2>/dev/null || true; fi
  done
}

cmd_stop() {
  # Joiners first, the last one standing is then safe to bootstrap from.
  for i in 3 2 1; do stop_node "$i"; done
  # Anything left from this directory (an rsync SST daemon, a node without a pid file).
  local p
  for p in $(pgrep -f -- "--defaults-file=$DIR/node" || true); do kill -9 "$p" 2>/dev/null || true; done
}

cmd_urls() {
  for i in "${NODES[@]}"; do echo "mysql://root@127.0.0.1:$(port "$i")/"; done
}

cmd_start() {
  need_packages
  local t0=$SECONDS
  cmd_stop
  rm -rf "$DIR"
  mkdir -p "$DIR"
  for i in "${NODES[@]}"; do
    mkdir -p "$(ndir "$i")/data"
    write_cnf "$i"
  done
  chown -R mysql:mysql "$DIR"
  mariadb-install-db --defaults-file="$(cnf 1)" --user=mysql --skip-test-db --auth-root-authentication-method=socket >"$(ndir 1)/install.log" 2>&1
  launch 1 --wsrep-new-cluster
  wait_synced 1
  # Root over TCP with no password (as on the development server on 3306); joiners copy it by SST.
  sql 1 "ALTER USER root@localhost IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD(''); CREATE USER IF NOT EXISTS root@'127.0.0.1' IDENTIFIED BY ''; GRANT ALL ON *.* TO root@'127.0.0.1' WITH GRANT OPTION;"
  # The joiners take a full state transfer (rsync) from node 1, one after the other.
  launch 2
  wait_synced 2
  launch 3
  wait_synced 3 3
  for i in "${NODES[@]}"; do wait_synced "$i" 3; done
  echo "galera: 3 nodes Synced in $((SECONDS - t0))s ($DIR)"
  cmd_urls
}

cmd_status() {
  local rc=0
  for i in "${NODES[@]}"; do
    if alive "$i"; then
      echo "node $i port $(port "$i") pid $(pidof_node "$i") state $(wsrep "$i" wsrep_local_state_comment || echo '?') ($(wsrep "$i" wsrep_local_state || echo '?')) cluster_size $(wsrep "$i" wsrep_cluster_size || echo '?')"
    else
      echo "node $i port $(port "$i") down"
      rc=3
    fi
  done
  return $rc
}

cmd_kill() {
  local i=$1 p
  p="$(pidof_node "$i")"
  [ -n "$p" ] || { echo "node $i has no pid" >&2; return 1; }
  kill -9 "$p"
  while kill -0 "$p" 2>/dev/null; do sleep 0.1; done
  echo "node $i (pid $p) killed"
}

cmd_start_node() {
  local i=$1 others=0 j
  if alive "$i"; then echo "node $i already running"; return 0; fi
  for j in "${NODES[@]}"; do [ "$j" != "$i" ] && alive "$j" && others=1; done
  rm -f "$(ndir "$i")/mysqld.pid"
  if [ $others = 1 ]; then
    launch "$i"
  else
    # The only node: it bootstraps a new cluster from its own state.
    sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$(ndir "$i")/data/grastate.dat" 2>/dev/null || true
    launch "$i" --wsrep-new-cluster
  fi
  wait_synced "$i"
  echo "node $i Synced (cluster size $(wsrep "$i" wsrep_cluster_size))"
}

cmd_wait_synced() {
  if [ $# -gt 0 ]; then wait_synced "$1"; return; fi
  local n=0 i
  for i in "${NODES[@]}"; do alive "$i" && n=$((n + 1)); done
  for i in "${NODES[@]}"; do alive "$i" && wait_synced "$i" "$n"; done
  echo "galera: $n node(s) Synced"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop; echo "galera: stopped" ;;
  status) cmd_status ;;
  kill) cmd_kill "${2:?node number}" ;;
  start-node) cmd_start_node "${2:?node number}" ;;
  wait-synced) shift; cmd_wait_synced "$@" ;;
  urls) cmd_urls ;;
  *) sed -n '2,16p' "$0"; exit 2 ;;
esac
