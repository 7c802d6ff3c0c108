"""gRPC status errors and their REST form, as grpc-gateway v2.16 renders them.

`runtime/errors.go` `HTTPStatusFromCode` maps the code to the HTTP status; the
body is the `google.rpc.Status` message marshalled with EmitUnpopulated, so
`details` is always present.
"""

OK, CANCELED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND = 0, 1, 2, 3, 4, 5
ALREADY_EXISTS, PERMISSION_DENIED, RESOURCE_EXHAUSTED, FAILED_PRECONDITION = 6, 7, 8, 9
ABORTED, OUT_OF_RANGE, UNIMPLEMENTED, INTERNAL, UNAVAILABLE = 10, 11, 12, 13, 14
DATA_LOSS, UNAUTHENTICATED = 15, 16

HTTP_STATUS = {
    OK: 200,
    CANCELED: 499,
    UNKNOWN: 500,
    INVALID_ARGUMENT: 400,
    DEADLINE_EXCEEDED: 504,
    NOT_FOUND: 404,
    ALREADY_EXISTS: 409,
    PERMISSION_DENIED: 403,
    RESOURCE_EXHAUSTED: 429,
    FAILED_PRECONDITION: 400,
    ABORTED: 409,
    OUT_OF_RANGE: 400,
    UNIMPLEMENTED: 501,
    INTERNAL: 500,
    UNAVAILABLE: 503,
    DATA_LOSS: 500,
    UNAUTHENTICATED: 401,
}


class RpcError(Exception):
    """An error returned by a simulated RPC (a gRPC status)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def http_status(self):
        """HTTP status grpc-gateway uses for this code (500 for unknown codes)."""
        return HTTP_STATUS.get(self.code, 500)

    def status_json(self):
        """The google.rpc.Status body: {"code", "message", "details"}."""
        return {"code": self.code, "message": self.message, "details": []}


def unknown(message):
    """A plain Go error from a handler: gRPC code Unknown (2), HTTP 500."""
    return RpcError(UNKNOWN, message)
