/// Where a line stands in an account's statement, which lists newest first: by time, and at one time the lines
/// of the account's own payments (by payment hash, descending) before its other postings (by entry id,
/// descending). A page's cursor is the position of its last line.
///
/// A payment of the account is one line placed at the payment's creation whatever its status, so it keeps its
/// place when it settles or fails: a pager that read it pending before that does not meet it again, and one
/// that has not reached it yet finds it there with the status it has when that page is read, settled or failed.
/// Every other line is a posting, placed at its time. A line written after a page was read sorts before that
/// page's cursor (a later time, or the same second with a larger entry id or before the postings), except a
/// payment begun in the cursor's own second with a smaller hash, or a row dated earlier by another instance's
/// clock; those are met on a later page. No line is listed twice or skipped.
package struct StatementPosition: Sendable, Hashable {
    /// What orders the lines of one second.
    package enum Tiebreak: Sendable, Hashable {
        /// A line of one of the account's payments, by its payment hash (these come first).
        case payment(String)
        /// Any other posting, by its journal entry.
        case entry(Int64)
    }

    /// The line's time (Unix seconds).
    package var at: Int64
    package var tiebreak: Tiebreak

    /// The position of a line at `at`.
    package init(at: Int64, tiebreak: Tiebreak) {
        self.at = at
        self.tiebreak = tiebreak
    }

    /// The position a cursor names, `nil` when the text is not one (read as no cursor, as the other lists do).
    package init?(cursor: String) {
        let parts = cursor.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let at = Int64(parts[0]), let tag = parts[1].first else { return nil }
        let value = parts[1].dropFirst()
        switch tag {
        case "p" where value.count == 64 && value.allSatisfy(\.isHexDigit): tiebreak = .payment(String(value))
        case "e": guard let entry = Int64(value) else { return nil }; tiebreak = .entry(entry)
        default: return nil
        }
        self.at = at
    }

    /// The cursor text: `<at>:p<payment hash>` or `<at>:e<entry id>`.
    package var cursor: String {
        switch tiebreak {
        case .payment(let hash): "\(at):p\(hash)"
        case .entry(let entry): "\(at):e\(entry)"
        }
    }

    /// Whether a line at `self` is listed before one at `other` of the other kind: the newer first, a payment's
    /// line first in one second. (Lines of one kind come ordered from the store.)
    package func isListed(before other: Self) -> Bool {
        guard at == other.at else { return at > other.at }
        if case .payment = tiebreak { return true }
        return false
    }
}
