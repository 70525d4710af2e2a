import Foundation
import Logging
import PostgresNIO

/// Assistants in Postgres, always scoped to a tenant.
struct AssistantStore: Sendable {
    let client: PostgresClient
    let defaults: PipelineSettings
    let logger: Logger

    private static let columns = """
        id, tenant_id, name, instructions, model, temperature, max_tokens, collection_ids, strategy, top_k, filters::text,
        is_default, created_at, updated_at, tools::text
        """

    func list(tenant: UUID) async throws -> [Assistant] {
        _ = try await defaultAssistant(tenant: tenant)
        let rows = try await client.query(
            "SELECT \(unescaped: Self.columns) FROM assistants WHERE tenant_id = \(tenant) ORDER BY created_at, id",
            logger: logger
        )
        return try await rows.collect().map(Self.decode)
    }

    /// The assistant `id` of `tenant`; nil when there is none.
    func get(_ id: UUID, tenant: UUID) async throws -> Assistant? {
        let rows = try await client.query(
            "SELECT \(unescaped: Self.columns) FROM assistants WHERE id = \(id) AND tenant_id = \(tenant)",
            logger: logger
        )
        return try await rows.collect().first.map(Self.decode)
    }

    /// The tenant's default assistant, created on first use (a concurrent creation loses on the
    /// unique index and reads the winner's).
    func defaultAssistant(tenant: UUID) async throws -> Assistant {
        if let existing = try await findDefault(tenant: tenant) { return existing }
        let now = Date()
        let assistant = Assistant(
            id: UUID(), tenantID: tenant, name: "Default assistant",
            instructions: "Answer from the provided sources and cite them; say so when they do not contain the answer.",
            model: defaults.defaultModel, temperature: nil, maxTokens: nil, collectionIDs: [], strategy: .auto, topK: defaults.defaultTopK,
            filters: SearchFilters(), isDefault: true, createdAt: now, updatedAt: now
        )
        try await insert(assistant, onConflictDoNothing: true)
        guard let stored = try await findDefault(tenant: tenant) else { throw ChatError.notFound }
        return stored
    }

    private func findDefault(tenant: UUID) async throws -> Assistant? {
        let rows = try await client.query(
            "SELECT \(unescaped: Self.columns) FROM assistants WHERE tenant_id = \(tenant) AND is_default",
            logger: logger
        )
        return try await rows.collect().first.map(Self.decode)
    }

    func insert(_ assistant: Assistant, onConflictDoNothing: Bool = false) async throws {
        let filters = String(decoding: try JSONEncoder().encode(assistant.filters), as: UTF8.self)
        let tools = try Self.encoded(assistant.tools)
        let conflict = onConflictDoNothing ? " ON CONFLICT DO NOTHING" : ""
        try await client.query("""
            INSERT INTO assistants (id, tenant_id, name, instructions, model, temperature, max_tokens, collection_ids, strategy, top_k,
                                    filters, is_default, created_at, updated_at, tools)
            VALUES (\(assistant.id), \(assistant.tenantID), \(assistant.name), \(assistant.instructions), \(assistant.model),
                    \(assistant.temperature), \(assistant.maxTokens), \(assistant.collectionIDs), \(assistant.strategy.rawValue),
                    \(assistant.topK), \(filters)::jsonb, \(assistant.isDefault), \(assistant.createdAt), \(assistant.updatedAt), \(tools)::jsonb)\(unescaped: conflict)
            """, logger: logger)
    }

    func update(_ assistant: Assistant) async throws {
        let filters = String(decoding: try JSONEncoder().encode(assistant.filters), as: UTF8.self)
        let tools = try Self.encoded(assistant.tools)
        try await client.query("""
            UPDATE assistants SET name = \(assistant.name), instructions = \(assistant.instructions), model = \(assistant.model),
                temperature = \(assistant.temperature), max_tokens = \(assistant.maxTokens), collection_ids = \(assistant.collectionIDs),
                strategy = \(assistant.strategy.rawValue), top_k = \(assistant.topK), filters = \(filters)::jsonb, tools = \(tools)::jsonb, updated_at = now()
            WHERE id = \(assistant.id) AND tenant_id = \(assistant.tenantID)
            """, logger: logger)
    }

    /// Deletes a non-default assistant; false when there is none to delete.
    func delete(_ id: UUID, tenant: UUID) async throws -> Bool {
        let rows = try await client.query(
            "DELETE FROM assistants WHERE id = \(id) AND tenant_id = \(tenant) AND NOT is_default RETURNING id", logger: logger
        )
        return try await rows.collect().count == 1
    }

    static func decode(_ row: PostgresRow) throws -> Assistant {
        let (id, tenant, name, instructions, model, temperature, maxTokens, collections, strategy, topK, filters, isDefault, created, updated, tools) =
            try row.decode((UUID, UUID, String, String, String, Double?, Int?, [String], String, Int, String, Bool, Date, Date, String).self)
        return Assistant(
            id: id, tenantID: tenant, name: name, instructions: instructions, model: model, temperature: temperature, maxTokens: maxTokens,
            collectionIDs: collections, strategy: RetrievalStrategy(rawValue: strategy) ?? .auto, topK: topK,
            filters: (try? JSONDecoder().decode(SearchFilters.self, from: Data(filters.utf8))) ?? SearchFilters(), isDefault: isDefault,
            createdAt: created, updatedAt: updated, tools: (try? JSONDecoder().decode([AssistantTool].self, from: Data(tools.utf8))) ?? []
        )
    }

    private static func encoded(_ tools: [AssistantTool]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(tools), as: UTF8.self)
    }
}
