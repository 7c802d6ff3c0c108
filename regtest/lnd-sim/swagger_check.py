"""Checks simulator answers against LND's own REST definitions (the swagger files of lnd v0.21.2-beta in
swagger/, from lnrpc/{lightning,routerrpc/router,invoicesrpc/invoices}.swagger.json).

grpc-gateway's swagger says how protojson writes each field: `"type": "string"` with format int64/uint64
is a JSON string, `"type": "integer"` a JSON number, format `byte` standard base64, an enum a list of
names, a map an object with `additionalProperties`; a stream's 200 schema is the `{"result", "error"}` line.
"""

import base64
import binascii
import json
from pathlib import Path

SWAGGER_DIR = Path(__file__).resolve().parent / "swagger"


class Swagger:
    """The paths and definitions of the three swagger files."""

    def __init__(self, directory=SWAGGER_DIR):
        self.paths, self.definitions = {}, {}
        for name in ("lightning", "router", "invoices"):
            document = json.loads((directory / f"{name}.swagger.json").read_text())
            self.paths.update(document["paths"])
            self.definitions.update(document["definitions"])

    def response_schema(self, method, path_template, status=200):
        """The schema of the answer to `method path_template` (the 200 one, or `default` for errors)."""
        responses = self.paths[path_template][method.lower()]["responses"]
        return responses["200" if status == 200 else "default"]["schema"]

    def problems(self, value, schema, where="$"):
        """Every way `value` differs from `schema`: unknown or missing fields, wrong JSON types, bad enums."""
        if "$ref" in schema:
            schema = self.definitions[schema["$ref"].rsplit("/", 1)[-1]]
        kind = schema.get("type", "object" if "properties" in schema else None)
        if kind == "object":
            return self._object_problems(value, schema, where)
        if kind == "array":
            if not isinstance(value, list):
                return [f"{where}: expected an array, got {value!r}"]
            return [p for i, item in enumerate(value) for p in self.problems(item, schema["items"], f"{where}[{i}]")]
        return _scalar_problems(value, schema, kind, where)

    def _object_problems(self, value, schema, where):
        if value is None:
            return []  # an unset sub-message is null (EmitUnpopulated)
        if not isinstance(value, dict):
            return [f"{where}: expected an object, got {value!r}"]
        if "additionalProperties" in schema:
            item = schema["additionalProperties"]
            return [p for key, v in value.items() for p in self.problems(v, item, f"{where}.{key}")]
        properties = schema.get("properties", {})
        found = [f"{where}.{key}: not in the definition" for key in value if key not in properties]
        if not {"result", "error"} & set(properties):  # stream lines carry one of the two
            found += [f"{where}.{key}: missing (EmitUnpopulated)" for key in properties if key not in value]
        for key, item in value.items():
            if key in properties:
                found += self.problems(item, properties[key], f"{where}.{key}")
        return found


def _scalar_problems(value, schema, kind, where):
    if kind == "string":
        if not isinstance(value, str):
            return [f"{where}: expected a JSON string ({schema.get('format', 'string')}), got {value!r}"]
        if "enum" in schema and value not in schema["enum"]:
            return [f"{where}: {value!r} is not one of {schema['enum']}"]
        if schema.get("format") in ("int64", "uint64") and not value.lstrip("-").isdigit():
            return [f"{where}: {value!r} is not a decimal {schema['format']}"]
        if schema.get("format") == "byte":
            try:
                base64.b64decode(value, validate=True)
            except binascii.Error:
                return [f"{where}: {value!r} is not standard base64"]
        return []
    if kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return [] if ok else [f"{where}: expected a JSON number, got {value!r}"]
    if kind == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return [] if ok else [f"{where}: expected a JSON number, got {value!r}"]
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{where}: expected a boolean, got {value!r}"]
    return []
