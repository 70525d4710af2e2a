import CairnAuthKit
import CairnKafka
import CairnProtos
import Foundation
import Hummingbird
import Logging
import Metrics
import ServiceKit

/// embedding's HTTP API (README "Embedding"): the OpenAI-compatible `POST /v1/embeddings` and
/// the model metadata. Every route needs a verified token; embedding needs `embeddings:create`.
struct EmbeddingsAPI: Sendable {
    static let permission: Permission = "embeddings:create"

    let directory: EmbedderDirectory
    let limits: EmbeddingLimits
    /// Sends the calls' usage events in the background.
    let usage: BufferedRecordSender
    let usageTopic: String
    let verifier: TokenVerifier

    func addRoutes(to router: Router<IdentityRequestContext>) {
        let group = router.group().add(middleware: AuthenticationMiddleware<IdentityRequestContext>(verifier: verifier))
        group.post("/v1/embeddings") { request, context in
            try await embed(request, context: context)
        }
        group.get("/v1/embeddings/models") { _, context -> ModelList in
            _ = try context.requireIdentity()
            return ModelList(data: directory.all.map { ModelObject($0.info) })
        }
        // `**`: model names may contain a slash (sentence-transformers/all-MiniLM-L6-v2).
        group.get("/v1/embeddings/models/**") { _, context -> ModelObject in
            _ = try context.requireIdentity()
            let name = context.parameters.getCatchAll().joined(separator: "/")
            return ModelObject(try directory.embedder(model: name).info)
        }
    }

    private func embed(_ request: Request, context: IdentityRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let tenant = try actingTenant(request, identity)
        let body = try EmbeddingRequest.parse(Data(buffer: try await request.body.collect(upTo: context.maxUploadSize)))
        let embedder = try directory.embedder(model: body.model)
        try body.validate(limits: limits, model: embedder.info)
        let embeddings = try await embedder.embed(body.input, priority: .interactive)
        recordUsage(embeddings, model: embedder.info, identity: identity, tenant: tenant, requestID: context.requestID)
        return EmbeddingResponse.response(embeddings, model: embedder.info.id, format: body.encodingFormat)
    }

    /// The tenant the call is billed to: the caller's own, or for services and system admins
    /// the one named by `?tenant_id=` (required for them). Another tenant's id answers 404.
    private func actingTenant(_ request: Request, _ identity: Identity) throws -> UUID {
        var named: UUID?
        if let raw = request.uri.queryParameters["tenant_id"] {
            guard let id = UUID(uuidString: String(raw)) else { throw EmbeddingError.invalid("tenant_id must be a UUID") }
            named = id
        }
        if let named, !identity.role.spansTenants, named != identity.tenantID { throw AuthorizationError.notFound }
        return try authorize(identity, Self.permission, resourceTenant: named)
    }

    /// One `EMBEDDING_TOKENS` event per call, billed to the tenant and the caller, with a fresh
    /// usage id (the caller's request id is theirs to choose, so it cannot be the key).
    private func recordUsage(_ embeddings: Embeddings, model: EmbeddingModelInfo, identity: Identity, tenant: UUID, requestID: String) {
        let tokens = embeddings.totalTokens
        guard tokens > 0 else { return }
        let subject: Cairn_V1_SubjectType = switch identity.kind {
        case .user: .user
        case .apiKey: .apiKey
        case .service: .service
        }
        let event = EmbeddingUsage.event(
            tenantID: tenant.uuidString.lowercased(), usageID: "embedding-api:\(UUID().uuidString.lowercased())",
            subject: (subject, identity.subject), tokens: tokens, model: model.id, correlationID: requestID,
            attributes: ["source": "api", "inputs": "\(embeddings.vectors.count)", "provider": model.provider]
        )
        usage.enqueue([EmbeddingUsage.record(event, topic: usageTopic)])
    }
}
