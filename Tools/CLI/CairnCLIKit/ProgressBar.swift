import Foundation

/// A one-line progress bar on stderr (redrawn in place on a terminal; on a pipe a line at most
/// every few seconds and at the end), showing items, bytes, rate and ETA.
final class ProgressBar {
    private let label: String
    private let totalItems: Int
    private let totalBytes: Int64?
    private let enabled: Bool
    private let started = Date()
    private var lastDraw = Date.distantPast
    private(set) var items = 0
    private(set) var bytes: Int64 = 0
    private var note = ""

    init(label: String, totalItems: Int, totalBytes: Int64? = nil, enabled: Bool) {
        self.label = label
        self.totalItems = totalItems
        self.totalBytes = totalBytes
        self.enabled = enabled
    }

    func update(items: Int? = nil, bytes: Int64? = nil, note: String? = nil) {
        if let items { self.items = items }
        if let bytes { self.bytes = bytes }
        if let note { self.note = note }
        draw(force: false)
    }

    func finish(note: String? = nil) {
        if let note { self.note = note }
        draw(force: true)
        if enabled, Terminal.stderrIsTTY { Terminal.err("") }
    }

    private func draw(force: Bool) {
        guard enabled else { return }
        let now = Date()
        let interval: TimeInterval = Terminal.stderrIsTTY ? 0.1 : 5
        guard force || now.timeIntervalSince(lastDraw) >= interval else { return }
        lastDraw = now
        let line = render(elapsed: now.timeIntervalSince(started))
        if Terminal.stderrIsTTY {
            Terminal.err("\r\u{1B}[2K" + line, newline: false)
        } else {
            Terminal.err(line)
        }
    }

    func render(elapsed: TimeInterval) -> String {
        let fraction: Double
        if let totalBytes, totalBytes > 0 {
            fraction = min(1, Double(bytes) / Double(totalBytes))
        } else {
            fraction = totalItems > 0 ? min(1, Double(items) / Double(totalItems)) : 1
        }
        let width = 24
        let filled = Int((fraction * Double(width)).rounded(.down))
        var parts = ["\(label) [\(String(repeating: "#", count: filled))\(String(repeating: "-", count: width - filled))]",
                     "\(items)/\(totalItems) files"]
        if let totalBytes {
            let rate = elapsed > 0 ? Double(bytes) / elapsed : 0
            parts.append("\(Terminal.bytes(bytes))/\(Terminal.bytes(totalBytes))")
            parts.append("\(Terminal.bytes(Int64(rate)))/s")
        }
        let eta = fraction > 0 && fraction < 1 ? elapsed / fraction - elapsed : (fraction >= 1 ? 0 : .infinity)
        parts.append("ETA \(Terminal.duration(eta))")
        if !note.isEmpty { parts.append(note) }
        return parts.joined(separator: "  ")
    }
}
