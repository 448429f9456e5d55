#!/usr/bin/env bash
# Makes sure a MariaDB server answers at 127.0.0.1:3306 (root, empty password),
# installing it from Debian's packages on a machine that has none (TOOLCHAIN.md).
set -euo pipefail

ping_tcp() { mariadb -h127.0.0.1 -P3306 -uroot -e 'SELECT 1' >/dev/null 2>&1; }

if command -v mariadb >/dev/null 2>&1 && ping_tcp; then exit 0; fi

if [ ! -x /usr/sbin/mariadbd ]; then
  echo "MariaDB is not installed: installing it from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null
fi
mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
start-stop-daemon --start --oknodo --background --chuid mysql --exec /usr/sbin/mariadbd -- --user=mysql --bind-address=127.0.0.1 --port=3306 || \
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
for _ in $(seq 1 60); do mariadb-admin ping >/dev/null 2>&1 && break; sleep 1; done
if ! ping_tcp; then
  # A fresh Debian root logs in by socket only; allow the empty-password TCP login the tests use.
  mariadb -uroot -e "ALTER USER root@localhost IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD(''); CREATE DATABASE IF NOT EXISTS test;"
fi
ping_tcp && echo "MariaDB is up at 127.0.0.1:3306"
