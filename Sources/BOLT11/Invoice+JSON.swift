/// The decoded-invoice object of the RPC contract (`invoice.decode`, `t4gctl decode --offline --json`):
/// snake_case keys, lowercase hex, absent values as explicit `null`, defaults applied to `expiry` and
/// `min_final_cltv_expiry`.
extension Invoice: Encodable {
    private enum Key: String, CodingKey {
        case network, amountMsat = "amount_msat", timestamp, expiry, expiresAt = "expires_at"
        case paymentHash = "payment_hash", paymentSecret = "payment_secret", description
        case descriptionHash = "description_hash", payee, minFinalCLTVExpiry = "min_final_cltv_expiry"
        case fallbacks, routeHints = "route_hints", features, metadata, signature, recoveryID = "recovery_id"
        case warnings
    }

    private enum HopKey: String, CodingKey {
        case pubkey, shortChannelID = "short_channel_id", feeBaseMsat = "fee_base_msat"
        case feeProportionalMillionths = "fee_proportional_millionths", cltvExpiryDelta = "cltv_expiry_delta"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(fields.network.rawValue, forKey: .network)
        try container.encode(fields.amountMsat, forKey: .amountMsat)
        try container.encode(fields.timestamp, forKey: .timestamp)
        try container.encode(fields.effectiveExpirySeconds, forKey: .expiry)
        try container.encode(fields.expiresAt, forKey: .expiresAt)
        try container.encode(fields.paymentHash.hex, forKey: .paymentHash)
        try container.encode(fields.paymentSecret?.hex, forKey: .paymentSecret)
        try container.encode(fields.description, forKey: .description)
        try container.encode(fields.descriptionHash?.hex, forKey: .descriptionHash)
        try container.encode(payee.compressed.hex, forKey: .payee)
        try container.encode(fields.effectiveMinFinalCLTVExpiry, forKey: .minFinalCLTVExpiry)
        try container.encode(fields.fallbacks.map { $0.address(on: fields.network) }, forKey: .fallbacks)
        var routes = container.nestedUnkeyedContainer(forKey: .routeHints)
        for route in fields.routeHints {
            var hops = routes.nestedUnkeyedContainer()
            for hop in route {
                var object = hops.nestedContainer(keyedBy: HopKey.self)
                try object.encode(hop.nodeID.hex, forKey: .pubkey)
                try object.encode(hop.shortChannelIDString, forKey: .shortChannelID)
                try object.encode(hop.feeBaseMsat, forKey: .feeBaseMsat)
                try object.encode(hop.feeProportionalMillionths, forKey: .feeProportionalMillionths)
                try object.encode(hop.cltvExpiryDelta, forKey: .cltvExpiryDelta)
            }
        }
        try container.encode(fields.features, forKey: .features)
        try container.encode(fields.metadata?.hex, forKey: .metadata)
        try container.encode(signature.compact.hex, forKey: .signature)
        try container.encode(signature.recoveryID, forKey: .recoveryID)
        try container.encode(warnings.map(\.description), forKey: .warnings)
    }
}
