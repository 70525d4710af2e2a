import Foundation

/// A grounded answer read from the chat orchestrator's event stream.
struct StreamedAnswer: Encodable {
    var answer = ""
    var conversationId: String?
    var messageId: String?
    var sources: [MessageSource] = []
}

/// The body of `POST /v1/chat` and `POST /v1/conversations/{id}/messages`.
struct QuestionRequest: Encodable, Sendable {
    struct Filters: Encodable, Sendable { var documentIds: [String] }
    var content: String
    var stream = true
    var assistantId: String?
    var filters: Filters?
}

/// Asks one question and streams the answer's text to stdout as it arrives (unless `quiet`).
enum AnswerStream {
    static func ask(_ request: QuestionRequest, path: String, client: APIClient, quiet: Bool) async throws -> StreamedAnswer {
        let response = try await client.openStream(path, json: request)
        let requestID = response.headers.first(name: "X-Request-ID")
        var parser = ServerSentEventParser()
        var answer = StreamedAnswer()
        var finished = false
        do {
            for try await buffer in response.body {
                for event in parser.feed(buffer.readableBytesView) {
                    switch event.name {
                    case "sources":
                        answer.sources = try decode(SourcesEvent.self, event).sources
                    case "delta":
                        let text = try decode(DeltaEvent.self, event).text
                        answer.answer += text
                        if !quiet { Terminal.out(text, newline: false) }
                    case "done":
                        let done = try decode(DoneEvent.self, event)
                        answer.conversationId = done.conversationId
                        answer.messageId = done.messageId
                        finished = true
                    case "error":
                        let failure = try decode(StreamErrorEvent.self, event).error
                        if !quiet, !answer.answer.isEmpty { Terminal.out("") }
                        throw CLIError(failure.code.hasSuffix("UNAVAILABLE") ? .server : .failure, failure.message,
                                       code: failure.code, requestID: failure.requestId ?? requestID)
                    default:
                        break
                    }
                }
            }
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError(.unreachable, "the answer stream broke off: \(APIClient.describe(error))", requestID: requestID)
        }
        if !quiet { Terminal.out("") }
        guard finished else {
            throw CLIError(.server, "the answer stream ended before it was complete", requestID: requestID)
        }
        return answer
    }

    /// `Sources:` and one line per passage, cited ones marked with `*`.
    static func printSources(_ sources: [MessageSource]) {
        guard !sources.isEmpty else {
            Terminal.out("Sources: none")
            return
        }
        Terminal.out("Sources:")
        for source in sources.sorted(by: { $0.index < $1.index }) {
            let title = source.title.isEmpty ? "(untitled)" : source.title
            Terminal.out("  [\(source.index)]\(source.cited ? "*" : " ") \(title)  document \(source.documentId)  score \(String(format: "%.2f", source.score))")
        }
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ event: ServerSentEvent) throws -> T {
        do {
            return try APIClient.decoder.decode(type, from: Data(event.data.utf8))
        } catch {
            throw CLIError(.failure, "unexpected \(event.name) event from the server")
        }
    }
}
