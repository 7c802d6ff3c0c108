"""Proto message schemas and the REST JSON codec of LND's grpc-gateway.

Output follows protojson with `EmitUnpopulated: true, UseProtoNames: true`
(`lnrpc/rpc_utils.go` RESTJsonMarshalOpts): every field present, in .proto
declaration order, 64-bit integers as strings, bytes as padded standard base64,
enums as names, unset messages as null, map keys as strings.
Input follows protojson Unmarshal (unknown body fields rejected, proto or
lowerCamel names, 64-bit integers as strings or numbers, bytes in any base64
flavour) and grpc-gateway's query-parameter parser (`runtime/query.go`,
`runtime/convert.go`: unknown parameters ignored, bytes padded base64 only).

Schemas are transcribed from lnd v0.21.2-beta `lnrpc/lightning.proto`,
`lnrpc/routerrpc/router.proto` and `lnrpc/invoicesrpc/invoices.proto`
(only the messages the simulator serves).
"""

import base64
import binascii
import json
import re

from .rpcerror import INVALID_ARGUMENT, RpcError

SCHEMAS = {
    "GetInfoResponse": [
        ("version", "string"), ("commit_hash", "string"), ("identity_pubkey", "string"),
        ("alias", "string"), ("color", "string"), ("num_pending_channels", "uint32"),
        ("num_active_channels", "uint32"), ("num_inactive_channels", "uint32"),
        ("num_peers", "uint32"), ("block_height", "uint32"), ("block_hash", "string"),
        ("best_header_timestamp", "int64"), ("synced_to_chain", "bool"),
        ("synced_to_graph", "bool"), ("testnet", "bool"), ("chains", "[]Chain"),
        ("uris", "[]string"), ("features", "map<uint32,Feature>"),
        ("require_htlc_interceptor", "bool"), ("store_final_htlc_resolutions", "bool"),
        ("wallet_synced", "bool"), ("graph_cache_status", "GraphCacheStatus"),
    ],
    "Chain": [
        ("chain", "string"), ("network", "string"),
    ],
    "Feature": [
        ("name", "string"), ("is_required", "bool"), ("is_known", "bool"),
    ],
    "ChannelBalanceResponse": [
        ("balance", "int64"), ("pending_open_balance", "int64"), ("local_balance", "Amount"),
        ("remote_balance", "Amount"), ("unsettled_local_balance", "Amount"),
        ("unsettled_remote_balance", "Amount"), ("pending_open_local_balance", "Amount"),
        ("pending_open_remote_balance", "Amount"), ("custom_channel_data", "bytes"),
    ],
    "Amount": [
        ("sat", "uint64"), ("msat", "uint64"),
    ],
    "WalletBalanceResponse": [
        ("total_balance", "int64"), ("confirmed_balance", "int64"),
        ("unconfirmed_balance", "int64"), ("locked_balance", "int64"),
        ("reserved_balance_anchor_chan", "int64"),
        ("account_balance", "map<string,WalletAccountBalance>"),
    ],
    "WalletAccountBalance": [
        ("confirmed_balance", "int64"), ("unconfirmed_balance", "int64"),
    ],
    "ListChannelsResponse": [
        ("channels", "[]Channel"),
    ],
    "Channel": [
        ("active", "bool"), ("remote_pubkey", "string"), ("channel_point", "string"),
        ("chan_id", "uint64"), ("capacity", "int64"), ("local_balance", "int64"),
        ("remote_balance", "int64"), ("commit_fee", "int64"), ("commit_weight", "int64"),
        ("fee_per_kw", "int64"), ("unsettled_balance", "int64"), ("total_satoshis_sent", "int64"),
        ("total_satoshis_received", "int64"), ("num_updates", "uint64"),
        ("pending_htlcs", "[]HTLC"), ("csv_delay", "uint32"), ("private", "bool"),
        ("initiator", "bool"), ("chan_status_flags", "string"),
        ("local_chan_reserve_sat", "int64"), ("remote_chan_reserve_sat", "int64"),
        ("static_remote_key", "bool"), ("commitment_type", "CommitmentType"),
        ("lifetime", "int64"), ("uptime", "int64"), ("close_address", "string"),
        ("push_amount_sat", "uint64"), ("thaw_height", "uint32"),
        ("local_constraints", "ChannelConstraints"), ("remote_constraints", "ChannelConstraints"),
        ("alias_scids", "[]uint64"), ("zero_conf", "bool"), ("zero_conf_confirmed_scid", "uint64"),
        ("peer_alias", "string"), ("peer_scid_alias", "uint64"), ("memo", "string"),
        ("custom_channel_data", "bytes"),
    ],
    "HTLC": [
        ("incoming", "bool"), ("amount", "int64"), ("hash_lock", "bytes"),
        ("expiration_height", "uint32"), ("htlc_index", "uint64"),
        ("forwarding_channel", "uint64"), ("forwarding_htlc_index", "uint64"),
        ("locked_in", "bool"),
    ],
    "ChannelConstraints": [
        ("csv_delay", "uint32"), ("chan_reserve_sat", "uint64"), ("dust_limit_sat", "uint64"),
        ("max_pending_amt_msat", "uint64"), ("min_htlc_msat", "uint64"),
        ("max_accepted_htlcs", "uint32"),
    ],
    "Invoice": [
        ("memo", "string"), ("r_preimage", "bytes"), ("r_hash", "bytes"), ("value", "int64"),
        ("value_msat", "int64"), ("settled", "bool"), ("creation_date", "int64"),
        ("settle_date", "int64"), ("payment_request", "string"), ("description_hash", "bytes"),
        ("expiry", "int64"), ("fallback_addr", "string"), ("cltv_expiry", "uint64"),
        ("route_hints", "[]RouteHint"), ("private", "bool"), ("add_index", "uint64"),
        ("settle_index", "uint64"), ("amt_paid", "int64"), ("amt_paid_sat", "int64"),
        ("amt_paid_msat", "int64"), ("state", "InvoiceState"), ("htlcs", "[]InvoiceHTLC"),
        ("features", "map<uint32,Feature>"), ("is_keysend", "bool"), ("payment_addr", "bytes"),
        ("is_amp", "bool"), ("amp_invoice_state", "map<string,AMPInvoiceState>"),
        ("is_blinded", "bool"), ("blinded_path_config", "BlindedPathConfig"),
    ],
    "InvoiceHTLC": [
        ("chan_id", "uint64"), ("htlc_index", "uint64"), ("amt_msat", "uint64"),
        ("accept_height", "int32"), ("accept_time", "int64"), ("resolve_time", "int64"),
        ("expiry_height", "int32"), ("state", "InvoiceHTLCState"),
        ("custom_records", "map<uint64,bytes>"), ("mpp_total_amt_msat", "uint64"), ("amp", "AMP"),
        ("custom_channel_data", "bytes"),
    ],
    "AMP": [
        ("root_share", "bytes"), ("set_id", "bytes"), ("child_index", "uint32"), ("hash", "bytes"),
        ("preimage", "bytes"),
    ],
    "AMPInvoiceState": [
        ("state", "InvoiceHTLCState"), ("settle_index", "uint64"), ("settle_time", "int64"),
        ("amt_paid_msat", "int64"),
    ],
    "RouteHint": [
        ("hop_hints", "[]HopHint"),
    ],
    "HopHint": [
        ("node_id", "string"), ("chan_id", "uint64"), ("fee_base_msat", "uint32"),
        ("fee_proportional_millionths", "uint32"), ("cltv_expiry_delta", "uint32"),
    ],
    "AddInvoiceResponse": [
        ("r_hash", "bytes"), ("payment_request", "string"), ("add_index", "uint64"),
        ("payment_addr", "bytes"),
    ],
    "ListInvoiceResponse": [
        ("invoices", "[]Invoice"), ("last_index_offset", "uint64"),
        ("first_index_offset", "uint64"),
    ],
    "PayReq": [
        ("destination", "string"), ("payment_hash", "string"), ("num_satoshis", "int64"),
        ("timestamp", "int64"), ("expiry", "int64"), ("description", "string"),
        ("description_hash", "string"), ("fallback_addr", "string"), ("cltv_expiry", "int64"),
        ("route_hints", "[]RouteHint"), ("payment_addr", "bytes"), ("num_msat", "int64"),
        ("features", "map<uint32,Feature>"), ("blinded_paths", "[]BlindedPaymentPath"),
    ],
    "Payment": [
        ("payment_hash", "string"), ("value", "int64"), ("creation_date", "int64"),
        ("fee", "int64"), ("payment_preimage", "string"), ("value_sat", "int64"),
        ("value_msat", "int64"), ("payment_request", "string"), ("status", "PaymentStatus"),
        ("fee_sat", "int64"), ("fee_msat", "int64"), ("creation_time_ns", "int64"),
        ("htlcs", "[]HTLCAttempt"), ("payment_index", "uint64"),
        ("failure_reason", "PaymentFailureReason"),
        ("first_hop_custom_records", "map<uint64,bytes>"),
    ],
    "HTLCAttempt": [
        ("attempt_id", "uint64"), ("status", "HTLCStatus"), ("route", "Route"),
        ("attempt_time_ns", "int64"), ("resolve_time_ns", "int64"), ("failure", "Failure"),
        ("preimage", "bytes"),
    ],
    "Route": [
        ("total_time_lock", "uint32"), ("total_fees", "int64"), ("total_amt", "int64"),
        ("hops", "[]Hop"), ("total_fees_msat", "int64"), ("total_amt_msat", "int64"),
        ("first_hop_amount_msat", "int64"), ("custom_channel_data", "bytes"),
    ],
    "Hop": [
        ("chan_id", "uint64"), ("chan_capacity", "int64"), ("amt_to_forward", "int64"),
        ("fee", "int64"), ("expiry", "uint32"), ("amt_to_forward_msat", "int64"),
        ("fee_msat", "int64"), ("pub_key", "string"), ("tlv_payload", "bool"),
        ("mpp_record", "MPPRecord"), ("amp_record", "AMPRecord"),
        ("custom_records", "map<uint64,bytes>"), ("metadata", "bytes"),
        ("blinding_point", "bytes"), ("encrypted_data", "bytes"), ("total_amt_msat", "uint64"),
    ],
    "MPPRecord": [
        ("payment_addr", "bytes"), ("total_amt_msat", "int64"),
    ],
    "AMPRecord": [
        ("root_share", "bytes"), ("set_id", "bytes"), ("child_index", "uint32"),
    ],
    "Failure": [
        ("code", "FailureCode"), ("channel_update", "ChannelUpdate"), ("htlc_msat", "uint64"),
        ("onion_sha_256", "bytes"), ("cltv_expiry", "uint32"), ("flags", "uint32"),
        ("failure_source_index", "uint32"), ("height", "uint32"),
    ],
    "ChannelUpdate": [
        ("signature", "bytes"), ("chain_hash", "bytes"), ("chan_id", "uint64"),
        ("timestamp", "uint32"), ("message_flags", "uint32"), ("channel_flags", "uint32"),
        ("time_lock_delta", "uint32"), ("htlc_minimum_msat", "uint64"), ("base_fee", "uint32"),
        ("fee_rate", "uint32"), ("htlc_maximum_msat", "uint64"), ("extra_opaque_data", "bytes"),
    ],
    "ListPaymentsResponse": [
        ("payments", "[]Payment"), ("first_index_offset", "uint64"),
        ("last_index_offset", "uint64"), ("total_num_payments", "uint64"),
    ],
    "AddHoldInvoiceResp": [
        ("payment_request", "string"), ("add_index", "uint64"), ("payment_addr", "bytes"),
    ],
    "PendingChannelsResponse": [
        ("total_limbo_balance", "int64"), ("pending_open_channels", "[]PendingOpenChannel"),
        ("pending_closing_channels", "[]ClosedChannel"),
        ("pending_force_closing_channels", "[]ForceClosedChannel"),
        ("waiting_close_channels", "[]WaitingCloseChannel"),
    ],
    "ClosedChannelsResponse": [
        ("channels", "[]ChannelCloseSummary"),
    ],
    "FeeReportResponse": [
        ("channel_fees", "[]ChannelFeeReport"), ("day_fee_sum", "uint64"),
        ("week_fee_sum", "uint64"), ("month_fee_sum", "uint64"),
    ],
    "ChannelFeeReport": [
        ("chan_id", "uint64"), ("channel_point", "string"), ("base_fee_msat", "int64"),
        ("fee_per_mil", "int64"), ("fee_rate", "double"), ("inbound_base_fee_msat", "int32"),
        ("inbound_fee_per_mil", "int32"),
    ],
    "RouteFeeRequest": [
        ("dest", "bytes"), ("amt_sat", "int64"), ("payment_request", "string"),
        ("timeout", "uint32"),
    ],
    "RouteFeeResponse": [
        ("routing_fee_msat", "int64"), ("time_lock_delay", "int64"),
        ("failure_reason", "PaymentFailureReason"),
    ],
    "SendPaymentRequest": [
        ("dest", "bytes"), ("amt", "int64"), ("payment_hash", "bytes"),
        ("final_cltv_delta", "int32"), ("payment_request", "string"), ("timeout_seconds", "int32"),
        ("fee_limit_sat", "int64"), ("cltv_limit", "int32"), ("route_hints", "[]RouteHint"),
        ("dest_custom_records", "map<uint64,bytes>"), ("amt_msat", "int64"),
        ("fee_limit_msat", "int64"), ("last_hop_pubkey", "bytes"), ("allow_self_payment", "bool"),
        ("dest_features", "[]FeatureBit"), ("max_parts", "uint32"),
        ("no_inflight_updates", "bool"), ("outgoing_chan_ids", "[]uint64"),
        ("payment_addr", "bytes"), ("max_shard_size_msat", "uint64"), ("amp", "bool"),
        ("time_pref", "double"), ("cancelable", "bool"),
        ("first_hop_custom_records", "map<uint64,bytes>"),
    ],
    "AddHoldInvoiceRequest": [
        ("memo", "string"), ("hash", "bytes"), ("value", "int64"), ("value_msat", "int64"),
        ("description_hash", "bytes"), ("expiry", "int64"), ("fallback_addr", "string"),
        ("cltv_expiry", "uint64"), ("route_hints", "[]RouteHint"), ("private", "bool"),
    ],
    "SettleInvoiceMsg": [
        ("preimage", "bytes"),
    ],
    "CancelInvoiceMsg": [
        ("payment_hash", "bytes"),
    ],
    "LookupInvoiceMsg": [
        ("payment_hash", "bytes"), ("payment_addr", "bytes"), ("set_id", "bytes"),
        ("lookup_modifier", "LookupModifier"),
    ],
    "InvoiceSubscription": [
        ("add_index", "uint64"), ("settle_index", "uint64"),
    ],
    "ListPaymentsRequest": [
        ("include_incomplete", "bool"), ("index_offset", "uint64"), ("max_payments", "uint64"),
        ("reversed", "bool"), ("count_total_payments", "bool"), ("creation_date_start", "uint64"),
        ("creation_date_end", "uint64"), ("omit_hops", "bool"),
    ],
    "ListInvoiceRequest": [
        ("pending_only", "bool"), ("index_offset", "uint64"), ("num_max_invoices", "uint64"),
        ("reversed", "bool"), ("creation_date_start", "uint64"), ("creation_date_end", "uint64"),
    ],
    "TrackPaymentRequest": [
        ("payment_hash", "bytes"), ("no_inflight_updates", "bool"),
    ],
    "PaymentHash": [
        ("r_hash_str", "string"), ("r_hash", "bytes"),
    ],
    "PayReqString": [
        ("pay_req", "string"),
    ],
    "SubscribeSingleInvoiceRequest": [
        ("r_hash", "bytes"),
    ],
    "ListChannelsRequest": [
        ("active_only", "bool"), ("inactive_only", "bool"), ("public_only", "bool"),
        ("private_only", "bool"), ("peer", "bytes"), ("peer_alias_lookup", "bool"),
    ],
    "WalletBalanceRequest": [
        ("account", "string"), ("min_confs", "int32"),
    ],
    "BlindedPaymentPath": [
        ("blinded_path", "BlindedPath"), ("base_fee_msat", "uint64"),
        ("proportional_fee_rate", "uint32"), ("total_cltv_delta", "uint32"),
        ("htlc_min_msat", "uint64"), ("htlc_max_msat", "uint64"), ("features", "[]FeatureBit"),
    ],
    "BlindedPath": [
        ("introduction_node", "bytes"), ("blinding_point", "bytes"),
        ("blinded_hops", "[]BlindedHop"),
    ],
    "BlindedHop": [
        ("blinded_node", "bytes"), ("encrypted_data", "bytes"),
    ],
    "BlindedPathConfig": [
        ("min_num_real_hops", "uint32"), ("num_hops", "uint32"), ("max_num_paths", "uint32"),
        ("node_omission_list", "[]bytes"), ("incoming_channel_list", "[]uint64"),
    ],
    "GetInfoRequest": [],
    "ChannelBalanceRequest": [],
    "FeeReportRequest": [],
    "PendingChannelsRequest": [("include_raw_tx", "bool")],
    "ClosedChannelsRequest": [
        ("cooperative", "bool"), ("local_force", "bool"), ("remote_force", "bool"), ("breach", "bool"),
        ("funding_canceled", "bool"), ("abandoned", "bool"),
    ],
    "SettleInvoiceResp": [],
    "CancelInvoiceResp": [],
}

ENUMS = {
    "InvoiceState": ["OPEN", "SETTLED", "CANCELED", "ACCEPTED"],
    "InvoiceHTLCState": ["ACCEPTED", "SETTLED", "CANCELED"],
    "PaymentStatus": ["UNKNOWN", "IN_FLIGHT", "SUCCEEDED", "FAILED", "INITIATED"],
    "HTLCStatus": ["IN_FLIGHT", "SUCCEEDED", "FAILED"],
    "PaymentFailureReason": [
        "FAILURE_REASON_NONE", "FAILURE_REASON_TIMEOUT", "FAILURE_REASON_NO_ROUTE",
        "FAILURE_REASON_ERROR", "FAILURE_REASON_INCORRECT_PAYMENT_DETAILS",
        "FAILURE_REASON_INSUFFICIENT_BALANCE", "FAILURE_REASON_CANCELED",
    ],
    "FailureCode": {
        "RESERVED": 0, "INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS": 1, "INCORRECT_PAYMENT_AMOUNT": 2,
        "FINAL_INCORRECT_CLTV_EXPIRY": 3, "FINAL_INCORRECT_HTLC_AMOUNT": 4,
        "FINAL_EXPIRY_TOO_SOON": 5, "TEMPORARY_CHANNEL_FAILURE": 15,
        "UNKNOWN_NEXT_PEER": 18, "INTERNAL_FAILURE": 997, "UNKNOWN_FAILURE": 998,
    },
    "CommitmentType": {
        "UNKNOWN_COMMITMENT_TYPE": 0, "LEGACY": 1, "STATIC_REMOTE_KEY": 2, "ANCHORS": 3,
        "SCRIPT_ENFORCED_LEASE": 4, "SIMPLE_TAPROOT": 5, "SIMPLE_TAPROOT_OVERLAY": 6,
        "SIMPLE_TAPROOT_FINAL": 7,
    },
    "GraphCacheStatus": [
        "GRAPH_CACHE_STATUS_DISABLED", "GRAPH_CACHE_STATUS_LOADING",
        "GRAPH_CACHE_STATUS_LOADED", "GRAPH_CACHE_STATUS_FAILED",
    ],
    "LookupModifier": ["DEFAULT", "HTLC_SET_ONLY", "HTLC_SET_BLANK"],
    "FeatureBit": {
        "DATALOSS_PROTECT_REQ": 0, "DATALOSS_PROTECT_OPT": 1, "INITIAL_ROUING_SYNC": 3,
        "UPFRONT_SHUTDOWN_SCRIPT_REQ": 4, "UPFRONT_SHUTDOWN_SCRIPT_OPT": 5,
        "GOSSIP_QUERIES_REQ": 6, "GOSSIP_QUERIES_OPT": 7, "TLV_ONION_REQ": 8, "TLV_ONION_OPT": 9,
        "EXT_GOSSIP_QUERIES_REQ": 10, "EXT_GOSSIP_QUERIES_OPT": 11, "STATIC_REMOTE_KEY_REQ": 12,
        "STATIC_REMOTE_KEY_OPT": 13, "PAYMENT_ADDR_REQ": 14, "PAYMENT_ADDR_OPT": 15,
        "MPP_REQ": 16, "MPP_OPT": 17, "WUMBO_CHANNELS_REQ": 18, "WUMBO_CHANNELS_OPT": 19,
        "ANCHORS_REQ": 20, "ANCHORS_OPT": 21, "ANCHORS_ZERO_FEE_HTLC_REQ": 22,
        "ANCHORS_ZERO_FEE_HTLC_OPT": 23, "ROUTE_BLINDING_REQUIRED": 24,
        "ROUTE_BLINDING_OPTIONAL": 25, "AMP_REQ": 30, "AMP_OPT": 31,
    },
}

_INT64 = ("int64", "uint64", "sint64", "fixed64", "sfixed64")
_INT32 = ("int32", "uint32", "sint32", "fixed32", "sfixed32")
_UNSIGNED = ("uint64", "uint32", "fixed64", "fixed32")
_SCALAR_DEFAULTS = {"string": "", "bool": False, "bytes": b"", "double": 0.0}


def _enum_values(name):
    values = ENUMS[name]
    return values if isinstance(values, dict) else {v: i for i, v in enumerate(values)}


def _enum_name(name, value):
    if isinstance(value, str):
        return value
    return next(k for k, v in _enum_values(name).items() if v == value)


# --- output --------------------------------------------------------------------


def _default(type_name):
    if type_name.startswith("[]"):
        return []
    if type_name.startswith("map<"):
        return {}
    if type_name in _SCALAR_DEFAULTS:
        return _SCALAR_DEFAULTS[type_name]
    if type_name in _INT64 or type_name in _INT32:
        return 0
    if type_name in ENUMS:
        return next(iter(_enum_values(type_name)))
    return None


def _encode_value(type_name, value):
    if type_name.startswith("[]"):
        return [_encode_value(type_name[2:], item) for item in value]
    if type_name.startswith("map<"):
        key_type, value_type = type_name[4:-1].split(",")
        keys = sorted(value, key=int) if key_type != "string" else sorted(value)
        return {str(k): _encode_value(value_type, value[k]) for k in keys}
    if type_name in _INT64:
        return str(int(value))
    if type_name in _INT32:
        return int(value)
    if type_name == "bytes":
        return base64.b64encode(value).decode()
    if type_name in ENUMS:
        return _enum_name(type_name, value)
    if type_name in SCHEMAS:
        return None if value is None else marshal(type_name, value)
    return value


def marshal(message, values):
    """Render a message as REST JSON (a dict), filling unset fields with defaults.

    Raises KeyError for a key that is not a field of the message, so a typo in
    a field name cannot reach the wire.
    """
    fields = SCHEMAS[message]
    names = {name for name, _ in fields}
    unknown = set(values) - names
    if unknown:
        raise KeyError(f"{message} has no field(s) {sorted(unknown)}")
    out = {}
    for name, type_name in fields:
        value = values.get(name, _default(type_name))
        out[name] = None if value is None else _encode_value(type_name, value)
    return out


def go_json_line(obj):
    """Serialise like Go's encoding/json (used for stream chunks): compact, HTML-escaped."""
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def protojson(obj):
    """Serialise a unary response body (protojson output: compact, not HTML-escaped)."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


# --- input: request bodies ---------------------------------------------------------


def _camel(name):
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _position(raw, key):
    """Line:column of a key in the raw body, as protojson reports positions."""
    index = max(raw.find(json.dumps(key)), 0)
    line = raw.count("\n", 0, index) + 1
    return f"{line}:{index - (raw.rfind(chr(10), 0, index) + 1) + 1}"


def _invalid(raw, key, type_name, value):
    return RpcError(
        INVALID_ARGUMENT,
        f"proto: (line {_position(raw, key)}): invalid value for {type_name} field {key}: "
        f"{json.dumps(value)}",
    )


def _decode_bytes_lenient(text):
    """protojson bytes: standard or URL-safe alphabet, padded or not."""
    cleaned = text.replace("-", "+").replace("_", "/")
    return base64.b64decode(cleaned + "=" * (-len(cleaned) % 4), validate=True)


def _int_from_json(value, unsigned):
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        value = int(value)
    number = int(value) if isinstance(value, int) else int(str(value).strip(), 10)
    if unsigned and number < 0:
        raise ValueError
    return number


def _decode_json_value(type_name, value, raw, key):
    """Convert one JSON value to its Python form; raises RpcError on a type mismatch."""
    try:
        if type_name.startswith("[]"):
            return [_decode_json_value(type_name[2:], item, raw, key) for item in _expect(value, list)]
        if type_name.startswith("map<"):
            key_type, value_type = type_name[4:-1].split(",")
            return {
                (k if key_type == "string" else int(k)): _decode_json_value(value_type, v, raw, key)
                for k, v in _expect(value, dict).items()
            }
        if type_name in SCHEMAS:
            return _decode_message(type_name, _expect(value, dict), raw)
        return _decode_scalar(type_name, value)
    except (ValueError, TypeError, AttributeError, binascii.Error):
        raise _invalid(raw, key, type_name, value) from None


def _expect(value, kind):
    if not isinstance(value, kind):
        raise TypeError(kind.__name__)
    return value


def _decode_scalar(type_name, value):
    if type_name in _INT64 or type_name in _INT32:
        return _int_from_json(value, type_name in _UNSIGNED)
    if type_name in ENUMS:
        return _decode_enum(type_name, value)
    if type_name == "bytes":
        return _decode_bytes_lenient(_expect(value, str))
    if type_name == "double":
        if isinstance(value, bool):
            raise TypeError("bool")
        return float(_expect(value, (int, float)))
    if type_name == "bool":
        return _expect(value, bool)
    return _expect(value, str)


def _decode_enum(type_name, value):
    values = _enum_values(type_name)
    if isinstance(value, str) and value in values:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return _enum_name(type_name, value) if value in values.values() else value
    raise ValueError


def _decode_message(message, obj, raw):
    fields = dict(SCHEMAS[message])
    by_json_name = {_camel(name): name for name in fields}
    out = {}
    for key, value in obj.items():
        name = key if key in fields else by_json_name.get(key)
        if name is None:
            raise RpcError(INVALID_ARGUMENT, f'proto: (line {_position(raw, key)}): unknown field "{key}"')
        if value is not None:
            out[name] = _decode_json_value(fields[name], value, raw, key)
    return out


def unmarshal_body(message, raw):
    """Decode a request body as grpc-gateway does (empty body = all defaults)."""
    text = raw.decode("utf-8", errors="replace")
    if not text.strip():
        return {}
    try:
        obj, _ = json.JSONDecoder().raw_decode(text.lstrip())
    except json.JSONDecodeError as exc:
        raise RpcError(INVALID_ARGUMENT, f"invalid character at offset {exc.pos}: {exc.msg}") from None
    if not isinstance(obj, dict):
        raise RpcError(INVALID_ARGUMENT, f"proto: syntax error (line 1:1): unexpected token {text.strip()[:1]}")
    return _decode_message(message, obj, text)


# --- input: query and path parameters -------------------------------------------

_GO_BOOLS = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True,
             "0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False}


def go_base64_bytes(text):
    """grpc-gateway runtime.Bytes: padded standard, else padded URL-safe base64."""
    for alphabet in (b"+/", b"-_"):
        try:
            return base64.b64decode(text.encode(), altchars=alphabet, validate=True)
        except (binascii.Error, ValueError):
            continue
    raise ValueError(f"illegal base64 data at input byte {_first_bad_base64_index(text)}")


def _first_bad_base64_index(text):
    match = re.search(r"[^A-Za-z0-9+/=_-]", text)
    if match:
        return match.start()
    return len(text) - len(text) % 4 if len(text) % 4 else max(text.find("="), 0)


def _parse_query_value(type_name, text):
    if type_name == "bool":
        if text not in _GO_BOOLS:
            raise ValueError(f'strconv.ParseBool: parsing "{text}": invalid syntax')
        return _GO_BOOLS[text]
    if type_name in _INT64 or type_name in _INT32:
        func = "ParseUint" if type_name in _UNSIGNED else "ParseInt"
        if not re.fullmatch(r"[+-]?\d+" if func == "ParseInt" else r"\d+", text):
            raise ValueError(f'strconv.{func}: parsing "{text}": invalid syntax')
        return int(text)
    if type_name == "bytes":
        return go_base64_bytes(text)
    if type_name in ENUMS:
        values = _enum_values(type_name)
        if text in values:
            return text
        if text.isdigit() and int(text) in values.values():
            return _enum_name(type_name, int(text))
        raise ValueError(f"{text!r} is not a valid value")
    return text


def unmarshal_query(message, params):
    """Populate a request from URL query parameters (dict of name -> list of values)."""
    fields = dict(SCHEMAS[message])
    by_json_name = {_camel(name): name for name in fields}
    out = {}
    for key, values in params.items():
        name = key if key in fields else by_json_name.get(key)
        if name is None:
            continue
        type_name = fields[name]
        try:
            if type_name.startswith("[]"):
                out[name] = [_parse_query_value(type_name[2:], v) for v in values]
            elif len(values) > 1:
                raise ValueError(f"too many values for field {name!r}: {', '.join(values)}")
            else:
                out[name] = _parse_query_value(type_name, values[0])
        except ValueError as exc:
            raise RpcError(INVALID_ARGUMENT, str(exc)) from None
    return out
