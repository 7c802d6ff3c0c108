"""The HTTPS listener of one simulated node: Go net/http + grpc-gateway behaviour on the wire.

* A plain-HTTP request on the TLS port gets Go's reply
  (`net/http/server.go`: "HTTP/1.0 400 Bad Request ... Client sent an HTTP
  request to an HTTPS server.") when its first bytes look like HTTP.
* Unary responses carry Content-Length up to 2048 bytes and are chunked above,
  as Go's ResponseWriter does; streams are chunked, one `{"result":...}\\n`
  chunk per message (`runtime/handler.go` ForwardResponseStream).
* Gateway errors (routing, body/parameter decoding) use the unary error body
  even on streaming routes; errors from the RPC itself use the wrapped
  `{"error":...}` line on streaming routes, with the HTTP status from the
  code if no message was written yet (`handleForwardResponseStreamError`).
"""

import contextlib
import http.server
import select
import socket
import ssl
import struct
import threading
import time
from urllib.parse import parse_qs, unquote, urlsplit

from . import proto, routes
from .macaroons import MacaroonError
from .rpcerror import INVALID_ARGUMENT, NOT_FOUND, UNIMPLEMENTED, UNKNOWN, RpcError
from .rpcs import RPCS, Call

GO_PLAIN_HTTP_REPLY = b"HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"
HTTP_LOOKING_PREFIXES = (b"GET /", b"HEAD ", b"POST ", b"PUT /", b"OPTIO")
GO_CHUNKING_THRESHOLD = 2048
MAX_BODY_BYTES = 4 << 20
SNIFF_TIMEOUT_SECONDS = 10
IDLE_TIMEOUT_SECONDS = 300


class RestServer:
    """Accepts TLS connections for one node and serves them on threads."""

    def __init__(self, network, node, faults, ssl_context, host="127.0.0.1"):
        self.network = network
        self.host = host
        self.node = node
        self.faults = faults
        self.ssl_context = ssl_context
        self.port = 0
        self.calls = {}  # RPC name -> number of routed requests (guarded by network.lock)
        self._listener = None
        self._connections = set()
        self._conn_lock = threading.Lock()
        self._stopped = False

    def start(self):
        """Bind the host (a free port the first time, the same port after a refuse fault)."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept_loop, args=(listener,), daemon=True,
                         name=f"rest-{self.node.name}").start()

    def refuse(self, enabled):
        """Close the listener and reset open connections, or listen again on the same port."""
        if enabled and self._listener is not None:
            self._close_listener()
            self.reset_connections()
        elif not enabled and self._listener is None:
            self.start()

    def stop(self):
        """Stop listening and drop every connection."""
        self._stopped = True
        self._close_listener()
        self.reset_connections()

    def reset_connections(self):
        """Abort every open connection with a TCP reset."""
        with self._conn_lock:
            connections = list(self._connections)
        for conn in connections:
            abort(conn)

    def _close_listener(self):
        """Stop listening; shutdown() first so that the thread blocked in accept() lets go."""
        if self._listener is not None:
            listener, self._listener = self._listener, None
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()

    def _accept_loop(self, listener):
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve_connection, args=(conn,), daemon=True).start()

    def _serve_connection(self, conn):
        """Sniff, handshake and serve one connection; reset it if the node starts refusing meanwhile."""
        tls = None
        try:
            if self._track(None, conn):
                tls = self._handshake(conn)
            if tls is not None and self._track(conn, tls):
                RestHandler(tls, self)
        except (OSError, ssl.SSLError):
            pass
        finally:
            self._track(tls or conn, None)
            refusing = self._listener is None
            for sock in (tls, conn):
                if sock is not None:
                    if refusing:
                        abort(sock)
                    sock.close()

    def _track(self, old, new):
        """Replace `old` by `new` in the set reset by faults; False if the node refuses connections now."""
        with self._conn_lock:
            self._connections.discard(old)
            if new is None:
                return True
            if self._stopped or self._listener is None:
                return False
            self._connections.add(new)
            return True

    def _handshake(self, conn):
        """Answer plain HTTP like Go does, else complete the TLS handshake (None if nothing to serve)."""
        conn.settimeout(SNIFF_TIMEOUT_SECONDS)
        deadline = time.monotonic() + SNIFF_TIMEOUT_SECONDS
        head = conn.recv(5, socket.MSG_PEEK)
        while 0 < len(head) < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
            head = conn.recv(5, socket.MSG_PEEK)
        if len(head) < 5:
            return None
        if head in HTTP_LOOKING_PREFIXES:
            conn.recv(65536)  # Go has read the request with the record header; closing unread data would RST
            conn.sendall(GO_PLAIN_HTTP_REPLY)
            return None
        tls = self.ssl_context.wrap_socket(conn, server_side=True)
        tls.settimeout(IDLE_TIMEOUT_SECONDS)
        return tls


def abort(conn):
    """Reset a connection (SO_LINGER 0, then shutdown) so that the peer sees a reset, not EOF.

    The plain socket.shutdown is used even for TLS sockets: SSLSocket.shutdown would
    drop the SSL object under the feet of the thread still serving the connection.
    """
    with contextlib.suppress(OSError):
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        socket.socket.shutdown(conn, socket.SHUT_RDWR)


class StreamAbortedError(Exception):
    """A drop_stream fault cut the connection."""


class RestHandler(http.server.BaseHTTPRequestHandler):
    """One TLS connection; requests are dispatched to the simulated RPCs."""

    protocol_version = "HTTP/1.1"

    def __init__(self, tls, rest_server):
        self.rest = rest_server
        self.route_path = ""
        super().__init__(tls, ("127.0.0.1", 0), rest_server)

    def log_message(self, format, *args):  # noqa: A002 (signature fixed by the base class)
        """Silence per-request logging."""

    def send_response(self, code, message=None):
        """Status line and Date only (Go sends no Server header)."""
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())

    def send_error(self, code, message=None, explain=None):
        """Malformed requests: Go's plain-text "400 Bad Request" style reply."""
        body = f"{code} {http.server.HTTPStatus(code).phrase}".encode()
        self.send_response_only(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def do_GET(self):  # noqa: N802 (http.server naming)
        """Any method goes through the gateway mux."""
        self._dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET  # noqa: N815

    # --- request pipeline -----------------------------------------------------------

    def _dispatch(self):
        faults = self.rest.faults
        if faults.delay_ms:
            time.sleep(faults.delay_ms / 1000)
        url = urlsplit(self.path)
        self.route_path = unquote(url.path)
        body = self._read_body()
        route, params = routes.resolve(self.command, self.route_path)
        if route is None:
            code, text = (UNIMPLEMENTED, "Method Not Allowed") if params == 405 else (NOT_FOUND, "Not Found")
            return self._send_unary_error(RpcError(code, text), grpc_md=False)
        spec = RPCS.get(route.rpc)
        if spec is None:
            message = f"lnd-sim: {route.rpc} is not simulated"
            return self._send_unary_error(RpcError(UNIMPLEMENTED, message), grpc_md=False)
        try:
            req = self._decode(spec, params, url.query, body)
        except RpcError as err:
            return self._send_unary_error(err, grpc_md=False)
        return self._call(route, spec, req)

    def _read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(min(length, MAX_BODY_BYTES))

    def _read_chunked(self):
        data = b""
        while len(data) <= MAX_BODY_BYTES:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return data
            data += self.rfile.read(size)
            self.rfile.readline()
        return data

    def _decode(self, spec, params, query, body):
        """Build the request message as the generated gateway code does."""
        if spec.body:
            return proto.unmarshal_body(spec.request, body)
        fields = dict(proto.SCHEMAS[spec.request])
        req = {}
        for name, value in params.items():
            if fields.get(name) == "bytes":
                try:
                    req[name] = proto.go_base64_bytes(value)
                except ValueError as exc:
                    raise RpcError(INVALID_ARGUMENT, f"type mismatch, parameter: {name}, error: {exc}") from None
            else:
                req[name] = value
        query_params = {k: v for k, v in parse_qs(query, keep_blank_values=True).items() if k not in params}
        req.update(proto.unmarshal_query(spec.request, query_params))
        return req

    def _call(self, route, spec, req):
        faults, network = self.rest.faults, self.rest.network
        with network.lock:
            self.rest.calls[route.rpc] = self.rest.calls.get(route.rpc, 0) + 1
            forced = faults.take_error(self.command, self.route_path, route, "before")
            latency = faults.latency(self.command, self.route_path, route)
        if latency:
            time.sleep(latency)
        if forced:
            return self._send_rpc_error(spec, RpcError(forced["grpc_code"], forced["message"]))
        try:
            self.rest.node.macaroons.check(self.headers.get_all("Grpc-Metadata-macaroon") or [], spec.permission)
        except MacaroonError as exc:
            return self._send_rpc_error(spec, RpcError(UNKNOWN, str(exc)))
        call = Call(network, self.rest.node, req, self._client_alive)
        if spec.stream:
            return self._serve_stream(route, spec, call)
        try:
            with network.lock:
                result = spec.handler(call)
                forced = faults.take_error(self.command, self.route_path, route, "after")
        except RpcError as err:
            return self._send_unary_error(err)
        if forced:
            return self._send_unary_error(RpcError(forced["grpc_code"], forced["message"]))
        return self._send_unary(200, proto.protojson(result))

    def _send_rpc_error(self, spec, err):
        if spec.stream:
            return self._send_stream_error_first(err)
        return self._send_unary_error(err)

    # --- streams -------------------------------------------------------------------------

    def _serve_stream(self, route, spec, call):
        messages = spec.handler(call)
        try:
            first = next(messages)
        except StopIteration:
            return self._end_empty_stream()
        except RpcError as err:
            return self._send_stream_error_first(err)
        with self.rest.network.lock:
            forced = self.rest.faults.take_error(self.command, self.route_path, route, "after")
            drop = self.rest.faults.take_drop(self.command, self.route_path, route)
        if forced:
            messages.close()
            return self._send_stream_error_first(RpcError(forced["grpc_code"], forced["message"]))
        self._start_chunked(200)
        try:
            self._write_messages(first, messages, drop)
        except RpcError as err:
            self._write_chunk(proto.go_json_line({"error": err.status_json()}) + "\n")
        except (StreamAbortedError, OSError, ssl.SSLError):
            messages.close()
            self.close_connection = True
            return None
        self.wfile.write(b"0\r\n\r\n")
        return None

    def _write_messages(self, first, messages, drop):
        for count, message in enumerate(_chain(first, messages), start=1):
            self._write_chunk(proto.go_json_line({"result": message}) + "\n")
            if drop and count >= drop["after"]:
                if drop.get("grpc_code") is not None:
                    raise RpcError(drop["grpc_code"], drop["message"])
                if drop.get("silent"):
                    self._hold_silently()
                abort(self.connection)
                raise StreamAbortedError

    def _hold_silently(self):
        """A stream lost on the way without a reset (NAT, firewall, Tor): the connection stays open and nothing
        more arrives, until the client gives up."""
        while self._client_alive():
            time.sleep(0.1)
        raise StreamAbortedError

    def _end_empty_stream(self):
        self._start_chunked(200)
        self.wfile.write(b"0\r\n\r\n")

    def _send_stream_error_first(self, err):
        self._start_chunked(err.http_status)
        self._write_chunk(proto.go_json_line({"error": err.status_json()}) + "\n")
        self.wfile.write(b"0\r\n\r\n")

    def _start_chunked(self, status):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Grpc-Metadata-Content-Type", "application/grpc")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def _write_chunk(self, text):
        data = text.encode()
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")

    def _client_alive(self):
        """False once the peer hung up (or a fault reset the connection)."""
        poller = select.poll()
        poller.register(self.connection, select.POLLRDHUP | select.POLLHUP | select.POLLERR)
        try:
            return not poller.poll(0)
        except OSError:
            return False

    # --- unary -----------------------------------------------------------------------------

    def _send_unary_error(self, err, grpc_md=True):
        self._send_unary(err.http_status, proto.protojson(err.status_json()), grpc_md)

    def _send_unary(self, status, text, grpc_md=True):
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if grpc_md:
            self.send_header("Grpc-Metadata-Content-Type", "application/grpc")
        if len(data) > GO_CHUNKING_THRESHOLD:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)


def _chain(first, rest):
    yield first
    yield from rest
