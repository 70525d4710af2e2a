import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit

/// The `RateLimit-*` headers (IETF draft "RateLimit header fields for HTTP") and the 429.
enum RateLimitHeaders {
    static let limit = HTTPField.Name("RateLimit-Limit")!
    static let remaining = HTTPField.Name("RateLimit-Remaining")!
    static let reset = HTTPField.Name("RateLimit-Reset")!
    static let retryAfter = HTTPField.Name("Retry-After")!

    static func apply(_ decision: RateDecision, to headers: inout HTTPFields) {
        headers[limit] = String(decision.limit)
        headers[remaining] = String(decision.remaining)
        headers[reset] = String(seconds(decision.resetMicros))
        if !decision.allowed { headers[retryAfter] = String(max(seconds(decision.retryAfterMicros), 1)) }
    }

    static func refusal(_ decision: RateDecision) -> APIError {
        let wait = max(seconds(decision.retryAfterMicros), 1)
        return APIError(.tooManyRequests, code: "RATE_LIMITED", message: "too many requests: retry in \(wait) s",
                        details: ["limit": .number(Int(decision.limit)), "retry_after_seconds": .number(wait)])
    }

    /// Whole seconds, rounded up.
    static func seconds(_ micros: Int64) -> Int {
        Int((micros + 999_999) / 1_000_000)
    }
}
