import Foundation

/// Watches the daemon process: its resident set size (`VmRSS`, sampled at an interval, peak kept) and the
/// CPU time it used during the run (`utime + stime` from `/proc/PID/stat`).
struct ProcessSampler: Sendable {
    struct Result: Sendable {
        var peakRSSKilobytes: Int?
        var cpuSeconds: Double?
    }

    let pid: Int32
    let interval: Duration

    /// Samples until the task is cancelled.
    func run() async -> Result {
        let cpuAtStart = Self.cpuSeconds(pid: pid)
        var peak: Int?
        while !Task.isCancelled {
            if let current = Self.residentKilobytes(pid: pid) { peak = max(peak ?? 0, current) }
            try? await Task.sleep(for: interval)
        }
        let cpuAtEnd = Self.cpuSeconds(pid: pid)
        return Result(peakRSSKilobytes: peak, cpuSeconds: cpuAtStart.flatMap { start in cpuAtEnd.map { $0 - start } })
    }

    static func residentKilobytes(pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        return line.flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") }
    }

    /// User plus system CPU time of the process so far.
    static func cpuSeconds(pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let afterName = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name start with field 3 (state); utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: afterName)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
