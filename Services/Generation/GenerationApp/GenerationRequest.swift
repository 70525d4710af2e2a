import Foundation

/// `stop` as OpenAI takes it: a string or an array of strings.
struct StopSequences: Decodable, Sendable {
    var values: [String]

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(String.self) {
            values = [one]
        } else if let many = try? container.decode([String].self) {
            values = many
        } else {
            throw GenerationError.invalid("stop must be a string or an array of strings")
        }
    }
}

/// A source as callers send it.
struct SourceBody: Decodable, Sendable {
    var id: String?
    var title: String?
    var text: String
    var score: Double?
}

/// The body of the internal `POST /v1/generate` (README "Generation").
struct GenerateRequest: Decodable, Sendable {
    var model: String?
    var question: String
    var sources: [SourceBody]?
    var history: [ChatMessage]?
    var instructions: String?
    var temperature: Double?
    var topP: Double?
    var maxTokens: Int?
    var stop: StopSequences?
    var stream: Bool?
    var piiRedaction: Bool?
    var conversationID: String?

    enum CodingKeys: String, CodingKey {
        case model, question, sources, history, instructions, temperature, stop, stream
        case topP = "top_p"
        case maxTokens = "max_tokens"
        case piiRedaction = "pii_redaction"
        case conversationID = "conversation_id"
    }
}

/// The body of the OpenAI-compatible `POST /v1/chat/completions`; `sources` is Cairn's own
/// extension (OpenAI SDKs send it with `extra_body`).
struct ChatCompletionRequest: Decodable, Sendable {
    struct Message: Decodable, Sendable {
        var role: String
        var content: String

        enum CodingKeys: String, CodingKey { case role, content }
        struct Part: Decodable { var type: String; var text: String? }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            role = try container.decode(String.self, forKey: .role)
            if let text = try? container.decode(String.self, forKey: .content) {
                content = text
            } else if let parts = try? container.decode([Part].self, forKey: .content) {
                guard parts.allSatisfy({ $0.type == "text" }) else { throw GenerationError.invalid("only text content parts are supported") }
                content = parts.compactMap(\.text).joined(separator: "\n")
            } else if (try? container.decodeNil(forKey: .content)) == true || !container.contains(.content) {
                content = ""
            } else {
                throw GenerationError.invalid("messages[].content must be a string or an array of text parts")
            }
        }
    }

    struct StreamOptions: Decodable, Sendable {
        var includeUsage: Bool?
        enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    var model: String?
    var messages: [Message]
    var temperature: Double?
    var topP: Double?
    var maxTokens: Int?
    var maxCompletionTokens: Int?
    var stop: StopSequences?
    var stream: Bool?
    var streamOptions: StreamOptions?
    var n: Int?
    var sources: [SourceBody]?

    enum CodingKeys: String, CodingKey {
        case model, messages, temperature, stop, stream, n, sources
        case topP = "top_p"
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case streamOptions = "stream_options"
    }
}

extension GenerationLimits {
    /// Checks a request's sizes; throws the first violation.
    func check(question: String, instructions: String?, sources: [SourceBody], history: [ChatMessage]) throws(GenerationError) {
        guard !question.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .invalid("the question must not be empty") }
        guard sources.count <= maxSources else {
            throw .limitExceeded(limitName: "max_sources", message: "\(sources.count) sources; at most \(maxSources)", limit: maxSources, actual: sources.count)
        }
        guard history.count <= maxHistoryMessages else {
            throw .limitExceeded(limitName: "max_history", message: "\(history.count) history messages; at most \(maxHistoryMessages)",
                                 limit: maxHistoryMessages, actual: history.count)
        }
        let texts = [("question", question), ("instructions", instructions ?? "")] + sources.enumerated().map { ("sources[\($0.offset)].text", $0.element.text) }
            + history.enumerated().map { ("history[\($0.offset)].content", $0.element.content) }
        for (name, text) in texts {
            let length = text.unicodeScalars.count
            guard length <= maxTextCharacters else {
                throw .limitExceeded(limitName: "max_text_characters", message: "\(name) has \(length) characters; at most \(maxTextCharacters)",
                                     limit: maxTextCharacters, actual: length)
            }
        }
    }
}

/// Decodes a body; anything malformed is a clear 400.
func decodeBody<T: Decodable>(_ type: T.Type, _ data: Data) throws(GenerationError) -> T {
    do {
        return try JSONDecoder().decode(T.self, from: data)
    } catch let error as GenerationError {
        throw error
    } catch let DecodingError.keyNotFound(key, _) {
        throw .invalid("\(key.stringValue) is required")
    } catch let DecodingError.typeMismatch(_, context) {
        throw .invalid("\(context.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type")
    } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
        throw .invalid("\(context.codingPath.map(\.stringValue).joined(separator: ".")) is invalid")
    } catch {
        throw .invalid("the body is not valid JSON")
    }
}
