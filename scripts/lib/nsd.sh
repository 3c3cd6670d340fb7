# Shared by scripts/demo.sh and bench/live-check.sh: run NSD unprivileged on a loopback port.
# Source it, then: start_nsd DIR PORT ZONE... (DIR holds ZONE.zone for each ZONE; sets NSD_PID).

free_port() {
  python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_nsd() {
  local dir=$1 port=$2 zone
  shift 2
  {
    cat <<CONF
server:
    ip-address: 127.0.0.1@$port
    username: ""
    chroot: ""
    zonesdir: "$dir"
    database: ""
    pidfile: "$dir/nsd.pid"
    logfile: "$dir/nsd.log"
    xfrdfile: "$dir/xfrd.state"
    zonelistfile: "$dir/zone.list"
    xfrdir: "$dir"
    rrl-ratelimit: 0
remote-control:
    control-enable: no
CONF
    for zone in "$@"; do printf 'zone:\n    name: %s\n    zonefile: %s.zone\n' "$zone" "$zone"; done
  } > "$dir/nsd.conf"
  nsd -d -c "$dir/nsd.conf" >/dev/null 2>&1 &
  NSD_PID=$!
  for _ in $(seq 100); do
    kdig @127.0.0.1 -p "$port" +time=1 +retry=0 "$1" SOA 2>/dev/null | grep -q "status: NOERROR" && return 0
    sleep 0.1
  done
  echo "NSD did not start; see $dir/nsd.log" >&2
  return 1
}

# A SOA and NS in front of an exported snippet, as the real zone would have them.
complete_zone() {
  local zone=$1 snippet=$2
  echo "$zone. 3600 IN SOA ns1.$zone. hostmaster.$zone. 2026112101 3600 900 604800 300"
  echo "$zone. 3600 IN NS ns1.$zone."
  echo "ns1.$zone. 3600 IN A 192.0.2.53"
  cat "$snippet"
}
