import Foundation
import ServiceKit

/// Why a request may not go ahead. Each maps to the client error of ARCHITECTURE.md.
public enum AuthorizationError: Error, Sendable, Equatable, APIErrorConvertible {
    /// The identity lacks the permission (403).
    case forbidden(Permission)
    /// The object belongs to another tenant: answered exactly like a missing object (404).
    case notFound
    /// A system admin or service acted without naming the tenant (400).
    case tenantRequired

    public var apiError: APIError {
        switch self {
        case .forbidden(let permission):
            APIError(.forbidden, code: "FORBIDDEN", message: "missing permission \(permission)", details: ["permission": "\(permission)"])
        case .notFound:
            .notFound()
        case .tenantRequired:
            .badRequest("name the tenant to act on (tenant_id)")
        }
    }
}

/// The one authorisation check every service uses: may `identity` do `permission` on
/// something of `resourceTenant`? Returns the tenant to act on.
///
/// - Tenant members and admins act on their own tenant only; another tenant's objects are
///   reported as not found, so their existence does not leak.
/// - System admins and services span tenants and must name one explicitly (`resourceTenant`
///   non-nil), so that no query runs unscoped by accident.
@discardableResult
public func authorize(_ identity: Identity, _ permission: Permission, resourceTenant: UUID?) throws(AuthorizationError) -> UUID {
    guard identity.has(permission) else { throw .forbidden(permission) }
    if identity.role.spansTenants {
        guard let resourceTenant else { throw .tenantRequired }
        return resourceTenant
    }
    guard let own = identity.tenantID else { throw .forbidden(permission) }
    if let resourceTenant, resourceTenant != own { throw .notFound }
    return own
}

/// A platform-wide action (no tenant), such as rotating signing keys.
public func authorizePlatform(_ identity: Identity, _ permission: Permission) throws(AuthorizationError) {
    guard identity.has(permission), identity.role.spansTenants else { throw .forbidden(permission) }
}
