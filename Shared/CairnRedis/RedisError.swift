/// Everything a ``RedisClient`` call can fail with (besides `CancellationError`).
///
/// Callers that can live without Redis (caches, soft rate limits) catch ``unavailable(_:)``
/// and degrade; it is thrown within microseconds while Redis is down, never after a long hang.
/// No description ever contains the password: AUTH is the only command that carries it, and
/// neither hiredis nor Redis echo it back.
public enum RedisError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Redis cannot be reached: connection refused or lost, connect timeout, or the client is
    /// shut down. The reason names the endpoint and the socket error.
    case unavailable(String)
    /// No reply within the command timeout. The connection is dropped (its reply stream
    /// can no longer be trusted); whether the command took effect is unknown.
    case timeout
    /// Redis answered with an error reply (`ERR ...`, `WRONGTYPE ...`, `NOSCRIPT ...`).
    case server(String)
    /// Redis refused the configured credentials (`WRONGPASS ...`, or AUTH sent to a server
    /// without a password).
    case authenticationFailed(String)
    /// A reply that hiredis could not parse, or a reply of a type the command never returns.
    case protocolError(String)

    public var description: String {
        switch self {
        case .unavailable(let reason): "Redis unavailable: \(reason)"
        case .timeout: "Redis command timed out"
        case .server(let message): "Redis error: \(message)"
        case .authenticationFailed(let message): "Redis authentication failed: \(message)"
        case .protocolError(let message): "Redis protocol error: \(message)"
        }
    }

    /// Whether the connection that saw this error must be dropped rather than reused: after
    /// an I/O error, EOF or timeout, the next bytes on the socket may belong to an old reply.
    var breaksConnection: Bool {
        switch self {
        case .unavailable, .timeout, .protocolError: true
        case .server, .authenticationFailed: false
        }
    }

    /// The `outcome` label of `redis_commands_total`.
    var outcomeLabel: String {
        switch self {
        case .unavailable: "unavailable"
        case .timeout: "timeout"
        case .server: "server_error"
        case .authenticationFailed: "auth_failed"
        case .protocolError: "protocol_error"
        }
    }
}
