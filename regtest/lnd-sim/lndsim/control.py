"""Plain-HTTP control API on 127.0.0.1 for tests: state, faults, held-payment resolution, reset.

Endpoints (JSON bodies; errors are 400 {"error": "..."}):
  GET  /v1/state                 whole simulator state and per-hash payment counters
  POST /v1/fault                 set or clear a fault on one node (see README.md)
  POST /v1/resolve               release or fail a payment held by the hold_payments fault
  POST /v1/reset                 clear faults and restore the initial network state
  POST /v1/restart               the node forgets everything: new identity key, fresh indexes
"""

import http.server
import json
import threading


class ControlServer:
    """Serves the control API for a Simulator."""

    def __init__(self, simulator, host="127.0.0.1"):
        handler = type("BoundControlHandler", (ControlHandler,), {"simulator": simulator})
        self._server = http.server.ThreadingHTTPServer((host, 0), handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]

    def start(self):
        """Serve on a daemon thread."""
        threading.Thread(target=self._server.serve_forever, daemon=True, name="lnd-sim-control").start()

    def stop(self):
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()


class ControlHandler(http.server.BaseHTTPRequestHandler):
    """Routes control requests to the Simulator."""

    simulator = None
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 (signature fixed by the base class)
        """Silence per-request logging."""

    def do_GET(self):  # noqa: N802 (http.server naming)
        """GET /v1/state."""
        if self.path.split("?")[0] != "/v1/state":
            return self._reply(404, {"error": f"unknown path {self.path}"})
        return self._reply(200, self.simulator.state())

    def do_POST(self):  # noqa: N802 (http.server naming)
        """POST /v1/fault, /v1/resolve, /v1/reset."""
        actions = {
            "/v1/fault": self.simulator.apply_fault,
            "/v1/resolve": self.simulator.resolve,
            "/v1/reset": lambda _: self.simulator.reset(),
            "/v1/restart": self.simulator.restart,
        }
        action = actions.get(self.path.split("?")[0])
        if action is None:
            return self._reply(404, {"error": f"unknown path {self.path}"})
        try:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            return self._reply(200, {"ok": True, **(action(body) or {})})
        except (ValueError, KeyError, TypeError, OSError) as exc:
            return self._reply(400, {"error": str(exc)})

    def _reply(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
