import AsyncHTTPClient
import Foundation
import NIOCore
import ServiceKit

/// generation's `POST /v1/generate` body (it assembles the prompt and numbers the sources `[n]`).
struct GenerateBody: Sendable, Encodable {
    struct Source: Sendable, Encodable {
        var id: String
        var title: String?
        var text: String
        var score: Double?
    }

    struct Turn: Sendable, Encodable {
        var role: String
        var content: String
    }

    var model: String
    var question: String
    var sources: [Source]
    var history: [Turn]
    var instructions: String?
    var temperature: Double?
    var maxTokens: Int?
    var stream = true
    var conversationID: String

    enum CodingKeys: String, CodingKey {
        case model, question, sources, history, instructions, temperature, stream
        case maxTokens = "max_tokens", conversationID = "conversation_id"
    }
}

/// generation's `done` event (and the `done` inside its `error` event).
struct GenerationDone: Sendable, Decodable, Equatable {
    struct Usage: Sendable, Decodable, Equatable {
        var promptTokens: Int
        var completionTokens: Int
        enum CodingKeys: String, CodingKey { case promptTokens = "prompt_tokens", completionTokens = "completion_tokens" }
    }

    var model: String
    var finishReason: String
    /// The source numbers (1-based) the answer cites.
    var citations: [Int]
    var usage: Usage
    var cached: Bool

    enum CodingKeys: String, CodingKey {
        case model, citations, usage, cached
        case finishReason = "finish_reason"
    }
}

/// One event of a generation stream.
enum GenerationEvent: Sendable, Equatable {
    case delta(String)
    case done(GenerationDone)
    /// The provider failed mid-answer.
    case failed(message: String)
}

/// Generates answers as a stream of events.
protocol Generator: Sendable {
    /// Throws ``ChatError/generationUnavailable`` when no stream could be started.
    func generate(_ body: GenerateBody, credentials: CallerCredentials) async throws -> AsyncThrowingStream<GenerationEvent, any Error>
}

/// generation over HTTP: its SSE answer parsed as it arrives. Cancelling the consuming task
/// (a client that went away) drops the response body, which closes the connection upstream,
/// and generation cancels the provider's request in turn.
struct GenerationClient: Generator {
    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    let baseURL: String
    let http: HTTPClient
    /// The connection and the answer's head (generation sends it with its first event).
    let startTimeout: Duration

    private struct Delta: Decodable { var text: String }
    private struct Failure: Decodable {
        struct Detail: Decodable { var message: String }
        var error: Detail
    }

    func generate(_ body: GenerateBody, credentials: CallerCredentials) async throws -> AsyncThrowingStream<GenerationEvent, any Error> {
        let request = try credentials.request(baseURL + "/v1/generate", json: body)
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: TimeAmount(startTimeout))
        } catch {
            throw Failed(description: "generation unreachable: \(error)")
        }
        guard response.status == .ok else {
            _ = try? await response.body.collect(upTo: 1 << 16)
            throw Failed(description: "generation answered HTTP \(response.status.code)")
        }
        let body = response.body
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var parser = SSEParser()
                    for try await chunk in body {
                        for event in try parser.feed(chunk.readableBytesView) {
                            if let mapped = try Self.map(event) { continuation.yield(mapped) }
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    static func map(_ event: ServerSentEvent) throws -> GenerationEvent? {
        let data = Data(event.data.utf8)
        switch event.event {
        case "delta": return .delta(try JSONDecoder().decode(Delta.self, from: data).text)
        case "done": return .done(try JSONDecoder().decode(GenerationDone.self, from: data))
        case "error": return .failed(message: (try? JSONDecoder().decode(Failure.self, from: data).error.message) ?? "generation failed")
        default: return nil
        }
    }
}
