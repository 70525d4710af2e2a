import Foundation
import Logging
import NIOConcurrencyHelpers

/// Writes one JSON object per line: `ts`, `level`, `service`, `logger`, `msg`, the call site
/// for warnings and worse, then the metadata (with `request_id` when the line belongs to a request).
///
/// Values under keys that look like secrets (`password`, `token`, `authorization`, `secret`,
/// `api_key`, `cookie`) are replaced with `[REDACTED]`, so a careless call site cannot leak them.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let service: String
    private let sink: LogSink

    public init(label: String, service: String, level: Logger.Level, sink: LogSink = .standardOutput) {
        self.label = label
        self.service = service
        self.logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let level = event.level
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        if let error = event.error { merged["error"] = "\(String(reflecting: error))" }
        // Hummingbird's own per-request counter is superseded by our request_id.
        merged.removeValue(forKey: "hb.request.id")

        var object: [String: Any] = [
            "ts": Self.timestamp(),
            "level": level.rawValue,
            "service": service,
            "logger": label,
            "msg": event.message.description,
        ]
        if level >= .warning {
            object["source"] = "\(event.file.split(separator: "/").last ?? ""):\(event.line)"
        }
        for (key, value) in merged where object[key] == nil {
            object[key] = Self.isSecret(key) ? "[REDACTED]" : Self.jsonValue(value)
        }
        guard var text = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return }
        text.append(UInt8(ascii: "\n"))
        sink.write(text)
    }

    static func isSecret(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return ["password", "secret", "token", "authorization", "api_key", "apikey", "cookie"].contains { lowered.contains($0) }
    }

    static func jsonValue(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let string): return string
        case .stringConvertible(let convertible): return convertible.description
        case .array(let array): return array.map(jsonValue)
        case .dictionary(let dictionary):
            return Dictionary(uniqueKeysWithValues: dictionary.map { ($0.key, isSecret($0.key) ? "[REDACTED]" : jsonValue($0.value)) })
        }
    }

    static func timestamp() -> String {
        Date.now.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}

/// Where log lines go: standard output in services, a buffer in tests.
public final class LogSink: Sendable {
    private let write: @Sendable (Data) -> Void

    public init(write: @escaping @Sendable (Data) -> Void) {
        self.write = write
    }

    func write(_ line: Data) { write(line) }

    /// One `write(2)` per line so lines from concurrent tasks never interleave.
    public static let standardOutput = LogSink { line in
        line.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(1, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}

/// Collects log lines in memory, for tests.
public final class LogCapture: Sendable {
    private let lines = NIOLockedValueBox<[Data]>([])

    public init() {}

    public var sink: LogSink { LogSink { [lines] line in lines.withLockedValue { $0.append(line) } } }

    /// Every captured line, decoded.
    public var entries: [[String: Any]] {
        lines.withLockedValue { $0 }.compactMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
    }

    /// The raw text captured so far.
    public var text: String {
        lines.withLockedValue { $0 }.map { String(decoding: $0, as: UTF8.self) }.joined()
    }
}

/// Sets up the process-wide logging system once (JSON lines on standard output).
public enum CairnLogging {
    private static let bootstrapped = NIOLockedValueBox(false)

    public static func bootstrap(service: String, level: Logger.Level) {
        let first = bootstrapped.withLockedValue { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, service: service, level: level) }
    }
}
