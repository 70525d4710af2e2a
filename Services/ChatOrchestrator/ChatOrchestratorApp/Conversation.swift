import Foundation

/// One user's conversation with an assistant.
struct Conversation: Sendable, Codable, Equatable {
    var id: UUID
    var tenantID: UUID
    var userID: String
    var assistantID: UUID
    var title: String
    var archived: Bool
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, title, archived
        case tenantID = "tenant_id", userID = "user_id", assistantID = "assistant_id", createdAt = "created_at", updatedAt = "updated_at"
    }

    static let maxTitleCharacters = 200

    /// A title from the first message: its first line, cut at a word near 80 characters.
    static func title(from message: String) -> String {
        let line = message.split(whereSeparator: \.isNewline).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        guard line.count > 80 else { return line.isEmpty ? "New conversation" : line }
        let cut = line.prefix(80)
        let word = cut.lastIndex(of: " ").map { cut[..<$0] } ?? cut
        return word.trimmingCharacters(in: .whitespaces) + "…"
    }
}

/// A passage an answer was given with: where it came from and whether the answer cites it.
struct MessageSource: Sendable, Codable, Equatable {
    /// The `[n]` the answer cites it by (1-based).
    var index: Int
    var chunkID: String
    var documentID: String
    var documentVersion: Int?
    var collectionID: String?
    var title: String
    var text: String
    var score: Double
    var cited: Bool
    /// `tool` for a tool's result (absent for a passage), with the tool's name and the URL called.
    var type: String? = nil
    var tool: String? = nil
    var url: String? = nil

    enum CodingKeys: String, CodingKey {
        case index, title, text, score, cited, type, tool, url
        case chunkID = "chunk_id", documentID = "document_id", documentVersion = "document_version", collectionID = "collection_id"
    }
}

/// A stored message: the user's question or the assistant's answer with how it was made.
struct Message: Sendable, Codable, Equatable {
    enum Role: String, Sendable, Codable { case user, assistant }

    var id: UUID
    var conversationID: UUID
    var role: Role
    var content: String
    var sources: [MessageSource]
    var model: String?
    var promptTokens: Int?
    var completionTokens: Int?
    var latencyMS: Int?
    var retrievalMS: Int?
    var generationMS: Int?
    var strategy: String?
    var cached: Bool
    var interrupted: Bool
    var degraded: [String]
    var error: String?
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, role, content, sources, model, strategy, cached, interrupted, degraded, error
        case conversationID = "conversation_id", promptTokens = "prompt_tokens", completionTokens = "completion_tokens"
        case latencyMS = "latency_ms", retrievalMS = "retrieval_ms", generationMS = "generation_ms", createdAt = "created_at"
    }

    static func user(_ content: String, conversation: UUID) -> Message {
        Message(id: UUID(), conversationID: conversation, role: .user, content: content, sources: [], cached: false, interrupted: false,
                degraded: [], createdAt: Date())
    }
}
