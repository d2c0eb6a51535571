#!/usr/bin/env python3
"""kops6 fault-injecting reverse proxy for moto on loopback.

Sits between the code under test (AWS SDK, Terraform, boto3) and moto_server,
records every AWS call, and can answer some of them with AWS-style throttling
or internal errors instead of forwarding them, so retry paths get exercised.

Usage:
    python proxy.py --target http://127.0.0.1:<moto port> [--port 0]
                    [--log calls.jsonl] [--fault-rate 0.2] [--seed 1]
                    [--fault-actions CreateVpc,s3:PUT] [--delay-ms 20]

Once listening it prints ``PORT=<n>`` to stdout and flushes. Only loopback
addresses are accepted, for both the listening host and the target.

Each proxied request is appended to --log as one JSON line:
    {"method", "path", "action", "status", "injected", "start", "end", "upstream_ms"}
``start`` and ``end`` are Unix times in seconds (when the request was read and
when its answer was ready, the added delay included); ``upstream_ms`` is how
long moto took to answer it (0 for an injected fault), so a benchmark can tell
time spent in moto from time spent waiting in the client.
``action`` is the query-protocol ``Action=`` (from the query string or the
form body), else the JSON-protocol ``X-Amz-Target`` operation, else
``"moto-api:" + METHOD`` for moto's own /moto-api paths, the Route53 operation
for its REST paths (``/2013-04-01/...``), else ``"s3:" + METHOD``. The line is written before the response goes out, so a
client that has its answer can read its line.

Faults: with probability --fault-rate a request (among --fault-actions, all by
default) is answered by the proxy with one of, chosen at random:
    503 RequestLimitExceeded  (EC2 throttling; S3 requests get 503 SlowDown)
    500 InternalError
    503 InternalError
in the protocol's error shape (EC2/query <Response><Errors>..., S3 <Error>...).
Every proxied request draws the same amount from a random.Random(--seed), so
the decisions depend only on the seed and the order requests arrive in.

Latency: with --delay-ms, every proxied request (injected faults included) is
answered that many milliseconds later than it would be, like a round trip to
a real AWS region; requests in flight at once are delayed concurrently.

Control endpoints (answered by the proxy, never forwarded, never logged):
    GET  /_proxy/stats                 {"requests", "by_action", "injected", "fault_rate"}
    POST /_proxy/reset                 zero the counters (the log file is kept)
    POST /_proxy/faults?rate=R[&actions=A,B]   change the fault rate (and actions)

Stops on SIGTERM/SIGINT.
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import random
import signal
import socket
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

# Hop-by-hop headers (RFC 9110 7.6.1) are never passed on; Content-Length is
# recomputed, Expect is answered by the proxy itself.
HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
    "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
    "content-length", "expect",
}

EC2_ERROR = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    "<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors>"
    "<RequestID>{rid}</RequestID></Response>"
)
S3_ERROR = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    "<Error><Code>{code}</Code><Message>{message}</Message><RequestId>{rid}</RequestId></Error>"
)
# (status, code, message); index 0 is throttling.
FAULTS = [
    (503, "RequestLimitExceeded", "Request limit exceeded."),
    (500, "InternalError", "An internal error has occurred."),
    (503, "InternalError", "An internal error has occurred."),
]
S3_THROTTLE = (503, "SlowDown", "Please reduce your request rate.")


def route53_action(method: str, path: str) -> str:
    """Route53 is a REST API: its action is in the method and path, not in ``Action=``."""
    parts = [p for p in path.split("/")[2:] if p]  # after /2013-04-01/
    head = parts[0] if parts else ""
    if head == "hostedzonesbyname":
        return "ListHostedZonesByName"
    if head == "change":
        return "GetChange"
    if head == "hostedzone":
        if len(parts) == 1:
            return {"GET": "ListHostedZones", "POST": "CreateHostedZone"}.get(method, "route53:" + method)
        if len(parts) == 2:
            return {"GET": "GetHostedZone", "DELETE": "DeleteHostedZone"}.get(method, "route53:" + method)
        sub = parts[2]
        if sub == "rrset":
            return "ListResourceRecordSets" if method == "GET" else "ChangeResourceRecordSets"
        if sub == "associatevpc":
            return "AssociateVPCWithHostedZone"
        if sub == "disassociatevpc":
            return "DisassociateVPCFromHostedZone"
    return "route53:" + method


def is_loopback(host: str) -> bool:
    """True for loopback IP literals only (no name lookups: "localhost" is refused)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class State:
    """Counters, fault settings and the log, shared by all handler threads."""

    def __init__(self, rate: float, seed: int, actions: set[str], log_path: str | None):
        self.lock = threading.Lock()
        self.rate = rate
        self.actions = actions  # empty: every action may fail
        self.rng = random.Random(seed)
        self.log = open(log_path, "a", encoding="utf-8") if log_path else None
        self.reset()

    def reset(self) -> None:
        self.requests = 0
        self.injected = 0
        self.by_action: dict[str, int] = {}

    def decide(self, action: str) -> tuple[int, str, str] | None:
        """Counts the request and returns the fault to inject, if any."""
        with self.lock:
            self.requests += 1
            self.by_action[action] = self.by_action.get(action, 0) + 1
            # Always two draws per request, so the sequence only depends on order.
            roll, kind = self.rng.random(), self.rng.randrange(len(FAULTS))
            eligible = not self.actions or action in self.actions
            if not (eligible and roll < self.rate):
                return None
            self.injected += 1
            fault = FAULTS[kind]
            if kind == 0 and action.startswith("s3:"):
                fault = S3_THROTTLE
            return fault

    def record(self, entry: dict[str, Any]) -> None:
        if self.log is None:
            return
        with self.lock:
            self.log.write(json.dumps(entry) + "\n")
            self.log.flush()

    def stats(self) -> dict[str, Any]:
        with self.lock:
            return {
                "requests": self.requests,
                "by_action": dict(self.by_action),
                "injected": self.injected,
                "fault_rate": self.rate,
            }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive with the client; every answer has Content-Length
    # Headers and body go out in separate writes; with Nagle on, the body waits for the
    # client's delayed ACK of the headers, adding ~40 ms to every answer on a kept-alive
    # connection (far more than moto itself takes).
    disable_nagle_algorithm = True
    server_version = "kops6-proxy"
    state: State  # set in main()
    target: tuple[str, int]
    delay: float = 0.0  # seconds added to every proxied request

    # Any method (GET, PUT, PATCH, ...) goes to the same place.
    def __getattr__(self, name: str):
        if name.startswith("do_"):
            return self.handle_request
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # quiet: the JSON log is the record, and stderr may be an undrained pipe

    # -- request plumbing ---------------------------------------------------

    def read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers are dropped
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()  # CRLF after each chunk
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def action_of(self, path: str, query: str, body: bytes) -> str:
        params = parse_qs(query)
        if "Action" not in params and self.headers.get("Content-Type", "").startswith(
            "application/x-www-form-urlencoded"
        ):
            params = parse_qs(body.decode("utf-8", "replace"))
        if "Action" in params:
            return params["Action"][0]
        target = self.headers.get("X-Amz-Target")
        if target:
            return target.rsplit(".", 1)[-1]
        if path.startswith("/moto-api"):
            return "moto-api:" + self.command
        if path.startswith("/2013-04-01/"):
            return route53_action(self.command, path)
        return "s3:" + self.command

    def reply(
        self, status: int, body: bytes, headers: list[tuple[str, str]] = (), length: int | None = None,
        upstream: bool = False,
    ) -> None:
        if upstream:
            self.log_request(status)
            self.send_response_only(status)  # moto's own Server and Date headers are in `headers`
        else:
            self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        if self.command != "HEAD" and status not in (204, 304) and status >= 200:
            self.wfile.write(body)

    def handle_request(self) -> None:
        try:
            body = self.read_body()
        except (ValueError, OSError):
            self.close_connection = True
            self.reply(400, b"bad request body\n")
            return
        parts = urlsplit(self.path)
        if parts.path.startswith("/_proxy/"):
            self.control(parts.path, parts.query)
            return

        action = self.action_of(parts.path, parts.query, body)
        start = time.time()
        if self.delay > 0:
            time.sleep(self.delay)
        fault = self.state.decide(action)
        if fault is not None:
            status, code, message = fault
            shape = S3_ERROR if action.startswith("s3:") else EC2_ERROR
            out = shape.format(code=code, message=message, rid=uuid.uuid4()).encode()
            self.state.record(self.entry(parts.path, action, status, True, start, 0.0))
            self.reply(status, out, [("Content-Type", "text/xml"), ("X-Kops6-Proxy-Injected", "1")])
            return

        upstream = time.monotonic()
        try:
            status, headers, out, length = self.forward(body)
        except (OSError, http.client.HTTPException) as exc:
            self.state.record(self.entry(parts.path, action, 502, False, start, 0.0))
            self.reply(502, f"kops6 proxy: upstream error: {exc}\n".encode(), [("Content-Type", "text/plain")])
            return
        upstream_ms = (time.monotonic() - upstream) * 1000.0
        self.state.record(self.entry(parts.path, action, status, False, start, upstream_ms))
        self.reply(status, out, headers, length, upstream=True)

    def forward(self, body: bytes) -> tuple[int, list[tuple[str, str]], bytes, int | None]:
        """Sends the request to moto unchanged (Host included, so SigV4 still matches)."""
        conn = http.client.HTTPConnection(*self.target, timeout=300)
        try:
            conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in HOP_BY_HOP:
                    conn.putheader(name, value)
            if body or self.command in ("POST", "PUT", "PATCH"):
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body or None)
            resp = conn.getresponse()
            out = resp.read()  # de-chunks if moto streamed
            headers = [(k, v) for k, v in resp.getheaders() if k.lower() not in HOP_BY_HOP]
            # HEAD answers keep moto's Content-Length (e.g. an S3 object's size), without a body.
            length = None
            if self.command == "HEAD" and resp.getheader("Content-Length") is not None:
                length = int(resp.getheader("Content-Length"))
            return resp.status, headers, out, length
        finally:
            conn.close()

    def entry(
        self, path: str, action: str, status: int, injected: bool, start: float, upstream_ms: float
    ) -> dict[str, Any]:
        return {
            "method": self.command, "path": path, "action": action, "status": status,
            "injected": injected, "start": start, "end": time.time(), "upstream_ms": round(upstream_ms, 3),
        }

    # -- control endpoints --------------------------------------------------

    def control(self, path: str, query: str) -> None:
        state = self.state
        if path == "/_proxy/stats" and self.command == "GET":
            result: Any = state.stats()
        elif path == "/_proxy/reset" and self.command == "POST":
            with state.lock:
                state.reset()
            result = state.stats()
        elif path == "/_proxy/faults" and self.command == "POST":
            params = parse_qs(query, keep_blank_values=True)  # "actions=" means all again
            try:
                rate = float(params["rate"][0])
                if not 0.0 <= rate <= 1.0:
                    raise ValueError(rate)
            except (KeyError, ValueError):
                self.reply(400, b'{"error": "rate must be a number in 0..1"}\n', [("Content-Type", "application/json")])
                return
            with state.lock:
                state.rate = rate
                if "actions" in params:
                    state.actions = {a for a in params["actions"][0].split(",") if a}
            result = {"fault_rate": rate, "fault_actions": sorted(state.actions)}
        else:
            self.reply(404, b'{"error": "unknown control endpoint"}\n', [("Content-Type", "application/json")])
            return
        self.reply(200, (json.dumps(result) + "\n").encode(), [("Content-Type", "application/json")])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True, help="moto endpoint, http://127.0.0.1:<port>")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default 0)")
    parser.add_argument("--log", help="append one JSON line per proxied request to this file")
    parser.add_argument("--fault-rate", type=float, default=0.0, help="probability 0..1 of injecting a fault")
    parser.add_argument("--seed", type=int, default=0, help="seed for fault decisions (default 0)")
    parser.add_argument("--fault-actions", default="", help="comma-separated actions that may fail (default all)")
    parser.add_argument("--delay-ms", type=float, default=0.0, help="latency added to every proxied request (default 0)")
    args = parser.parse_args(argv)

    target = urlsplit(args.target)
    if target.scheme != "http" or not target.hostname or target.path not in ("", "/"):
        parser.error(f"--target {args.target!r} must look like http://127.0.0.1:<port>")
    if not is_loopback(target.hostname):
        parser.error(f"--target {args.target!r} is not a loopback address; the proxy only forwards to loopback")
    if not is_loopback(args.host):
        parser.error(f"--host {args.host!r} is not a loopback address")
    if not 0.0 <= args.fault_rate <= 1.0:
        parser.error("--fault-rate must be in 0..1")
    if args.delay_ms < 0:
        parser.error("--delay-ms must not be negative")

    Handler.state = State(
        args.fault_rate, args.seed, {a for a in args.fault_actions.split(",") if a}, args.log
    )
    Handler.target = (target.hostname, target.port or 80)
    Handler.delay = args.delay_ms / 1000.0
    class Server(ThreadingHTTPServer):
        address_family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
        daemon_threads = True  # idle keep-alive connections do not hold up exit

    server = Server((args.host, args.port), Handler)

    def _stop(signum: int, frame: Any) -> None:
        # shutdown() waits for serve_forever to return, so call it off-thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)

    sys.stdout.write(f"PORT={server.server_address[1]}\n")
    sys.stdout.flush()
    try:
        server.serve_forever()
    finally:
        server.server_close()
        if Handler.state.log is not None:
            Handler.state.log.close()


if __name__ == "__main__":
    main()
