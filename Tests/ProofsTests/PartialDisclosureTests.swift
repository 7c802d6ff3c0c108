import Foundation
import Proofs
import Testing

@Suite struct PartialDisclosureTests {
    @Test func twoOfFiveFieldsVerifyAndNothingElseLeaks() throws {
        let proof = Fixtures.chain(length: 1)
        #expect(proof.fields.count == 5)
        let consignment = try proof.export(disclosing: ["topic", "mentor"])
        let json = try Consignment(json: consignment.json())
        let result = Fixtures.validator.validate(json)
        #expect(result.isValid)
        #expect(result.disclosedFields == [Fixtures.sessionFields[0], Fixtures.sessionFields[2]])
        #expect(json.genesis.fieldCommitments.count == 5)

        let text = String(decoding: consignment.json(), as: UTF8.self)
        for hidden in proof.fields where !["topic", "mentor"].contains(hidden.field.name) {
            #expect(!text.contains("\"\(hidden.field.value)\""))
            #expect(!text.contains(hidden.salt.hex))
            #expect(!text.contains("\"\(hidden.field.name)\""))
        }
        for shown in proof.fields where ["topic", "mentor"].contains(shown.field.name) {
            #expect(text.contains(shown.salt.hex))
        }
    }

    @Test func disclosingNothingStillProvesOwnership() throws {
        let result = Fixtures.validator.validate(try Fixtures.chain(length: 2).export(disclosing: []))
        #expect(result.isValid)
        #expect(result.disclosedFields.isEmpty)
        #expect(result.owner == Fixtures.mentor)
    }

    @Test func defaultDisclosesEveryKnownField() throws {
        let result = Fixtures.validator.validate(try Fixtures.sessionProof().export())
        #expect(result.disclosedFields == Fixtures.sessionFields)
    }

    @Test func receiverCanReExportOnlyWhatItWasShown() throws {
        let received = Proof(try Fixtures.sessionProof().export(disclosing: ["date"]))
        #expect(received.fields.map(\.field.name) == ["date"])
        #expect(throwing(.unknownField) { try received.export(disclosing: ["mentor"]) })
        #expect(Fixtures.validator.validate(try received.export()).disclosedFields.map(\.name) == ["date"])
    }
}
