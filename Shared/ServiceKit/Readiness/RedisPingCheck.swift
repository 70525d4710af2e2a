import NIOCore

/// Readiness of Redis: `AUTH` when a password is configured, then `PING` must answer `+PONG`.
/// A new connection per check, so a restarted Redis turns the check green again by itself.
public struct RedisPingCheck: ReadinessCheck {
    public let name = "redis"
    public let settings: RedisSettings

    public init(settings: RedisSettings) {
        self.settings = settings
    }

    struct UnexpectedReply: Error, CustomStringConvertible {
        var reply: String
        var description: String { "unexpected reply: \(reply.prefix(60))" }
    }

    public func check() async throws {
        var commands: [[String]] = []
        if let password = settings.password { commands.append(["AUTH", password]) }
        commands.append(["PING"])
        let expectedLines = commands.count
        let reply = try await TCPExchange.exchange(
            with: settings.endpoint, request: commands.flatMap(Self.encode),
            isComplete: { buffer in buffer.readableBytesView.filter { $0 == UInt8(ascii: "\n") }.count >= expectedLines }
        )
        let text = String(buffer: reply)
        let lines = text.split(separator: "\r\n")
        guard lines.count >= expectedLines, lines.allSatisfy({ $0.hasPrefix("+") }), lines.last == "+PONG" else {
            // Never echo the AUTH reply verbatim: it is harmless, but keep the habit.
            throw UnexpectedReply(reply: lines.first { $0.hasPrefix("-") }.map(String.init) ?? text)
        }
    }

    /// A command as a RESP array of bulk strings.
    static func encode(_ command: [String]) -> [UInt8] {
        var out = Array("*\(command.count)\r\n".utf8)
        for part in command {
            out += Array("$\(part.utf8.count)\r\n".utf8) + Array(part.utf8) + Array("\r\n".utf8)
        }
        return out
    }
}
