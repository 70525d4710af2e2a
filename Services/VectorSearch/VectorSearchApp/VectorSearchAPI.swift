import CairnAuthKit
import Foundation
import Hummingbird
import Logging

/// vector-search's request state: the kit's, plus the caller's verified identity.
public typealias VectorSearchRequestContext = IdentityRequestContext

/// Everything the routes use, built once by ``VectorSearchService``.
struct VectorSearchAPI: Sendable {
    let config: VectorSearchConfig
    let registry: IndexRegistry
    let store: ChunkStore
    let engine: SearchEngine
    let verifier: TokenVerifier
    let logger: Logger

    func addRoutes(to router: Router<VectorSearchRequestContext>) {
        let authenticated = router.group().add(middleware: AuthenticationMiddleware<VectorSearchRequestContext>(verifier: verifier))
        addSearchRoutes(to: authenticated)
        addCollectionRoutes(to: authenticated)
    }

    /// The tenant a request acts on: the caller's own, or for services and system admins the one
    /// named by `?tenant_id=` (required for them). Never from the body.
    func actingTenant(_ request: Request, context: VectorSearchRequestContext, _ permission: Permission) throws -> UUID {
        let identity = try context.requireIdentity()
        var named: UUID?
        if let raw = request.uri.queryParameters["tenant_id"] {
            guard let id = UUID(uuidString: String(raw)) else { throw VectorSearchError.invalid("tenant_id must be a UUID") }
            named = id
        }
        // Another tenant's anything is a 404 before permissions are looked at.
        if let named, !identity.role.spansTenants, named != identity.tenantID { throw VectorSearchError.notFound }
        return try authorize(identity, permission, resourceTenant: named)
    }
}
