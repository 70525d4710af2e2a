import AsyncHTTPClient
import Foundation

/// Anthropic's Messages API with `stream: true`: `POST {base}/v1/messages` (`x-api-key`,
/// `anthropic-version`), events `message_start` (input tokens), `content_block_delta`
/// (`text_delta`), `message_delta` (stop reason, output tokens), `message_stop`, `ping`, and
/// `error`. A stream that ends before `message_stop` is a failure.
struct AnthropicProvider: GenerationProvider {
    static let apiVersion = "2023-06-01"

    let settings: ProviderSettings
    let http: HTTPClient

    var name: String { settings.name }

    struct Event: Decodable {
        struct Usage: Decodable {
            var inputTokens: Int?
            var outputTokens: Int?
            enum CodingKeys: String, CodingKey {
                case inputTokens = "input_tokens"
                case outputTokens = "output_tokens"
            }
        }

        struct Message: Decodable { var usage: Usage? }
        struct Delta: Decodable {
            var type: String?
            var text: String?
            var stopReason: String?
            enum CodingKeys: String, CodingKey {
                case type, text
                case stopReason = "stop_reason"
            }
        }

        struct ErrorBody: Decodable {
            var type: String?
            var message: String?
        }

        var type: String
        var message: Message?
        var delta: Delta?
        var usage: Usage?
        var error: ErrorBody?
    }

    func requestBody(_ request: ProviderRequest) throws -> Data {
        let system = request.messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
        var body: [String: Any] = [
            "model": request.upstreamModel, "stream": true, "max_tokens": request.maxTokens, "temperature": request.temperature,
            "messages": request.messages.filter { $0.role != .system }.map { ["role": $0.role.rawValue, "content": $0.content] },
        ]
        if !system.isEmpty { body["system"] = system }
        if request.topP < 1 { body["top_p"] = request.topP }
        if !request.stop.isEmpty { body["stop_sequences"] = request.stop }
        return try JSONSerialization.data(withJSONObject: body)
    }

    func stream(_ request: ProviderRequest) -> AsyncThrowingStream<GenerationEvent, any Error> {
        var headers: [(String, String)] = [("anthropic-version", Self.apiVersion)]
        if let key = settings.apiKey { headers.append(("x-api-key", key)) }
        let provider = name
        let body: Data
        do { body = try requestBody(request) } catch { return AsyncThrowingStream { $0.finish(throwing: error) } }
        let events = SSERequest(http: http, provider: provider)
            .events(url: settings.baseURL + "/v1/messages", headers: headers, body: body, timeout: settings.requestTimeout)
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var promptTokens = 0
                    var completionTokens = 0
                    var stopped = false
                    for try await event in events {
                        let decoded = try decodeEvent(Event.self, event.data, provider: provider)
                        switch decoded.type {
                        case "message_start":
                            promptTokens = decoded.message?.usage?.inputTokens ?? 0
                            completionTokens = decoded.message?.usage?.outputTokens ?? 0
                        case "content_block_delta":
                            if decoded.delta?.type == "text_delta", let text = decoded.delta?.text, !text.isEmpty { continuation.yield(.delta(text)) }
                        case "message_delta":
                            if let output = decoded.usage?.outputTokens { completionTokens = output }
                            if let reason = decoded.delta?.stopReason { continuation.yield(.finish(Self.finishReason(reason))) }
                        case "message_stop":
                            stopped = true
                        case "error":
                            throw ProviderFailure(
                                .protocolError, provider: provider,
                                detail: "error event \(decoded.error?.type ?? ""): \(decoded.error?.message ?? "")"
                            )
                        default:
                            break  // ping, content_block_start/stop, and event types added later
                        }
                        if stopped { break }
                    }
                    guard stopped else { throw ProviderFailure(.protocolError, provider: provider, detail: "stream ended before message_stop") }
                    continuation.yield(.usage(TokenUsage(promptTokens: promptTokens, completionTokens: completionTokens)))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    static func finishReason(_ raw: String) -> FinishReason {
        raw == "max_tokens" ? .length : .stop
    }
}
