import TOML

/// The error parsing `text` throws, or `nil` if it parses.
func parseFailure(_ text: String) -> TOMLError? {
    do {
        _ = try TOMLTable(parsing: text)
        return nil
    } catch {
        return error
    }
}

/// The error parsing `bytes` throws, or `nil` if they parse.
func parseFailure(_ bytes: [UInt8]) -> TOMLError? {
    do {
        _ = try TOMLTable(parsing: bytes)
        return nil
    } catch {
        return error
    }
}
