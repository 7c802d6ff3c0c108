/// A proof held by this daemon, as stored. `document` is the consignment JSON with every field the daemon
/// knows (values and salts): the source of truth; the other columns index it.
public struct ProofRecord: Sendable, Hashable {
    public enum Origin: String, Sendable { case issued, imported }

    public var proofID: String
    public var kind: String
    public var issuer: String
    /// The current owner's x-only key (hex); the previous owner while a transfer is pending.
    public var owner: String
    /// `active`, `transfer_pending`, `incomplete`, `redeemed` or `revoked` (`expired` is judged when read).
    public var status: String
    /// Number of transitions in the chain.
    public var sequence: Int64
    public var origin: Origin
    public var document: String
    public var createdAt: Int64
    public var updatedAt: Int64
    /// The genesis `issued_at` (Unix seconds): what `proof.list` filters by issue time.
    public var issuedAt: Int64

    /// Creates a record; `issuedAt` defaults to `createdAt`.
    public init(
        proofID: String, kind: String, issuer: String, owner: String, status: String, sequence: Int64, origin: Origin,
        document: String, createdAt: Int64, updatedAt: Int64, issuedAt: Int64? = nil
    ) {
        self.proofID = proofID
        self.kind = kind
        self.issuer = issuer
        self.owner = owner
        self.status = status
        self.sequence = sequence
        self.origin = origin
        self.document = document
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.issuedAt = issuedAt ?? createdAt
    }
}

/// One transition of a stored proof. History is kept forever; a canceled transition stays as a record.
public struct ProofTransitionRecord: Sendable, Hashable {
    public enum State: String, Sendable { case pending, final, canceled }

    public var transitionID: String
    public var proofID: String
    public var previousID: String
    public var sequence: Int64
    public var newOwner: String
    public var paymentHash: String?
    public var createdAt: Int64
    public var state: State

    /// Creates a record.
    public init(
        transitionID: String, proofID: String, previousID: String, sequence: Int64, newOwner: String,
        paymentHash: String?, createdAt: Int64, state: State
    ) {
        self.transitionID = transitionID
        self.proofID = proofID
        self.previousID = previousID
        self.sequence = sequence
        self.newOwner = newOwner
        self.paymentHash = paymentHash
        self.createdAt = createdAt
        self.state = state
    }
}

/// One atomic change to a proof: the new proof row, transitions to insert or whose state changes, fields,
/// an optional received consignment and the event — all in one transaction.
public struct ProofChange: Sendable {
    /// The proof as it must be after the change.
    public var record: ProofRecord
    /// The (status, sequence) the stored row must still have (compare-and-swap); `nil` inserts a new proof.
    public var expected: (status: String, sequence: Int64)?
    public var fields: [(name: String, value: String, salt: String)]
    public var transitions: [ProofTransitionRecord]
    public var receivedConsignment: String?
    public var event: NewEvent?
    /// The idempotency key of the call that makes the change, stored with it (a key already stored throws
    /// `idempotencyConflict` and nothing is written).
    public var writeKey: WriteKey?
    /// Every owner the proof has had besides the current one and the new owners of final transitions (which
    /// the store adds itself), e.g. the initial owner of an imported chain. All land in `proof_holders`.
    public var formerOwners: [String]

    /// Creates a change.
    public init(
        record: ProofRecord, expected: (status: String, sequence: Int64)?,
        fields: [(name: String, value: String, salt: String)] = [], transitions: [ProofTransitionRecord] = [],
        receivedConsignment: String? = nil, event: NewEvent?, writeKey: WriteKey? = nil, formerOwners: [String] = []
    ) {
        self.record = record
        self.expected = expected
        self.fields = fields
        self.transitions = transitions
        self.receivedConsignment = receivedConsignment
        self.event = event
        self.writeKey = writeKey
        self.formerOwners = formerOwners
    }

    /// Who holds or held the proof through this change, each with the time they got it: the current owner
    /// (since the change), the new owner of each final transition (since it was made) and `formerOwners`.
    public var holders: [(holder: String, since: Int64)] {
        [(record.owner, record.updatedAt)]
            + transitions.filter { $0.state == .final }.map { ($0.newOwner, $0.createdAt) }
            + formerOwners.map { ($0, record.createdAt) }
    }
}

/// What `proofs` selects: every condition given must hold (`nil` matches anything).
public struct ProofFilter: Sendable {
    /// The current owner's x-only key (hex).
    public var owner: String?
    /// The proof kind.
    public var kind: String?
    /// The stored status.
    public var status: String?
    /// The issuer's x-only key (hex).
    public var issuer: String?
    /// A field the daemon knows (it issued the proof or received the field disclosed) and its exact value.
    public var field: (name: String, value: String)?
    /// A key (hex) that ever owned the proof: issued to it, transferred to it, or in an imported chain.
    public var heldBy: String?
    /// The earliest genesis `issued_at` (Unix seconds, inclusive).
    public var issuedFrom: Int64?
    /// The latest genesis `issued_at` (Unix seconds, inclusive).
    public var issuedTo: Int64?

    /// Creates a filter.
    public init(
        owner: String? = nil, kind: String? = nil, status: String? = nil, issuer: String? = nil,
        field: (name: String, value: String)? = nil, heldBy: String? = nil, issuedFrom: Int64? = nil,
        issuedTo: Int64? = nil
    ) {
        self.owner = owner
        self.kind = kind
        self.status = status
        self.issuer = issuer
        self.field = field
        self.heldBy = heldBy
        self.issuedFrom = issuedFrom
        self.issuedTo = issuedTo
    }
}
