/// How often and how patiently a failing handler is retried before its message goes to the DLQ.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included (ignored when ``retriesUntilSuccess``).
    public var maxAttempts: Int
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    /// Whether a retryable error is retried until the handler succeeds or the worker stops.
    /// Then only ``NonRetryableError``s reach the DLQ; a worker stopped while retrying leaves the
    /// offset unstored, so the message is redelivered. For handlers whose failures are either
    /// the message's fault (thrown as ``PoisonMessage``) or the infrastructure's (a database
    /// outage must delay events, never dead-letter them).
    public var retriesUntilSuccess: Bool

    public init(maxAttempts: Int = 3, initialBackoff: Duration = .milliseconds(100), maxBackoff: Duration = .seconds(5)) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        retriesUntilSuccess = false
    }

    /// Retryable errors are retried with backoff for ever; only ``NonRetryableError``s go to the DLQ.
    public static func untilSuccess(initialBackoff: Duration = .milliseconds(100), maxBackoff: Duration = .seconds(5)) -> RetryPolicy {
        var policy = RetryPolicy(maxAttempts: .max, initialBackoff: initialBackoff, maxBackoff: maxBackoff)
        policy.retriesUntilSuccess = true
        return policy
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
