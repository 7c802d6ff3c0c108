/// One spend of a proof state: the state spent and the id of what spends it (a transition or the
/// redemption). Two different spends of one state are a double transfer.
public struct StateSpend: Hashable, Sendable {
    /// The id of the state spent.
    public let previous: Hash256
    /// The id of the transition or redemption that spends it.
    public let id: Hash256

    /// Creates a spend record.
    public init(previous: Hash256, id: Hash256) {
        self.previous = previous
        self.id = id
    }
}

extension Transition {
    /// The state this transition spends, and its id.
    public var spend: StateSpend { StateSpend(previous: previous, id: id) }
}

extension Redemption {
    /// The state this redemption spends, and its id.
    public var spend: StateSpend { StateSpend(previous: previous, id: id) }
}

extension Consignment {
    /// Every state spend the consignment carries: its transitions, then its redemption.
    public var spends: [StateSpend] {
        transitions.map(\.transition.spend) + (redemption.map { [$0.redemption.spend] } ?? [])
    }
}
