import Foundation
import ServiceKit

/// The tenant a request acts on: the caller's own; system admins and services name it with
/// `?tenant_id=` (`named`, the raw query value). A person naming another tenant gets a 404
/// before permissions are looked at, so another tenant's objects never show they exist.
public func actingTenant(_ identity: Identity, _ permission: Permission, named raw: String?) throws -> UUID {
    var named: UUID?
    if let raw {
        guard let id = UUID(uuidString: raw) else { throw APIError.badRequest("tenant_id must be a UUID") }
        named = id
    }
    if let named, !identity.role.spansTenants, named != identity.tenantID { throw AuthorizationError.notFound }
    return try authorize(identity, permission, resourceTenant: named)
}
