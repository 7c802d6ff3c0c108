/// Bounds the parser enforces on top of the RFC 8259 grammar.
public struct JSONParseLimits: Hashable, Sendable {
    /// The deepest nesting of arrays and objects accepted; a top-level array or object is depth 1.
    public let maxDepth: Int

    /// Creates limits.
    ///
    /// - Precondition: `maxDepth` is in `0...1024` (the parser recurses once per level).
    public init(maxDepth: Int) {
        precondition((0...1024).contains(maxDepth), "maxDepth must be in 0...1024")
        self.maxDepth = maxDepth
    }

    /// Nesting up to 64 levels.
    public static let `default` = JSONParseLimits(maxDepth: 64)
}
