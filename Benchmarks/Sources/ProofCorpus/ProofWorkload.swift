import BareBaseline
import BenchmarkSupport
import Proofs

/// A measured proof operation: issuing proofs, or validating a consignment next to the bare BIP340
/// verifications of the same signatures.
public struct ProofWorkload: Sendable {
    /// What one operation does.
    public enum Operation: Sendable {
        /// `Proof.issue` with the five benchmark fields, system randomness (salts, `aux_rand`).
        case issue
        /// `ProofValidator.validate` of a consignment, resuming from `tip` when there is one.
        case validate(Consignment, tip: ChainTip?)
    }

    /// The benchmark name, e.g. `proof.validate.100`.
    public let name: String
    /// The operation.
    public let operation: Operation
    /// The signatures one validation must verify, which the bare baseline verifies (none for `issue`).
    public let signatures: ArraySlice<ProofChain.Signature>
    /// Operations per measured chunk: about 200 signature verifications, or 100 issues.
    public let operationsPerChunk: Int

    private static let validator = ProofValidator(trustedIssuers: [ProofChain.issuer.xOnlyPublicKey], network: .regtest)

    /// Transition counts of the full-validation workloads.
    public static let lengths = [1, 100, 1000]
    /// Transition counts of the workloads with two attestations, a co-signed redemption and a revocation.
    public static let lifecycleLengths = [1, 100]
    /// The incremental workload: a chain validated up to `grownFrom` transitions that grew by `added`.
    public static let grownFrom = 1000
    public static let added = 10

    /// Every workload. The consignments are prefixes of one chain of `grownFrom + added` transitions
    /// (built once: about 2,000 signatures and verifications, a fraction of a second).
    public static let all: [ProofWorkload] = {
        let chain = ProofChain(length: grownFrom + added)
        var workloads = [ProofWorkload(name: "proof.issue", operation: .issue, signatures: [], operationsPerChunk: 100)]
        for length in lengths {
            workloads.append(
                ProofWorkload(
                    name: "proof.validate.\(length)", operation: .validate(chain.prefix(length), tip: nil),
                    signatures: chain.signatures.prefix(length + 1)))
        }
        let tip = validator.validate(chain.prefix(grownFrom)).tip
        workloads.append(
            ProofWorkload(
                name: "proof.validate.\(grownFrom)+\(added)", operation: .validate(chain.consignment, tip: tip),
                signatures: chain.signatures[(grownFrom + 1)...]))
        for length in lifecycleLengths {
            let lifecycle = LifecycleChain(length: length)
            workloads.append(
                ProofWorkload(
                    name: "proof.validate.lifecycle.\(length)", operation: .validate(lifecycle.consignment, tip: nil),
                    signatures: lifecycle.signatures[...]))
        }
        return workloads
    }()

    private init(name: String, operation: Operation, signatures: ArraySlice<ProofChain.Signature>) {
        self.init(
            name: name, operation: operation, signatures: signatures,
            operationsPerChunk: max(1, 200 / signatures.count))
    }

    private init(
        name: String, operation: Operation, signatures: ArraySlice<ProofChain.Signature>, operationsPerChunk: Int
    ) {
        self.name = name
        self.operation = operation
        self.signatures = signatures
        self.operationsPerChunk = operationsPerChunk
    }

    /// The workload named `name`.
    public static func named(_ name: String) -> ProofWorkload? { all.first { $0.name == name } }

    /// Whether this workload has a bare baseline (every validation does).
    public var hasBare: Bool { !signatures.isEmpty }

    /// Runs the operation `count` times on the calling thread.
    @inline(never)
    public func run(_ count: Int) {
        switch operation {
        case .issue:
            for _ in 0..<count {
                consume(
                    try! Proof.issue(
                        kind: .mentoringSession, fields: ProofChain.fields,
                        owner: ProofChain.issuer.xOnlyPublicKey, issuer: ProofChain.issuer, network: .regtest,
                        issuedAt: ProofChain.issuedAt))
            }
        case .validate(let consignment, let tip):
            for _ in 0..<count { consume(Self.validator.validate(consignment, resumingFrom: tip)) }
        }
    }

    /// Runs the bare baseline of `count` operations: one BIP340 verification of each signature.
    @inline(never)
    public func runBare(_ count: Int, bare: BareSecp256k1) {
        for _ in 0..<count {
            var valid = true
            for signature in signatures {
                valid =
                    bare.verifySchnorr(
                        publicKey: signature.publicKey, message: signature.message, signature: signature.signature)
                    && valid
            }
            consume(valid)
        }
    }

    /// Checks, before measuring, that the validation succeeds, verifies exactly the signatures of the
    /// baseline (no more: the incremental case skips the validated prefix), and that they all verify.
    public func check(bare: BareSecp256k1) {
        guard case .validate(let consignment, let tip) = operation else { return }
        let result = Self.validator.validate(consignment, resumingFrom: tip)
        precondition(result.isValid, "\(name): \(result.failures)")
        precondition(result.signatureVerifications == signatures.count, "\(name): verified other signatures")
        for signature in signatures {
            precondition(
                bare.verifySchnorr(
                    publicKey: signature.publicKey, message: signature.message, signature: signature.signature))
        }
    }

    /// Runs the operation and its bare baseline in `chunks` alternating chunks of ``operationsPerChunk``
    /// operations; returns thread CPU nanoseconds per operation of each.
    public func pairedWithBare(chunks: Int, bare: BareSecp256k1) -> (measured: Double, bare: Double) {
        let (measured, bareTime) = pairedCPUTime(
            chunks: chunks, measured: { _ in run(operationsPerChunk) },
            bare: { _ in runBare(operationsPerChunk, bare: bare) })
        let operations = Double(chunks * operationsPerChunk)
        return (Double(measured) / operations, Double(bareTime) / operations)
    }
}
