import ServiceKit

/// generation's errors, mapped to the one error shape in one place. Provider detail goes to
/// the log only; clients learn which step failed.
enum GenerationError: Error, APIErrorConvertible, Equatable {
    case invalid(String)
    case limitExceeded(limitName: String, message: String, limit: Int, actual: Int)
    case modelNotFound(String, available: [String])
    /// Every model of the chain failed before answering (or its breaker was open).
    case unavailable(model: String, reasons: [String])
    /// The question and the fixed instructions alone exceed the model's context window.
    case promptTooLong(tokens: Int, budget: Int)

    var apiError: APIError {
        switch self {
        case .invalid(let message):
            .badRequest(message)
        case .limitExceeded(let name, let message, let limit, let actual):
            APIError(.badRequest, code: "LIMIT_EXCEEDED", message: message, details: ["limit_name": .text(name), "limit": .number(limit), "actual": .number(actual)])
        case .modelNotFound(let name, let available):
            APIError(.notFound, code: "MODEL_NOT_FOUND", message: "model \"\(name.prefix(100))\" is not served here; available: \(available.joined(separator: ", "))")
        case .unavailable(let model, let reasons):
            APIError(.serviceUnavailable, code: "PROVIDER_UNAVAILABLE", message: "no provider of \(model.prefix(100)) could answer; retry later",
                     details: ["reasons": .text(reasons.joined(separator: ", "))])
        case .promptTooLong(let tokens, let budget):
            APIError(.badRequest, code: "LIMIT_EXCEEDED", message: "the question and instructions take about \(tokens) tokens; the model allows \(budget)",
                     details: ["limit_name": "prompt_tokens", "limit": .number(budget), "actual": .number(tokens)])
        }
    }
}
