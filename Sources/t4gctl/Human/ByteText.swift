import Foundation

/// Sizes for people: `512 B`, `1.5 KiB`, `12.3 MiB`, `2.0 GiB`.
enum ByteText {
    /// `bytes` in the largest binary unit it reaches, one decimal above bytes.
    static func format(bytes: Int64) -> String {
        let units = ["KiB", "MiB", "GiB", "TiB"]
        guard bytes >= 1024 else { return "\(bytes) B" }
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return String(format: "%.1f ", value) + units[unit]
    }

    /// The size of the file at `path`, nil when it cannot be read.
    static func size(of path: String) -> Int64? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value
    }
}
