import CairnAuthKit
import Foundation
import Hummingbird

/// `/v1/assistants`: members read and use them, tenant admins manage them.
extension ChatOrchestratorAPI {
    struct AssistantList: Encodable, Sendable {
        var assistants: [Assistant]
    }

    func addAssistantRoutes(to group: RouterGroup<ChatRequestContext>) {
        group.get("/v1/assistants") { request, context -> Response in
            let (_, tenant) = try caller(request, context, "assistants:read")
            return try Self.json(.ok, AssistantList(assistants: try await assistants.list(tenant: tenant)))
        }
        group.post("/v1/assistants") { request, context -> Response in
            let (_, tenant) = try caller(request, context, "assistants:write")
            let input = try await Self.body(AssistantInput.self, request, context)
            try input.validate()
            guard input.name != nil else { throw ChatError.invalid("name is required") }
            let now = Date()
            let blank = Assistant(
                id: UUID(), tenantID: tenant, name: "", instructions: "", model: settings.defaultModel, temperature: nil, maxTokens: nil,
                collectionIDs: [], strategy: .auto, topK: settings.defaultTopK, filters: SearchFilters(), isDefault: false, createdAt: now, updatedAt: now
            )
            let assistant = input.applied(to: blank)
            try await assistants.insert(assistant)
            return try Self.json(.created, assistant)
        }
        group.get("/v1/assistants/{id}") { request, context -> Response in
            let (_, tenant) = try caller(request, context, "assistants:read")
            return try Self.json(.ok, try await assistant(Self.pathID(context), tenant: tenant))
        }
        group.patch("/v1/assistants/{id}") { request, context -> Response in
            let (_, tenant) = try caller(request, context, "assistants:write")
            let current = try await assistant(Self.pathID(context), tenant: tenant)
            let input = try await Self.body(AssistantInput.self, request, context)
            try input.validate()
            let updated = input.applied(to: current)
            try await assistants.update(updated)
            return try Self.json(.ok, try await assistant(updated.id, tenant: tenant))
        }
        group.delete("/v1/assistants/{id}") { request, context -> Response in
            let (_, tenant) = try caller(request, context, "assistants:write")
            let id = try Self.pathID(context)
            if try await assistant(id, tenant: tenant).isDefault { throw ChatError.defaultAssistant }
            guard try await assistants.delete(id, tenant: tenant) else { throw ChatError.notFound }
            return Response(status: .noContent)
        }
    }

    /// The tenant's assistant `id`, or 404.
    func assistant(_ id: UUID, tenant: UUID) async throws -> Assistant {
        guard let assistant = try await assistants.get(id, tenant: tenant) else { throw ChatError.notFound }
        return assistant
    }
}
