import Foundation
import TestSupport
import Testing

/// Runs the built `t4gctl` executable, which sits next to the test bundle.
func runT4GCtl(_ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: Data) {
    let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let output = try ProcessOutput.run(products.appendingPathComponent("t4gctl").path, arguments)
    return (output.status, Data(output.stdout.utf8), Data(output.stderr.utf8))
}

@Suite struct DecodeCommandTests {
    @Test(arguments: SpecVector.all.valid.indices)
    func printsTheContractObject(index: Int) throws {
        let vector = SpecVector.all.valid[index]
        let result = try runT4GCtl(["decode", "--offline", vector.invoice, "--json"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        #expect(object["payee"] as? String == vector.payee_pubkey)
        #expect(object["payment_hash"] as? String == vector.payment_hash)
        #expect(object["payment_secret"] as? String == vector.payment_secret)
        #expect(object["description"] as? String == vector.description)
        #expect(object["description_hash"] as? String == vector.description_hash)
        #expect(object["network"] as? String == vector.network)
        #expect((object["amount_msat"] as? NSNumber)?.uint64Value == vector.amount_msat)
        #expect((object["timestamp"] as? NSNumber)?.uint64Value == vector.timestamp)
        #expect((object["expiry"] as? NSNumber)?.uint64Value == vector.expiry ?? 3600)
        #expect((object["min_final_cltv_expiry"] as? NSNumber)?.uint64Value == vector.min_final_cltv_expiry ?? 18)
        #expect(object["features"] as? [Int] == vector.features)
        #expect(object["signature"] as? String == vector.signature)
        #expect(object["recovery_id"] as? Int == vector.recovery_id)
        #expect(object["metadata"] as? String == vector.metadata)
        #expect(object["fallbacks"] as? [String] == vector.fallbacks?.map(\.address))
        let hops = (object["route_hints"] as? [[[String: Any]]])?.map {
            $0.compactMap { $0["short_channel_id"] as? String }
        }
        #expect(hops == vector.route_hints?.map { $0.map(\.short_channel_id) })
    }

    @Test(arguments: SpecVector.all.invalid.indices)
    func failsWithTheReason(index: Int) throws {
        let vector = SpecVector.all.invalid[index]
        let result = try runT4GCtl(["decode", "--offline", vector.invoice, "--json"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        let object = try #require(try JSONSerialization.jsonObject(with: result.stderr) as? [String: [String: String]])
        #expect(object["error"]?["reason"] == vector.reason)
    }

    @Test func printsAlignedHumanOutput() throws {
        let result = try runT4GCtl(["decode", "--offline", SpecVector.all.valid[10].invoice])
        #expect(result.status == 0)
        let lines = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.first == "network         mainnet")
        #expect(lines.contains("min final cltv  10"))
        #expect(lines.contains { $0.hasPrefix("route 1         03d06758") && $0.contains("589390x3312x1") })
    }
}
