#!/usr/bin/env bash
# Starts a throwaway PostgreSQL and Redis on loopback (Debian packages), for CI and for developers.
#   source scripts/services_locaux.sh   # exports DATABASE_URL and REDIS_URL; services stop with `arreter_services`
# Must run as root (PostgreSQL runs as the `postgres` user). Ports: PAPS_PG_PORT (54329), PAPS_REDIS_PORT (63799).
# Also exports PAPS_PG_CTL, PAPS_PG_DATA and PAPS_PG_LOG, with which the fault tests restart PostgreSQL.
set -euo pipefail

paquets=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || paquets+=(postgresql)
command -v redis-server >/dev/null || paquets+=(redis-server)
if [ ${#paquets[@]} -gt 0 ]; then
  echo "== Installation : ${paquets[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${paquets[@]}" >/dev/null
fi

PAPS_SERVICES_DIR=$(mktemp -d /tmp/paps-services.XXXXXX)
chmod 755 "$PAPS_SERVICES_DIR"
pgbin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
port_libre() {  # the first port from $1 on which nothing listens on loopback
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}
pgport=$(port_libre "${PAPS_PG_PORT:-54329}")
redisport=$(port_libre "${PAPS_REDIS_PORT:-63799}")

arreter_services() {
  su postgres -c "$pgbin/pg_ctl -D $PAPS_SERVICES_DIR/pg -m fast stop" >/dev/null 2>&1 || true
  redis-cli -p "$redisport" shutdown nosave >/dev/null 2>&1 || true
}

echo "== PostgreSQL (port $pgport)"
install -d -m 700 -o postgres -g postgres "$PAPS_SERVICES_DIR/pg"
install -d -o postgres -g postgres "$PAPS_SERVICES_DIR/run"
su postgres -c "$pgbin/initdb -D $PAPS_SERVICES_DIR/pg -U postgres -A trust --locale=C.UTF-8 -E UTF8" >/dev/null
su postgres -c "$pgbin/pg_ctl -D $PAPS_SERVICES_DIR/pg -l $PAPS_SERVICES_DIR/run/pg.log -w -o '-p $pgport -k $PAPS_SERVICES_DIR/run -c listen_addresses=127.0.0.1' start" >/dev/null
psql -h 127.0.0.1 -p "$pgport" -U postgres -qc "CREATE ROLE paps LOGIN SUPERUSER PASSWORD 'paps'"
psql -h 127.0.0.1 -p "$pgport" -U postgres -qc "CREATE DATABASE paps OWNER paps"

echo "== Redis (port $redisport)"
redis-server --port "$redisport" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --logfile "$PAPS_SERVICES_DIR/run/redis.log" >/dev/null
for _ in $(seq 50); do redis-cli -p "$redisport" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$redisport" ping >/dev/null

export DATABASE_URL="postgresql://paps:paps@127.0.0.1:$pgport/paps"
export REDIS_URL="redis://127.0.0.1:$redisport/0"
# For the fault tests (tests/test_pannes.py), which restart PostgreSQL: as root,
#   su postgres -c "$PAPS_PG_CTL -D $PAPS_PG_DATA -l $PAPS_PG_LOG -m fast -w restart"
export PAPS_PG_CTL="$pgbin/pg_ctl" PAPS_PG_DATA="$PAPS_SERVICES_DIR/pg" PAPS_PG_LOG="$PAPS_SERVICES_DIR/run/pg.log"
echo "DATABASE_URL=$DATABASE_URL"
echo "REDIS_URL=$REDIS_URL"
set +euo pipefail
