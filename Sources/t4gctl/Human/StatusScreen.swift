import JSONRPC

/// The lines of `t4gctl status` from ``StatusReader``'s snapshot: a headline, aligned rows, the last events.
struct StatusScreen {
    let snapshot: JSONObject
    let output: HumanOutput

    var lines: [String] {
        let fields = output.fields
        let info = snapshot["info"] ?? .null
        let health = snapshot["health"] ?? .null
        var rows: [(String, String)] = [
            ("daemon", daemon(info)),
            (
                "health",
                health["error"] == nil
                    ? status(health) + (health["ready"]?.boolValue == true ? ", ready" : ", not ready") : error(health)
            ),
            (
                "backend",
                (info["backend"]?.stringValue.map { TerminalText.escaped($0) + ": " } ?? "")
                    + component(health, "backend")
            ),
            ("store", component(health, "store")),
            ("reconciliation", component(health, "reconciliation")),
        ]
        let balance = snapshot["balance"] ?? .null
        rows.append(
            (
                "balance",
                balance["error"] == nil ? fields.text("balance_msat", balance["balance_msat"] ?? .null) : error(balance)
            ))
        rows.append(("open invoices", count(snapshot["open_invoices"] ?? .null)))
        rows.append(("pending payments", count(snapshot["pending_payments"] ?? .null)))
        let width = rows.map(\.0.count).max() ?? 0
        var lines = rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
        let events = snapshot["last_events"] ?? .null
        lines += ["", "last events:"]
        if events["error"] != nil {
            lines.append("  " + error(events))
        } else {
            lines += output.lines(events).map { "  " + $0 }
        }
        return lines
    }

    private func daemon(_ info: JSONValue) -> String {
        guard info["error"] == nil else { return error(info) }
        let fields = output.fields
        return "t4gd " + fields.plain("version", info["version"] ?? .null) + " on "
            + fields.plain("network", info["network"] ?? .null) + ", up "
            + fields.plain("uptime_s", info["uptime_s"] ?? .null)
    }

    private func status(_ value: JSONValue) -> String { output.fields.text("status", value["status"] ?? .null) }

    private func component(_ health: JSONValue, _ name: String) -> String {
        guard health["error"] == nil else { return error(health) }
        let part = health["components"]?[name] ?? .null
        var text = status(part)
        if let latency = part["latency_ms"], name != "reconciliation" {
            text += " (" + output.fields.plain("latency_ms", latency) + ")"
        }
        if let problem = part["error"]?.stringValue { text += ": " + TerminalText.escaped(problem) }
        return text
    }

    private func count(_ summary: JSONValue) -> String {
        guard summary["error"] == nil, let count = summary["count"]?.int64Value else { return error(summary) }
        let more = summary["more"]?.boolValue == true ? "+" : ""
        let amount = summary["amount_msat"]?.int64Value ?? 0
        return "\(count)\(more)" + (count > 0 ? ", " + AmountText.format(msat: amount) : "")
    }

    private func error(_ part: JSONValue) -> String {
        let error = part["error"] ?? .null
        return "unavailable: "
            + TerminalText.escaped(
                (error["reason"]?.stringValue ?? "error") + ": " + (error["message"]?.stringValue ?? ""))
    }
}
