import AsyncHTTPClient
import Foundation

/// Any server speaking OpenAI's chat completions with `stream: true` (OpenAI, vLLM, Ollama,
/// llama.cpp server, LiteLLM, OpenRouter): `POST {base}/chat/completions`, SSE chunks
/// `{"choices":[{"delta":{"content":...},"finish_reason":...}]}`, a final usage chunk
/// (`stream_options.include_usage`), then `data: [DONE]`. A stream that ends without `[DONE]`
/// is a failure, never a short answer.
struct OpenAICompatibleProvider: GenerationProvider {
    let settings: ProviderSettings
    let http: HTTPClient

    var name: String { settings.name }

    struct Chunk: Decodable {
        struct Choice: Decodable {
            struct Delta: Decodable { var content: String? }
            var delta: Delta?
            var finishReason: String?
            enum CodingKeys: String, CodingKey {
                case delta
                case finishReason = "finish_reason"
            }
        }

        struct Usage: Decodable {
            var promptTokens: Int?
            var completionTokens: Int?
            enum CodingKeys: String, CodingKey {
                case promptTokens = "prompt_tokens"
                case completionTokens = "completion_tokens"
            }
        }

        struct ErrorBody: Decodable { var message: String? }
        var choices: [Choice]?
        var usage: Usage?
        var error: ErrorBody?
    }

    func requestBody(_ request: ProviderRequest) throws -> Data {
        var body: [String: Any] = [
            "model": request.upstreamModel, "stream": true, "stream_options": ["include_usage": true],
            "messages": request.messages.map { ["role": $0.role.rawValue, "content": $0.content] },
            "temperature": request.temperature, "top_p": request.topP, "max_tokens": request.maxTokens,
        ]
        if !request.stop.isEmpty { body["stop"] = request.stop }
        return try JSONSerialization.data(withJSONObject: body)
    }

    func stream(_ request: ProviderRequest) -> AsyncThrowingStream<GenerationEvent, any Error> {
        var headers: [(String, String)] = []
        if let key = settings.apiKey { headers.append(("Authorization", "Bearer \(key)")) }
        if let organization = settings.organization { headers.append(("OpenAI-Organization", organization)) }
        let provider = name
        let body: Data
        do { body = try requestBody(request) } catch { return AsyncThrowingStream { $0.finish(throwing: error) } }
        let events = SSERequest(http: http, provider: provider)
            .events(url: settings.baseURL + "/chat/completions", headers: headers, body: body, timeout: settings.requestTimeout)
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var done = false
                    for try await event in events {
                        if event.data == "[DONE]" { done = true; break }
                        let chunk = try decodeEvent(Chunk.self, event.data, provider: provider)
                        if let error = chunk.error {
                            throw ProviderFailure(.protocolError, provider: provider, detail: "error event: \(error.message ?? "")")
                        }
                        for choice in chunk.choices ?? [] {
                            if let text = choice.delta?.content, !text.isEmpty { continuation.yield(.delta(text)) }
                            if let reason = choice.finishReason { continuation.yield(.finish(Self.finishReason(reason))) }
                        }
                        if let usage = chunk.usage {
                            continuation.yield(.usage(TokenUsage(promptTokens: usage.promptTokens ?? 0, completionTokens: usage.completionTokens ?? 0)))
                        }
                    }
                    guard done else { throw ProviderFailure(.protocolError, provider: provider, detail: "stream ended without [DONE]") }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    static func finishReason(_ raw: String) -> FinishReason {
        switch raw {
        case "length": .length
        case "content_filter": .contentFilter
        default: .stop
        }
    }
}
