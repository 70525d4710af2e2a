import CairnTesting
import Foundation
import PostgresNIO
import Testing

/// Nobody gets more than they hold: scoped keys cannot mint wider keys or admins, tenant admins
/// cannot touch accounts that outrank them, suspended tenants lose their sessions.
@Suite struct EscalationTests {
    /// An API key of `admin` limited to `scopes`, and the access token the gateway would get for it.
    static func scopedKeyToken(_ auth: AuthHarness, admin: Session, scopes: [String]) async throws -> String {
        let created = try await auth.post("/v1/api-keys", ["name": "narrow", "scopes": scopes], token: admin.accessToken)
        try #require(created.status == .created, "\(created.text)")
        let key = try #require(created.string("key"))
        let introspection = try await auth.post("/v1/api-keys/introspect", ["key": key], token: try await auth.serviceToken())
        return try #require(introspection.string("access_token"), "\(introspection.text)")
    }

    @Test func aScopedKeyCannotMintAWiderKey() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            let narrow = try await Self.scopedKeyToken(auth, admin: admin, scopes: ["api_keys:manage"])
            let defaulted = try await auth.post("/v1/api-keys", ["name": "wider"], token: narrow)
            #expect(defaulted.status == .badRequest, "\(defaulted.text)")
            let explicit = try await auth.post("/v1/api-keys", ["name": "wider", "scopes": ["documents:write"]], token: narrow)
            #expect(explicit.status == .forbidden)
        }
    }

    @Test func aScopedKeyCannotInviteAnAdmin() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            let narrow = try await Self.scopedKeyToken(auth, admin: admin, scopes: ["users:manage"])
            let invite = try await auth.post("/v1/users/invitations", ["email": "new-admin@example.com", "role": "tenant_admin"], token: narrow)
            #expect(invite.status == .forbidden, "\(invite.text)")
        }
    }

    @Test func aTenantAdminCannotChangeASystemAdmin() async throws {
        let environment = ["CAIRN_AUTH_BOOTSTRAP_ADMIN_EMAIL": "root@example.com", "CAIRN_AUTH_BOOTSTRAP_ADMIN_PASSWORD": "bootstrap-Secret-77"]
        try await AuthHarness.run(overrides: environment) { auth in
            let login = try await auth.login(tenant: "cairn-platform", email: "root@example.com", password: "bootstrap-Secret-77")
            var root = try auth.session(from: login, email: "root@example.com", password: "bootstrap-Secret-77")
            root.tenantSlug = "cairn-platform"
            // A system admin names the tenant, even its own.
            let email = "deputy-\(TestInfra.uniqueSuffix())@example.com"
            let invitation = try await auth.post(
                "/v1/users/invitations?tenant_id=\(root.tenantID)", ["email": email, "role": "tenant_admin"], token: root.accessToken
            )
            try #require(invitation.status == .created, "\(invitation.text)")
            let joined = try await auth.post("/v1/auth/register", [
                "invitation_token": try #require(invitation.string("invitation_token")), "password": AuthHarness.password,
            ])
            let deputy = try auth.session(from: joined, email: email, password: AuthHarness.password)
            for change in [["role": "member"], ["status": "disabled"]] {
                let reply = try await auth.call(.patch, "/v1/users/\(root.userID)", json: change, token: deputy.accessToken)
                #expect(reply.status == .forbidden, "\(reply.text)")
            }
            #expect(try await auth.get("/v1/auth/me", token: root.accessToken).string("user", "role") == "system_admin")
        }
    }

    @Test func aSuspendedTenantCannotRefresh() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            let tenant = UUID(uuidString: admin.tenantID)!
            try await auth.withDatabase { client in
                try await client.query("UPDATE tenants SET status = 'suspended' WHERE id = \(tenant)")
            }
            #expect(try await auth.post("/v1/auth/refresh", ["refresh_token": admin.refreshToken]).status == .unauthorized)
            #expect(try await auth.login(tenant: admin.tenantSlug, email: admin.email, password: admin.password).status == .unauthorized)
        }
    }
}
