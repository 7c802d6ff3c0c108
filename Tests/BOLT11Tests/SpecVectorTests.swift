import BOLT11
import Foundation
import Secp256k1
import TestSupport
import Testing

@Suite struct SpecVectorTests {
    @Test func allVectorsAreLoaded() {
        #expect(SpecVector.all.valid.count == 16)
        #expect(SpecVector.all.invalid.count == 10)
    }

    @Test(arguments: SpecVector.all.valid)
    func decodesValidVector(_ vector: SpecVector) throws {
        let invoice = try Invoice(bolt11: vector.invoice)
        let fields = invoice.fields
        #expect(fields.network.rawValue == vector.network)
        #expect(fields.amountMsat == vector.amount_msat)
        #expect(fields.timestamp == vector.timestamp)
        #expect(fields.paymentHash.hex == vector.payment_hash)
        #expect(fields.paymentSecret?.hex == vector.payment_secret)
        #expect(fields.description == vector.description)
        #expect(fields.descriptionHash?.hex == vector.description_hash)
        #expect(fields.expirySeconds == vector.expiry)
        #expect(fields.effectiveExpirySeconds == vector.expiry ?? 3600)
        #expect(fields.minFinalCLTVExpiry == vector.min_final_cltv_expiry)
        #expect(fields.effectiveMinFinalCLTVExpiry == vector.min_final_cltv_expiry ?? 18)
        #expect(fields.fallbacks.map(\.kind) == vector.fallbacks?.map(\.type))
        #expect(fields.fallbacks.map { Int($0.version) } == vector.fallbacks?.map(\.version))
        #expect(fields.fallbacks.map { $0.address(on: fields.network) } == vector.fallbacks?.map(\.address))
        #expect(fields.routeHints.map { $0.map(\.nodeID.hex) } == vector.route_hints?.map { $0.map(\.pubkey) })
        #expect(
            fields.routeHints.map { $0.map(\.shortChannelIDString) }
                == vector.route_hints?.map { $0.map(\.short_channel_id) })
        #expect(fields.routeHints.map { $0.map(\.feeBaseMsat) } == vector.route_hints?.map { $0.map(\.fee_base_msat) })
        #expect(
            fields.routeHints.map { $0.map(\.feeProportionalMillionths) }
                == vector.route_hints?.map { $0.map(\.fee_proportional_millionths) })
        #expect(
            fields.routeHints.map { $0.map(\.cltvExpiryDelta) }
                == vector.route_hints?.map { $0.map(\.cltv_expiry_delta) })
        #expect(fields.features == vector.features)
        #expect(fields.payeeNodeID?.hex == vector.explicit_payee_n)
        #expect(fields.metadata?.hex == vector.metadata)
        #expect(invoice.payee.compressed.hex == vector.payee_pubkey)
        #expect(invoice.signature.compact.hex == vector.signature)
        #expect(invoice.signature.recoveryID == vector.recovery_id)
        #expect(invoice.signature.isHighS == vector.signature_high_s)
        if vector.strict_valid == true {
            #expect(invoice.warnings.isEmpty)
        } else {
            #expect(throws: BOLT11Error.self) { try invoice.requireStrictlyValid() }
            #expect(invoice.warnings.map(\.code.name).contains(vector.strict_failure ?? "?"))
        }
    }

    @Test(arguments: SpecVector.all.invalid)
    func rejectsInvalidVector(_ vector: SpecVector) {
        #expect(
            performing: { try Invoice(bolt11: vector.invoice) },
            throws: { error in
                (error as? BOLT11Error)?.code.name == vector.reason
            })
    }

    @Test(arguments: SpecVector.all.valid.filter { $0.strict_valid == true })
    func reencodingWithTheSpecKeyReproducesTheInvoice(_ vector: SpecVector) throws {
        let key = try PrivateKey(
            bytes: [UInt8](hex: "e126f68f7eafcc8b74f54d269fe206be715000f94dac067d1c04a8ca3b2db734")!)
        let invoice = try Invoice(bolt11: vector.invoice)
        guard invoice.payee == key.publicKey, !invoice.signature.isHighS else { return }
        let reencoded = try Invoice(bolt11: try invoice.fields.encode(signingWith: key))
        #expect(reencoded.fields == invoice.fields)
        #expect(reencoded.payee == invoice.payee)
    }
}

extension SpecVector: CustomTestStringConvertible {
    public var testDescription: String { id }
}
