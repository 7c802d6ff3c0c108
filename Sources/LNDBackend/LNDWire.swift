import BackendHTTP
import Foundation

/// An LND `int64` or `uint64`: protojson writes it as a JSON string; a number is accepted too. A `uint64`
/// field (indexes, channel balances) is read as ``LNDUInt`` so that values above `Int64.max` are not refused.
struct LNDInteger<Value: FixedWidthInteger & Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
    var value: Value

    init(_ value: Value) {
        self.value = value
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard let value = Value(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a \(Value.self): \(text)")
            }
            self.value = value
        } else {
            value = try container.decode(Value.self)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(value))
    }
}

/// An LND `int64`.
typealias LNDInt = LNDInteger<Int64>
/// An LND `uint64`.
typealias LNDUInt = LNDInteger<UInt64>

/// `GET /v1/getinfo`.
struct LNDGetInfo: Decodable, Sendable {
    struct Chain: Decodable, Sendable {
        var chain: String?
        var network: String
    }

    var identityPubkey: String
    var alias: String?
    var numActiveChannels: Int?
    var numInactiveChannels: Int?
    var numPeers: Int?
    var blockHeight: Int64?
    var syncedToChain: Bool?
    var chains: [Chain]?
}

/// `GET /v1/balance/channels`.
struct LNDChannelBalance: Decodable, Sendable {
    struct Amount: Decodable, Sendable {
        var sat: LNDUInt?
        var msat: LNDUInt?
    }

    var localBalance: Amount?
}

/// `GET /v1/channels`.
struct LNDChannelList: Decodable, Sendable {
    struct Channel: Decodable, Sendable {
        var active: Bool?
        var remotePubkey: String
        var chanId: String
        var capacity: LNDInt?
        var localBalance: LNDInt?
        var remoteBalance: LNDInt?
    }

    var channels: [Channel]
}

/// `POST /v1/invoices` body. Only fields LND knows: it rejects unknown ones.
struct LNDAddInvoiceRequest: Encodable, Sendable {
    var memo: String?
    var rPreimage: String
    var valueMsat: LNDInt?
    var descriptionHash: String?
    var expiry: LNDInt
    /// Route hints to the node's private channels.
    var `private`: Bool
}

/// `POST /v1/invoices` answer.
struct LNDAddInvoiceResponse: Decodable, Sendable {
    var rHash: String
    var paymentRequest: String
    var addIndex: LNDUInt?
}

/// LND's `Invoice` message (lookup, list and subscription).
struct LNDInvoice: Decodable, Sendable {
    var rHash: String?
    var rPreimage: String?
    var valueMsat: LNDInt?
    var creationDate: LNDInt?
    var settleDate: LNDInt?
    var expiry: LNDInt?
    var settleIndex: LNDUInt?
    var amtPaidMsat: LNDInt?
    var state: String?
}

/// `GET /v1/invoices`.
struct LNDInvoiceList: Decodable, Sendable {
    var invoices: [LNDInvoice]
    var lastIndexOffset: LNDUInt?
}

/// `POST /v2/invoices/cancel` body.
struct LNDCancelInvoiceRequest: Encodable, Sendable {
    var paymentHash: String
}

/// `POST /v2/router/send` body.
struct LNDSendPaymentRequest: Encodable, Sendable {
    var paymentRequest: String
    var amtMsat: LNDInt?
    var feeLimitMsat: LNDInt
    var timeoutSeconds: Int32
    var noInflightUpdates: Bool
}

/// LND's `Payment` message (send and track streams).
struct LNDPayment: Decodable, Sendable {
    var paymentHash: String?
    var paymentPreimage: String?
    var status: String
    var feeMsat: LNDInt?
    var failureReason: String?
}

/// The `{"code", "message"}` of an LND error.
struct LNDErrorBody: Decodable, Sendable {
    var code: Int?
    var message: String?
}

/// One line of a streaming endpoint: `{"result": …}` or `{"error": {…}}`.
struct LNDStreamMessage<Result: Decodable & Sendable>: Decodable, Sendable {
    var result: Result?
    var error: LNDErrorBody?
}

/// JSON coding as LND's REST gateway expects it: snake_case names.
typealias LNDJSON = SnakeCaseJSON
