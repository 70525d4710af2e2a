import CairnAuthKit
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceKit

/// chat-orchestrator's request state: the kit's and the caller's verified identity.
public typealias ChatRequestContext = IdentityRequestContext

/// Everything the routes use, built once by ``ChatOrchestratorService``.
struct ChatOrchestratorAPI: Sendable {
    let assistants: AssistantStore
    let conversations: ConversationStore
    let exchanges: ExchangeStore
    let feedback: FeedbackStore
    let pipeline: ChatPipeline
    let settings: PipelineSettings
    let verifier: TokenVerifier
    let logger: Logger

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    func addRoutes(to router: Router<ChatRequestContext>) {
        let group = router.group().add(middleware: AuthenticationMiddleware<ChatRequestContext>(verifier: verifier))
        addAssistantRoutes(to: group)
        addConversationRoutes(to: group)
        addMessageRoutes(to: group)
        addFeedbackRoutes(to: group)
        addAuditRoutes(to: group)
    }

    /// The caller and the tenant the request acts on (see ``actingTenant(_:_:named:)``).
    func caller(_ request: Request, _ context: ChatRequestContext, _ permission: Permission) throws -> (Identity, UUID) {
        let identity = try context.requireIdentity()
        let tenant = try actingTenant(identity, permission, named: request.uri.queryParameters["tenant_id"].map(String.init))
        return (identity, tenant)
    }

    /// A path id; a malformed one is a 404 like an unknown one.
    static func pathID(_ context: ChatRequestContext, _ name: String = "id") throws(ChatError) -> UUID {
        guard let raw = context.parameters.get(name), let id = UUID(uuidString: raw) else { throw .notFound }
        return id
    }

    /// A bounded JSON body.
    static func body<T: Decodable>(_ type: T.Type, _ request: Request, _ context: ChatRequestContext) async throws -> T {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        try JSONRequestDecoder.refuseNUL(buffer)
        do {
            return try decoder.decode(T.self, from: Data(buffer: buffer))
        } catch let error as ChatError {
            throw error
        } catch DecodingError.keyNotFound(let key, _) {
            throw ChatError.invalid("\(key.stringValue) is required")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            throw ChatError.invalid("\(context.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type")
        } catch DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty {
            throw ChatError.invalid("\(context.codingPath.map(\.stringValue).joined(separator: ".")) is invalid")
        } catch {
            throw ChatError.invalid("the body is not valid JSON")
        }
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// A JSON answer (ISO 8601 dates, sorted keys).
    static func json(_ status: HTTPResponse.Status, _ value: some Encodable) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
