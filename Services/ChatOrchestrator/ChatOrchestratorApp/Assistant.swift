import Foundation

/// How an assistant retrieves: vector-search's strategies, or `auto` (the query analysis picks).
enum RetrievalStrategy: String, Sendable, Codable, CaseIterable {
    case vector, lexical, hybrid, auto
}

/// vector-search's filters, passed through as they are (`collection_ids` is the assistant's).
struct SearchFilters: Sendable, Codable, Equatable {
    var documentIDs: [String]?
    var category: String?
    var tagsAny: [String]?
    var tagsAll: [String]?
    var dateFrom: String?
    var dateTo: String?
    var source: String?

    enum CodingKeys: String, CodingKey {
        case category, source
        case documentIDs = "document_ids", tagsAny = "tags_any", tagsAll = "tags_all", dateFrom = "date_from", dateTo = "date_to"
    }

    /// Request filters narrow the assistant's: a field the request sets replaces the default.
    func overridden(by request: SearchFilters?) -> SearchFilters {
        guard let request else { return self }
        return SearchFilters(
            documentIDs: request.documentIDs ?? documentIDs, category: request.category ?? category, tagsAny: request.tagsAny ?? tagsAny,
            tagsAll: request.tagsAll ?? tagsAll, dateFrom: request.dateFrom ?? dateFrom, dateTo: request.dateTo ?? dateTo,
            source: request.source ?? source
        )
    }
}

/// A tenant's assistant: the system prompt, the model, the collections it may search and how.
struct Assistant: Sendable, Codable, Equatable {
    var id: UUID
    var tenantID: UUID
    var name: String
    var instructions: String
    var model: String
    var temperature: Double?
    var maxTokens: Int?
    var collectionIDs: [String]
    var strategy: RetrievalStrategy
    var topK: Int
    var filters: SearchFilters
    var isDefault: Bool
    var createdAt: Date
    var updatedAt: Date
    /// Outside endpoints called for context (see ``AssistantTool``).
    var tools: [AssistantTool] = []

    enum CodingKeys: String, CodingKey {
        case id, name, instructions, model, temperature, strategy, filters, tools
        case tenantID = "tenant_id", maxTokens = "max_tokens", collectionIDs = "collection_ids", topK = "top_k"
        case isDefault = "is_default", createdAt = "created_at", updatedAt = "updated_at"
    }
}

/// The writable fields of an assistant (create: all but `name` optional; update: any subset).
struct AssistantInput: Sendable, Decodable {
    var name: String?
    var instructions: String?
    var model: String?
    var temperature: Double?
    var maxTokens: Int?
    var collectionIDs: [String]?
    var strategy: RetrievalStrategy?
    var topK: Int?
    var filters: SearchFilters?
    var tools: [AssistantTool]?

    enum CodingKeys: String, CodingKey {
        case name, instructions, model, temperature, strategy, filters, tools
        case maxTokens = "max_tokens", collectionIDs = "collection_ids", topK = "top_k"
    }

    static let maxNameCharacters = 200
    static let maxInstructionCharacters = 20_000
    static let maxCollections = 100

    /// Checks the fields present; throws the first problem.
    func validate() throws(ChatError) {
        if let name, name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || name.count > Self.maxNameCharacters {
            throw .invalid("name must be 1–\(Self.maxNameCharacters) characters")
        }
        if let instructions, instructions.count > Self.maxInstructionCharacters {
            throw .invalid("instructions must be at most \(Self.maxInstructionCharacters) characters")
        }
        if let model, model.isEmpty || model.count > 200 { throw .invalid("model must be 1–200 characters") }
        if let temperature, !(0...2).contains(temperature) { throw .invalid("temperature must be 0–2") }
        if let maxTokens, !(1...131_072).contains(maxTokens) { throw .invalid("max_tokens must be 1–131072") }
        if let collectionIDs, collectionIDs.count > Self.maxCollections || collectionIDs.contains(where: \.isEmpty) {
            throw .invalid("collection_ids: at most \(Self.maxCollections) non-empty ids")
        }
        if let topK, !(1...100).contains(topK) { throw .invalid("top_k must be 1–100") }
        if let tools { try AssistantTool.validate(tools) }
    }

    /// `assistant` with the fields present here applied.
    func applied(to assistant: Assistant) -> Assistant {
        var result = assistant
        if let name { result.name = name }
        if let instructions { result.instructions = instructions }
        if let model { result.model = model }
        if let temperature { result.temperature = temperature }
        if let maxTokens { result.maxTokens = maxTokens }
        if let collectionIDs { result.collectionIDs = collectionIDs }
        if let strategy { result.strategy = strategy }
        if let topK { result.topK = topK }
        if let filters { result.filters = filters }
        if let tools { result.tools = tools }
        return result
    }
}
