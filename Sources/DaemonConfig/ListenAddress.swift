import NIOCore

/// Parses the `IP:PORT` of a TCP listener (`127.0.0.1:9464`, `[::1]:9464`); host names are refused, so binding
/// never waits for a name lookup.
enum ListenAddress {
    /// The IP literal and the port (0...65535), or `nil` when `text` is not `IP:PORT`.
    static func parse(_ text: String) -> (address: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65_535).contains(port)
        else { return nil }
        var host = text[..<colon]
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = host.dropFirst().dropLast()
            guard host.contains(":") else { return nil }
        } else if host.contains(":") {
            return nil
        }
        guard (try? SocketAddress(ipAddress: String(host), port: port)) != nil else { return nil }
        return (String(host), port)
    }
}
