import CairnAuthKit
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit

/// ingestion's request state: the kit's and the caller's verified identity.
public typealias IngestionRequestContext = IdentityRequestContext

/// Everything ingestion's routes use, built once by ``IngestionService``.
struct IngestionAPI: Sendable {
    let config: IngestionConfig
    let collections: CollectionStore
    let documents: DocumentStore
    let verifier: TokenVerifier
    let logger: Logger

    func addRoutes(to router: Router<IngestionRequestContext>) {
        let authenticated = router.group().add(middleware: AuthenticationMiddleware<IngestionRequestContext>(verifier: verifier))
        addUploadRoute(to: authenticated)
        // Every other route takes the API's usual body limit (the kit's is raised to let uploads
        // through; the upload route bounds its body by the upload limit).
        let api = authenticated.group().add(middleware: BodyLimitMiddleware<IngestionRequestContext>(limit: config.apiBodyLimit))
        addCollectionRoutes(to: api)
        addDocumentRoutes(to: api)
    }

    /// The tenant a request acts on: the caller's own; system admins and services name it with
    /// `?tenant_id=`. Naming another tenant is a 404, before permissions are looked at.
    func tenant(_ request: Request, _ context: IngestionRequestContext, _ permission: Permission) throws -> (Identity, UUID) {
        let identity = try context.requireIdentity()
        let named = try request.uri.queryParameters["tenant_id"].map { raw throws(IngestionError) -> UUID in
            guard let id = UUID(uuidString: String(raw)) else { throw .invalid("tenant_id must be a UUID") }
            return id
        }
        if let named, !identity.role.spansTenants, named != identity.tenantID { throw IngestionError.notFound }
        return (identity, try authorize(identity, permission, resourceTenant: named))
    }

    /// A path id; a malformed one is a 404 like an unknown one.
    static func pathID(_ context: IngestionRequestContext, _ name: String) throws(IngestionError) -> UUID {
        guard let raw = context.parameters.get(name), let id = UUID(uuidString: raw) else { throw .notFound }
        return id
    }
}
