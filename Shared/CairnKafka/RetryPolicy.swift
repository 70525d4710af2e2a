/// How often and how patiently a failing handler is retried before its message goes to the DLQ.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    public var initialBackoff: Duration
    public var maxBackoff: Duration

    public init(maxAttempts: Int = 3, initialBackoff: Duration = .milliseconds(100), maxBackoff: Duration = .seconds(5)) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    /// Exponential: initial, 2×, 4×... capped at `maxBackoff`.
    public func backoff(afterAttempt attempt: Int) -> Duration {
        min(maxBackoff, initialBackoff * (1 << min(attempt - 1, 20)))
    }
}

/// A handler error that retrying cannot fix (undecodable payload, invalid event): the message
/// goes to the DLQ at once.
public protocol NonRetryableError: Error {}

/// The usual non-retryable error: the message itself is bad.
public struct PoisonMessage: NonRetryableError, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
