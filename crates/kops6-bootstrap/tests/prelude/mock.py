"""A stand-in for what a booting instance talks to, for the prelude test: IMDSv2 (token, metadata,
role credentials), S3 GETs of the state store, EC2 Query calls, and an HTTPS /readyz for the API.
Every request is appended to a JSON-lines log. Runs inside a network namespace the test makes.

Usage: mock.py CONFIG.json   (prints READY when all listeners are up)
"""
import http.server, json, os, ssl, socketserver, sys, threading

cfg = json.load(open(sys.argv[1]))
log_lock = threading.Lock()
state = {"prefix_assigned": False}


def record(entry):
    with log_lock, open(cfg["log"], "a") as f:
        f.write(json.dumps(entry) + "\n")


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    address_family = __import__("socket").AF_INET6
    daemon_threads = True


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, code, body=b"", ctype="text/plain"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n).decode() if n else ""

    def entry(self, service, body=""):
        e = {"service": service, "method": self.command, "path": self.path, "body": body,
             "authorization": self.headers.get("Authorization", ""),
             "security_token": self.headers.get("x-amz-security-token", "")}
        record(e)
        return e


class Imds(Handler):
    def do_PUT(self):
        self.entry("imds")
        if self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            return self.reply(200, cfg["imds_token"].encode())
        self.reply(400)

    def do_GET(self):
        self.entry("imds")
        if self.headers.get("X-aws-ec2-metadata-token") != cfg["imds_token"]:
            return self.reply(401)
        key = self.path.removeprefix("/latest/meta-data/")
        md = cfg["metadata"]
        if key.endswith("/ipv6-prefix") and cfg.get("prefix_after_assign") and not state["prefix_assigned"]:
            return self.reply(404)
        if key in md:
            return self.reply(200, md[key].encode())
        self.reply(404)


class Aws(Handler):
    def do_GET(self):
        if self.path.startswith(("/k8s/", "/calico/")):
            # Public downloads (package key, upstream manifests): plain HTTPS, no signature.
            self.entry("download")
            content = cfg["objects"].get(self.path)
            return self.reply(200, content.encode()) if content is not None else self.reply(404)
        e = self.entry("s3")
        if not e["authorization"].startswith("AWS4-HMAC-SHA256 Credential=" + cfg["access_key"] + "/"):
            return self.reply(403, b"unsigned")
        if e["security_token"] != cfg["session_token"]:
            return self.reply(403, b"no session token")
        content = cfg["objects"].get(self.path)
        if content is None:
            return self.reply(404, b"NoSuchKey")
        self.reply(200, content.encode())

    def do_POST(self):
        body = self.body()
        e = self.entry("ec2", body)
        if "/ec2/aws4_request" not in e["authorization"]:
            return self.reply(403, b"unsigned")
        params = dict(p.split("=", 1) for p in body.split("&") if "=" in p)
        action = params.get("Action")
        if action == "AssignIpv6Addresses":
            state["prefix_assigned"] = True
            return self.reply(200, b"<AssignIpv6AddressesResponse><return>true</return></AssignIpv6AddressesResponse>")
        if action == "DescribeVolumes":
            return self.reply(200, ("<DescribeVolumesResponse><volumeSet><item><volumeId>%s</volumeId>"
                                    "</item></volumeSet></DescribeVolumesResponse>" % cfg["volume_id"]).encode())
        if action == "AttachVolume":
            open(cfg["device"], "w").close()
            return self.reply(200, b"<AttachVolumeResponse><status>attaching</status></AttachVolumeResponse>")
        self.reply(400, b"unknown action")


class Api(Handler):
    def do_GET(self):
        self.entry("api")
        self.reply(200 if self.path == "/readyz" else 404, b"ok")


def serve(handler, host, port, tls=None):
    srv = Server((host, port), handler)
    if tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(tls["cert"], tls["key"])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()


serve(Imds, cfg["imds_host"], 80)
serve(Aws, cfg["aws_host"], 80)
if cfg.get("api_up"):
    serve(Api, cfg["api_host"], 443, cfg["api_tls"])
print("READY", flush=True)
threading.Event().wait(float(cfg.get("lifetime_seconds", 120)))
