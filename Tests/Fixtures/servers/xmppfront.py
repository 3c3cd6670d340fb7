#!/usr/bin/env python3
"""A small XMPP server-to-server front for fedplan's `cert check` tests (loopback only).

Usage: xmppfront.py PORT CERT_CHAIN_PEM KEY_PEM [MODE]

For each connection: reads the stream header, answers with a stream header and features
offering STARTTLS, waits for <starttls/>, says <proceed/>, then does the TLS handshake with the
given certificate chain and closes. MODE no-starttls offers no STARTTLS; stall never answers.
"""
import signal
import socket
import ssl
import sys
import threading

port, chain, key = int(sys.argv[1]), sys.argv[2], sys.argv[3]
mode = sys.argv[4] if len(sys.argv) > 4 else "starttls"
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(chain, key)


def read_until(conn, marker):
    data = b""
    while marker not in data:
        chunk = conn.recv(4096)
        if not chunk:
            raise EOFError
        data += chunk
    return data


def serve(conn):
    try:
        read_until(conn, b">")  # the XML declaration or the stream header
        if mode == "stall":
            threading.Event().wait(3600)
        conn.sendall(b"<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
                     b"xmlns:stream='http://etherx.jabber.org/streams' from='contoso.com' id='t1' version='1.0'>")
        if mode == "no-starttls":
            conn.sendall(b"<stream:features><dialback xmlns='urn:xmpp:features:dialback'/></stream:features>")
            read_until(conn, b"</stream:stream>")
            return
        conn.sendall(b"<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
                     b"</stream:features>")
        read_until(conn, b"<starttls")
        conn.sendall(b"<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
        tls = context.wrap_socket(conn, server_side=True)
        tls.close()
    except (EOFError, OSError, ssl.SSLError):
        pass
    finally:
        conn.close()


signal.pthread_sigmask(signal.SIG_SETMASK, [])
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", port))
server.listen(16)
print("ready", flush=True)
while True:
    conn, _ = server.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
