import Crypto
import Foundation

/// A Lua script run with `EVALSHA`, so only its 40-character hash travels on each call.
///
/// The hash is computed locally, the way Redis computes it. ``RedisClient/evaluate(_:keys:arguments:)``
/// loads the script on demand: when Redis answers `NOSCRIPT` (first use on a server, after a
/// restart or `SCRIPT FLUSH`) it sends `SCRIPT LOAD` and retries once.
public struct RedisScript: Sendable, Hashable {
    public let source: String
    /// Lowercase hex SHA-1 of `source`.
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        self.sha1 = Insecure.SHA1.hash(data: Array(source.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Lua scripts.
extension RedisClient {
    /// Runs `script` with `EVALSHA`, loading it and retrying once when Redis does not know it.
    /// An error the script raises is thrown as ``RedisError/server(_:)``.
    @discardableResult
    public func evaluate(_ script: RedisScript, keys: [String] = [], arguments: [RedisArgument] = []) async throws -> RedisValue {
        do {
            return try await evalsha(script.sha1, keys: keys, arguments: arguments)
        } catch RedisError.server(let message) where message.hasPrefix("NOSCRIPT") {
            let loaded = try await scriptLoad(script.source)
            guard loaded == script.sha1 else {
                throw RedisError.protocolError("SCRIPT LOAD returned \(loaded), expected \(script.sha1)")
            }
            return try await evalsha(script.sha1, keys: keys, arguments: arguments)
        }
    }

    /// `EVAL`: sends the whole script. Prefer ``evaluate(_:keys:arguments:)`` for scripts run repeatedly.
    @discardableResult
    public func eval(_ source: String, keys: [String] = [], arguments: [RedisArgument] = []) async throws -> RedisValue {
        try await command(["EVAL", RedisArgument(source)] + Self.scriptParameters(keys, arguments))
    }

    /// `EVALSHA`: runs a script already loaded; throws ``RedisError/server(_:)`` with a
    /// `NOSCRIPT` message when it is not.
    @discardableResult
    public func evalsha(_ sha1: String, keys: [String] = [], arguments: [RedisArgument] = []) async throws -> RedisValue {
        try await command(["EVALSHA", RedisArgument(sha1)] + Self.scriptParameters(keys, arguments))
    }

    /// `SCRIPT LOAD`: the script's SHA-1 as Redis computed it.
    public func scriptLoad(_ source: String) async throws -> String {
        try await command(["SCRIPT", "LOAD", RedisArgument(source)]).decode(as: String.self, for: "SCRIPT LOAD")
    }

    private static func scriptParameters(_ keys: [String], _ arguments: [RedisArgument]) -> [RedisArgument] {
        [RedisArgument(keys.count)] + keys.map(RedisArgument.init) + arguments
    }
}
