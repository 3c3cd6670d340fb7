#!/usr/bin/env python3
"""A misbehaving DNS server for fedplan's tests (loopback only).

Usage: faultserver.py MODE PORT UPSTREAM_PORT [DELAY_SECONDS]

It answers on 127.0.0.1:PORT (UDP and TCP). Real answers come from the upstream server
(NSD) at 127.0.0.1:UPSTREAM_PORT; the mode then breaks them in one way. Only header bytes
(and one byte of the query name) are touched, and for the answer-section modes the fixed fields
of the answer records (found by skipping names, as `skip_name` does): no DNS parsing beyond that.

Modes:
  timeout         never answers (UDP), accepts TCP and never answers
  servfail        answers SERVFAIL            refused        answers REFUSED
  servfail-ede    answers SERVFAIL with Extended DNS Error 22 (RFC 8914) and a text with an escape sequence
  truncate        UDP: an empty answer with TC set; TCP: the real answer
  garbage         random bytes                wrong-id       a reply with another ID
  wrong-question  a reply with one letter of the name changed
  wrong-source    a reply sent from another port
  spoof-then-real garbage, then a wrong-ID copy, then the real answer
  delay           the real answer after DELAY_SECONDS (for benchmarks)
  tcp-stall       UDP: TC set; TCP: accepts and never answers
  tcp-trickle     UDP: TC set; TCP: announces 65535 bytes, then sends one byte every 0.2 s
  truncate-always UDP and TCP: an empty answer with TC set
  oversize        a 65000-byte reply claiming 65535 answers, then random bytes
  srv-only        the real answer to SRV questions; every other question is never answered
  out-of-bailiwick  the real answer section plus `evil.invalid. A 127.0.0.99` (no other sections)
  ch-class        the real answer with every answer record's class set to CH
  nxdomain-with-answers  the real answer with RCODE NXDOMAIN
  huge-ttl        the real answer with every answer record's TTL set to 4294967295
  formerr-edns    FORMERR to queries with an OPT record (EDNS); the real answer to the others
  ratelimit       answers the first DELAY_SECONDS (a number) UDP queries of each second, drops the rest
The number of UDP queries received so far is kept in PORT.count (in the working folder).
"""
import heapq
import os
import select
import signal
import socket
import struct
import sys
import threading
import time

mode, port, upstream = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
delay = float(sys.argv[4]) if len(sys.argv) > 4 else 0.05
received = 0


def upstream_udp(query):
    # A lost datagram between two test processes must not look like fedplan's fault:
    # ask again, and over TCP in the end.
    for _ in range(3):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(0.5)
            s.sendto(query, ("127.0.0.1", upstream))
            try:
                return bytearray(s.recv(65535))
            except socket.timeout:
                continue
    return bytearray(upstream_tcp(query))


def upstream_tcp(query):
    with socket.create_connection(("127.0.0.1", upstream), timeout=3) as s:
        s.sendall(struct.pack("!H", len(query)) + query)
        length = struct.unpack("!H", read_exactly(s, 2))[0]
        return read_exactly(s, length)


def read_exactly(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def with_rcode(query, rcode):
    reply = bytearray(query)
    reply[2] |= 0x80          # QR
    reply[3] = (reply[3] & 0xF0) | rcode
    return reply


def with_ede(query, rcode):
    """SERVFAIL with an EDE option (code 22, text with ESC) in the query's own OPT record, which
    is the last record of a fedplan query and has no data: its RDLENGTH is the last two bytes."""
    reply = with_rcode(query, rcode)
    if reply[10:12] != b"\x00\x01" or reply[-2:] != b"\x00\x00":
        return reply
    text = b"no server of the zone answers \x1b[31mred"
    option = struct.pack("!HHH", 15, 2 + len(text), 22) + text
    reply[-2:] = struct.pack("!H", len(option))
    return reply + option


def qtype(query):
    """The type of the query's question: walk the name's labels to the end (no compression
    in a query), the two bytes after it."""
    i = 12
    while i < len(query) and query[i] != 0:
        i += 1 + query[i]
    return struct.unpack("!H", query[i + 1:i + 3])[0] if i + 3 <= len(query) else 0


def skip_name(msg, i):
    """The offset after the (possibly compressed) name at i."""
    while i < len(msg):
        if msg[i] == 0:
            return i + 1
        if msg[i] & 0xC0 == 0xC0:
            return i + 2
        i += 1 + msg[i]
    return i


def answer_fields(msg):
    """Offsets of the TYPE field of each answer record, and where the answer section ends."""
    ancount = struct.unpack("!H", msg[6:8])[0]
    i = skip_name(msg, 12) + 4
    offsets = []
    for _ in range(ancount):
        i = skip_name(msg, i)
        offsets.append(i)
        rdlength = struct.unpack("!H", msg[i + 8:i + 10])[0]
        i += 10 + rdlength
    return offsets, i


def broken_answer(query):
    """The real answer, broken as the mode says (modes about the answer section)."""
    reply = upstream_udp(query)
    offsets, end = answer_fields(reply)
    if mode == "out-of-bailiwick":
        record = b"\x04evil\x07invalid\x00" + struct.pack("!HHIH", 1, 1, 300, 4) + bytes([127, 0, 0, 99])
        # Authority and additional records go: their compressed names may point past `end`.
        reply = reply[:end] + record
        reply[6:12] = struct.pack("!HHH", len(offsets) + 1, 0, 0)
    elif mode == "ch-class":
        for o in offsets:
            reply[o + 2:o + 4] = struct.pack("!H", 3)
    elif mode == "huge-ttl":
        for o in offsets:
            reply[o + 4:o + 8] = b"\xff\xff\xff\xff"
    elif mode == "nxdomain-with-answers":
        reply[3] = (reply[3] & 0xF0) | 3
    return reply


answer_modes = ("out-of-bailiwick", "ch-class", "huge-ttl", "nxdomain-with-answers")
window = [0, 0]  # ratelimit: the current second, and the queries answered in it
rate = int(delay) if mode == "ratelimit" else 0  # ratelimit: DELAY_SECONDS is the queries per second


def answer_udp(sock, query, client):
    if mode in answer_modes:
        sock.sendto(broken_answer(query), client)
        return
    if mode == "formerr-edns":
        has_opt = struct.unpack("!H", query[10:12])[0] > 0
        sock.sendto(with_rcode(query, 1) if has_opt else upstream_udp(query), client)
        return
    if mode == "ratelimit":
        now = int(time.monotonic())
        if window[0] != now:
            window[0], window[1] = now, 0
        window[1] += 1
        if window[1] <= rate:
            sock.sendto(upstream_udp(query), client)
        return
    if mode == "timeout" or (mode == "srv-only" and qtype(query) != 33):
        return
    if mode == "srv-only":
        sock.sendto(upstream_udp(query), client)
    if mode == "servfail":
        sock.sendto(with_rcode(query, 2), client)
    elif mode == "servfail-ede":
        sock.sendto(with_ede(query, 2), client)
    elif mode == "refused":
        sock.sendto(with_rcode(query, 5), client)
    elif mode == "oversize":
        reply = with_rcode(query, 0)
        reply[6:8] = b"\xff\xff"   # ANCOUNT 65535
        sock.sendto(bytes(reply) + os.urandom(65000 - len(reply)), client)
    elif mode in ("truncate", "tcp-stall", "tcp-trickle", "truncate-always"):
        reply = with_rcode(query, 0)
        reply[2] |= 0x02      # TC
        sock.sendto(reply, client)
    elif mode == "garbage":
        sock.sendto(os.urandom(48), client)
    elif mode == "wrong-id":
        # Forged from the query itself (QR set, no answer): no upstream needed to lie.
        reply = with_rcode(query, 0)
        reply[0] ^= 0x5A
        sock.sendto(reply, client)
    elif mode == "wrong-question":
        reply = with_rcode(query, 0)
        if reply[12] > 0:
            reply[13] = ord("x") if reply[13] != ord("x") else ord("y")
        sock.sendto(reply, client)
    elif mode == "wrong-source":
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as other:
            other.bind(("127.0.0.1", 0))
            other.sendto(with_rcode(query, 0), client)
    elif mode == "spoof-then-real":
        reply = upstream_udp(query)
        sock.sendto(os.urandom(48), client)
        forged = bytearray(reply)
        forged[0] ^= 0x5A
        sock.sendto(forged, client)
        sock.sendto(reply, client)


def serve_tcp(conn):
    try:
        length = struct.unpack("!H", read_exactly(conn, 2))[0]
        query = read_exactly(conn, length)
        if mode in ("timeout", "tcp-stall") or (mode == "srv-only" and qtype(query) != 33):
            time.sleep(3600)
            return
        if mode == "tcp-trickle":
            conn.sendall(b"\xff\xff")
            while True:
                conn.sendall(b"\x00")
                time.sleep(0.2)
        if mode == "truncate-always":
            reply = with_rcode(query, 0)
            reply[2] |= 0x02
        elif mode == "servfail":
            reply = with_rcode(query, 2)
        elif mode == "servfail-ede":
            reply = with_ede(query, 2)
        elif mode == "refused":
            reply = with_rcode(query, 5)
        else:
            reply = upstream_tcp(query)
        conn.sendall(struct.pack("!H", len(reply)) + bytes(reply))
    except (EOFError, OSError):
        pass
    finally:
        conn.close()


def stop(*_):
    with open(f"{port}.count", "w") as f:
        f.write(str(received))
    sys.exit(0)


signal.pthread_sigmask(signal.SIG_SETMASK, [])  # the test runner's children start with signals blocked
signal.signal(signal.SIGTERM, stop)
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind(("127.0.0.1", port))
tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
tcp.bind(("127.0.0.1", port))
tcp.listen(64)


def serve_delayed():
    """Delay mode as one event loop: each query goes upstream at once on one socket (IDs
    rewritten so that answers can be matched), each answer waits in a timer heap until its
    delay is over. Thousands of queries in flight, no thread per query, nothing dropped."""
    global received
    for s in (udp,):
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    up = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    up.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    up.connect(("127.0.0.1", upstream))
    waiting, timers, next_id, seq = {}, [], 0, 0
    while True:
        timeout = max(0.0, timers[0][0] - time.monotonic()) if timers else None
        readable, _, _ = select.select([udp, up, tcp], [], [], timeout)
        for s in readable:
            if s is udp:
                query, client = udp.recvfrom(65535)
                received += 1
                waiting[next_id] = (client, query[:2])
                up.send(struct.pack("!H", next_id) + query[2:])
                next_id = (next_id + 1) & 0xFFFF
            elif s is up:
                answer = up.recv(65535)
                key = struct.unpack("!H", answer[:2])[0]
                if key in waiting:
                    client, original = waiting.pop(key)
                    seq += 1
                    heapq.heappush(timers, (time.monotonic() + delay, seq, original + answer[2:], client))
            else:
                conn, _ = tcp.accept()
                threading.Thread(target=serve_tcp, args=(conn,), daemon=True).start()
        now = time.monotonic()
        while timers and timers[0][0] <= now:
            _, _, packet, client = heapq.heappop(timers)
            udp.sendto(packet, client)


print("ready", flush=True)
if mode == "delay":
    serve_delayed()
while True:
    readable, _, _ = select.select([udp, tcp], [], [])
    for s in readable:
        if s is udp:
            query, client = udp.recvfrom(65535)
            received += 1
            with open(f"{port}.count", "w") as f:  # kept current: a test may stop us at any time
                f.write(str(received))
            try:
                answer_udp(udp, query, client)
            except OSError:
                pass
        else:
            conn, _ = tcp.accept()
            threading.Thread(target=serve_tcp, args=(conn,), daemon=True).start()
