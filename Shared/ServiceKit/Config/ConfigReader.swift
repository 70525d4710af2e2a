import Foundation

/// Reads typed values from a flat string environment and collects every problem it meets,
/// so start-up can report all missing or invalid keys at once instead of the first one only.
///
/// Usage: create a reader, read every key, then call ``finish()``, which throws
/// ``ConfigurationError`` listing all problems if there were any.
public struct ConfigReader: Sendable {
    public let environment: [String: String]
    public private(set) var problems: [ConfigurationError.Problem] = []

    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// A string value. A required key that is absent is recorded as missing.
    /// Empty strings count as absent: `FOO=` is nearly always a mistake in a manifest.
    ///
    /// Every reader returns a placeholder when it records a problem; ``finish()`` then throws,
    /// so placeholders never reach a running service.
    public mutating func string(_ key: String, default defaultValue: String? = nil) -> String {
        if let value = environment[key], !value.isEmpty { return value }
        if let defaultValue { return defaultValue }
        problems.append(.init(key: key, reason: "missing (required)"))
        return ""
    }

    /// The base URL of another service (`http://auth:8081`), without a trailing slash; anything
    /// but an http(s) URL with a host is reported.
    public mutating func baseURL(_ key: String, default defaultValue: String) -> String {
        var url = string(key, default: defaultValue)
        while url.hasSuffix("/") { url.removeLast() }
        if let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil { return url }
        report(key, "must be an http(s) URL")
        return url
    }

    /// An optional string: absent is fine and yields `nil`.
    public func optionalString(_ key: String) -> String? {
        guard let value = environment[key], !value.isEmpty else { return nil }
        return value
    }

    /// An integer within `range`.
    public mutating func int(_ key: String, default defaultValue: Int? = nil, range: ClosedRange<Int>) -> Int {
        let missingBefore = problems.count
        let raw = string(key, default: defaultValue.map(String.init))
        guard problems.count == missingBefore else { return range.lowerBound }
        guard let value = Int(raw), range.contains(value) else {
            problems.append(.init(key: key, reason: "invalid value \"\(raw)\": expected an integer in \(range.lowerBound)...\(range.upperBound)"))
            return range.lowerBound
        }
        return value
    }

    /// A TCP port (1...65535), or 0 where `allowZero` (bind to any free port: tests).
    public mutating func port(_ key: String, default defaultValue: Int? = nil, allowZero: Bool = false) -> Int {
        int(key, default: defaultValue, range: (allowZero ? 0 : 1)...65535)
    }

    /// A value from a closed set, e.g. `disable|require|verify-full`.
    public mutating func oneOf<T: RawRepresentable & CaseIterable>(
        _ key: String, default defaultValue: T, as type: T.Type = T.self
    ) -> T where T.RawValue == String {
        let raw = string(key, default: defaultValue.rawValue)
        guard let value = T(rawValue: raw.lowercased()) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: "|")
            problems.append(.init(key: key, reason: "invalid value \"\(raw)\": expected one of \(allowed)"))
            return defaultValue
        }
        return value
    }

    /// A comma-separated list of `host:port` endpoints (at least one).
    public mutating func endpoints(_ key: String, default defaultValue: String? = nil) -> [Endpoint] {
        let missingBefore = problems.count
        let raw = string(key, default: defaultValue)
        guard problems.count == missingBefore else { return [] }
        var result: [Endpoint] = []
        for item in raw.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            guard let endpoint = Endpoint(parsing: item) else {
                problems.append(.init(key: key, reason: "invalid endpoint \"\(item)\": expected host:port"))
                return []
            }
            result.append(endpoint)
        }
        guard !result.isEmpty else {
            problems.append(.init(key: key, reason: "expected at least one host:port"))
            return []
        }
        return result
    }

    /// Records a problem found by a caller's own validation (cross-key rules and the like).
    public mutating func report(_ key: String, _ reason: String) {
        problems.append(.init(key: key, reason: reason))
    }

    /// Throws a ``ConfigurationError`` listing every problem met so far.
    public func finish() throws(ConfigurationError) {
        if !problems.isEmpty { throw ConfigurationError(problems: problems) }
    }
}

/// A `host:port` pair.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, `[v6]:port`.
    public init?(parsing text: some StringProtocol) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (1...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.init(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Every configuration problem found at start-up, one line per key.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public struct Problem: Sendable, Equatable {
        public var key: String
        public var reason: String

        public init(key: String, reason: String) {
            self.key = key
            self.reason = reason
        }
    }

    public init(problems: [Problem]) {
        self.problems = problems
    }

    public var problems: [Problem]

    /// The keys with problems, in the order they were read.
    public var keys: [String] { problems.map(\.key) }

    public var description: String {
        "invalid configuration (\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n"
            + problems.map { "  \($0.key): \($0.reason)" }.joined(separator: "\n")
    }
}
