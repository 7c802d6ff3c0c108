import BackendHTTP
import Foundation

/// `GET /api/v1/wallet`: `id` only for the admin key; `balance` in msat.
struct LNbitsWallet: Decodable, Sendable {
    var id: String?
    var name: String?
    var balance: Int64
}

/// LNbits' `Payment` (create, pay, list, and `details` of a status).
struct LNbitsPayment: Decodable, Sendable {
    var checkingId: String?
    var paymentHash: String
    var walletId: String?
    /// Millisatoshi, signed: positive for an incoming invoice, negative for an outgoing payment.
    var amount: Int64
    /// Millisatoshi; negative for outgoing payments.
    var fee: Int64?
    var bolt11: String?
    /// `pending`, `success` or `failed`.
    var status: String
    var expiry: String?
    var preimage: String?
    var time: String?
    var createdAt: String?
    var updatedAt: String?
}

/// `GET /api/v1/payments/{hash}`.
struct LNbitsPaymentStatus: Decodable, Sendable {
    var paid: Bool
    var status: String?
    var preimage: String?
    var details: LNbitsPayment?
}

/// `POST /api/v1/payments` with `out: false`.
struct LNbitsCreateInvoiceRequest: Encodable, Sendable {
    var out = false
    var amount: Int64
    var unit = "sat"
    var memo: String?
    var expiry: Int64
    var descriptionHash: String?
}

/// `POST /api/v1/payments` with `out: true`.
struct LNbitsPayRequest: Encodable, Sendable {
    var out = true
    var bolt11: String
}

/// JSON coding as LNbits speaks it: snake_case names.
typealias LNbitsJSON = SnakeCaseJSON
