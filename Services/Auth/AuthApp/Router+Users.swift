import CairnPostgres
import CairnAuthKit
import Foundation
import Hummingbird

/// Tenant admins manage the users of their tenant: list, invite, change role, disable, unlock.
extension AuthAPI {
    struct UserList: ResponseEncodable {
        var users: [UserView]
    }

    struct InviteRequest: Decodable {
        var email: String
        var role: Role?
    }

    struct InvitationResponse: ResponseEncodable {
        var id: UUID
        var email: String
        var role: Role
        /// Shown once: send it to the invitee, who registers with it.
        var invitationToken: String
        var expiresAt: Date

        enum CodingKeys: String, CodingKey {
            case id, email, role
            case invitationToken = "invitation_token"
            case expiresAt = "expires_at"
        }
    }

    struct UserUpdate: Decodable {
        var role: Role?
        var status: UserStatus?
    }

    func addUserRoutes(to group: RouterGroup<AuthRequestContext>) {
        group.get("/v1/users") { request, context in
            let (_, tenant) = try await actingTenant(request, context: context, "users:read")
            return UserList(users: try await accounts.users(tenantID: tenant).map(UserView.init))
        }
        group.post("/v1/users/invitations") { request, context in
            let (identity, tenant) = try await actingTenant(request, context: context, "users:manage")
            let body = try await request.decode(as: InviteRequest.self, context: context)
            guard let email = AccountInput.email(body.email) else { throw AuthError.invalid("email is not a valid address") }
            let role = body.role ?? .member
            try Self.checkAssignable(role, by: identity)
            let origin = request.origin(context: context)
            let invitation = try await client.transaction(logger: logger) { connection in
                let invitation = try await accounts.createInvitation(
                    tenantID: tenant, email: email, role: role, invitedBy: UUID(uuidString: identity.subject) ?? platformTenantID,
                    lifetime: Self.invitationLifetime, on: connection
                )
                let actor = Self.actor(identity)
                try await audit.record(
                    AuditEntry(tenantID: tenant, actorType: actor.type, actorID: actor.id, action: "user.invite", targetType: "invitation",
                               targetID: invitation.id.lowercased, details: ["email": email, "role": role.rawValue]),
                    origin: origin, on: connection
                )
                return invitation
            }
            return EditedResponse(status: .created, response: InvitationResponse(
                id: invitation.id, email: email, role: role, invitationToken: invitation.token, expiresAt: invitation.expiresAt
            ))
        }
        group.patch("/v1/users/:id") { request, context in
            let (identity, tenant) = try await actingTenant(request, context: context, "users:manage")
            let id = try UUID(parameter: context.parameters.get("id"))
            let body = try await request.decode(as: UserUpdate.self, context: context)
            guard body.role != nil || body.status != nil else { throw AuthError.invalid("give role and/or status") }
            // Locks come from failed logins and end by time or unlock; they are not set by hand.
            guard body.status != .locked else { throw AuthError.invalid("status must be active or disabled") }
            if let role = body.role { try Self.checkAssignable(role, by: identity) }
            if id.lowercased == identity.subject { throw AuthError.invalid("you cannot change your own role or status") }
            return try await update(id, tenant: tenant, role: body.role, status: body.status, by: identity, origin: request.origin(context: context))
        }
        group.post("/v1/users/:id/unlock") { request, context in
            let (identity, tenant) = try await actingTenant(request, context: context, "users:manage")
            let id = try UUID(parameter: context.parameters.get("id"))
            guard let user = try await accounts.user(id: id, tenantID: tenant) else { throw AuthError.notFound }
            // Unlocking lifts a lockout; it does not re-enable a disabled account (PATCH does).
            guard user.status != .disabled else { throw AuthError.conflict("the user is disabled, not locked") }
            return try await update(id, tenant: tenant, role: nil, status: .active, by: identity, origin: request.origin(context: context))
        }
    }

    private func update(_ id: UUID, tenant: UUID, role: Role?, status: UserStatus?, by identity: Identity, origin: RequestOrigin) async throws -> UserView {
        try await client.transaction(logger: logger) { connection in
            guard let before = try await accounts.user(id: id, tenantID: tenant) else { throw AuthError.notFound }
            // Nobody changes an account that outranks them (a tenant admin and a system admin).
            if before.role > identity.role, identity.role != .service { throw AuthorizationError.forbidden("admin:*") }
            guard let user = try await accounts.update(userID: id, tenantID: tenant, role: role, status: status, on: connection) else {
                throw AuthError.notFound
            }
            let actor = Self.actor(identity)
            if let role, role != before.role {
                try await audit.record(
                    AuditEntry(tenantID: tenant, actorType: actor.type, actorID: actor.id, action: "user.role_change", targetType: "user",
                               targetID: id.lowercased, details: ["from": before.role.rawValue, "to": role.rawValue]),
                    origin: origin, on: connection
                )
            }
            if let status, status != before.status {
                try await audit.record(
                    AuditEntry(tenantID: tenant, actorType: actor.type, actorID: actor.id, action: "user.status_change", targetType: "user",
                               targetID: id.lowercased, details: ["from": before.status.rawValue, "to": status.rawValue]),
                    origin: origin, on: connection
                )
            }
            if status == .disabled { _ = try await refreshTokens.revokeAll(userID: id, on: connection) }
            return UserView(user)
        }
    }

    /// Nobody grants more than they hold: tenant admins assign member or tenant_admin; only a
    /// system admin makes system admins; `service` is never a user role.
    static func checkAssignable(_ role: Role, by identity: Identity) throws {
        guard role != .service, role <= identity.role || identity.role == .service, role != .systemAdmin || identity.role == .systemAdmin else {
            throw AuthorizationError.forbidden("admin:*")
        }
        // A scoped credential (an API key with users:manage, say) grants only what it holds.
        if identity.role != .service, let missing = role.permissions.first(where: { !identity.has($0) }) {
            throw AuthorizationError.forbidden(missing)
        }
    }
}
