import CairnPostgres
import CairnAuthKit
import Foundation
import Hummingbird

/// API keys for programs, and their introspection by the gateway.
extension AuthAPI {
    struct CreateKeyRequest: Decodable {
        var name: String
        /// Permissions the key may use; at most the creator's. Default: a member's.
        var scopes: [String]?
        var expiresInDays: Int?

        enum CodingKeys: String, CodingKey {
            case name, scopes
            case expiresInDays = "expires_in_days"
        }
    }

    struct CreatedKey: ResponseEncodable {
        /// Shown once; only its hash is kept.
        var key: String
        var apiKey: APIKeyView

        enum CodingKeys: String, CodingKey {
            case key
            case apiKey = "api_key"
        }
    }

    struct KeyList: ResponseEncodable {
        var apiKeys: [APIKeyView]

        enum CodingKeys: String, CodingKey {
            case apiKeys = "api_keys"
        }
    }

    struct IntrospectRequest: Decodable {
        var key: String
    }

    static let maximumKeyLifetimeDays = 3_650

    func addAPIKeyRoutes(to group: RouterGroup<AuthRequestContext>) {
        group.post("/v1/api-keys") { request, context in
            let (identity, tenant) = try await actingTenant(request, context: context, "api_keys:manage")
            let body = try await request.decode(as: CreateKeyRequest.self, context: context)
            let name = try AccountInput.name(body.name, field: "name")
            let role: Role = identity.role == .member ? .member : .tenantAdmin
            // By default a member's permissions, as far as the creator holds them: a key never
            // gets what its creator (possibly itself a narrowly scoped key) lacks.
            var scopes = Role.member.permissions.filter { identity.has($0) || identity.role.spansTenants }
            if let requested = body.scopes {
                guard requested.count <= 64 else { throw AuthError.invalid("at most 64 scopes") }
                scopes = []
                for text in requested {
                    guard let permission = Permission(text) else { throw AuthError.invalid("scope \(text.prefix(40)) is not resource:action") }
                    guard identity.has(permission) || (identity.role.spansTenants && role.permissions.grants(permission)) else {
                        throw AuthorizationError.forbidden(permission)
                    }
                    scopes.insert(permission)
                }
            }
            guard !scopes.isEmpty else { throw AuthError.invalid("the key would have no permissions") }
            var expiresAt: Date?
            if let days = body.expiresInDays {
                guard (1...Self.maximumKeyLifetimeDays).contains(days) else {
                    throw AuthError.invalid("expires_in_days must be 1...\(Self.maximumKeyLifetimeDays)")
                }
                expiresAt = Date().addingTimeInterval(TimeInterval(days) * 86_400)
            }
            let origin = request.origin(context: context)
            let created = try await client.transaction(logger: logger) { connection in
                let created = try await apiKeys.create(
                    tenantID: tenant, name: name, role: role, scopes: scopes, createdBy: UUID(uuidString: identity.subject) ?? platformTenantID,
                    expiresAt: expiresAt, on: connection
                )
                let actor = Self.actor(identity)
                try await audit.record(
                    AuditEntry(tenantID: tenant, actorType: actor.type, actorID: actor.id, action: "api_key.create", targetType: "api_key",
                               targetID: created.view.id.lowercased, details: ["prefix": created.view.prefix, "scopes": scopes.scopeString]),
                    origin: origin, on: connection
                )
                return created
            }
            return EditedResponse(status: .created, response: CreatedKey(key: created.key, apiKey: created.view))
        }
        group.get("/v1/api-keys") { request, context in
            let (_, tenant) = try await actingTenant(request, context: context, "api_keys:read")
            return KeyList(apiKeys: try await apiKeys.list(tenantID: tenant))
        }
        group.delete("/v1/api-keys/:id") { request, context in
            let (identity, tenant) = try await actingTenant(request, context: context, "api_keys:manage")
            let id = try UUID(parameter: context.parameters.get("id"))
            let origin = request.origin(context: context)
            try await client.transaction(logger: logger) { connection in
                guard try await apiKeys.revoke(id: id, tenantID: tenant, on: connection) else { throw AuthError.notFound }
                let actor = Self.actor(identity)
                try await audit.record(
                    AuditEntry(tenantID: tenant, actorType: actor.type, actorID: actor.id, action: "api_key.delete", targetType: "api_key",
                               targetID: id.lowercased),
                    origin: origin, on: connection
                )
            }
            return HTTPResponse.Status.noContent
        }
        group.post("/v1/api-keys/introspect") { request, context in
            let identity = try context.requireIdentity()
            try authorizePlatform(identity, "api_keys:introspect")
            let body = try await request.decode(as: IntrospectRequest.self, context: context)
            guard let keyIdentity = try await apiKeys.identity(forKey: body.key) else { return KeyIntrospection(active: false) }
            let token = try await issuer.accessToken(for: keyIdentity, lifetime: config.serviceTokenLifetime)
            return KeyIntrospection(active: true, identity: keyIdentity, accessToken: token.token, expiresIn: token.expiresIn)
        }
    }
}
