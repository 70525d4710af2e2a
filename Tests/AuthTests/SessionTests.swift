import CairnTesting
import Foundation
import Testing

/// Registration, login, refresh rotation and reuse, logout, `me`.
@Suite struct SessionTests {
    @Test func registerLoginAndMe() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register(organisation: "Acme Research")
            #expect(admin.tenantSlug.hasPrefix("acme-research"))
            let login = try await auth.login(tenant: admin.tenantSlug, email: admin.email.uppercased(), password: AuthHarness.password)
            #expect(login.status == .ok, "\(login.text)")
            let token = try #require(login.string("tokens", "access_token"))
            let me = try await auth.get("/v1/auth/me", token: token)
            #expect(me.status == .ok)
            #expect(me.string("user", "email") == admin.email)
            #expect(me.string("identity", "role") == "tenant_admin")
            #expect(me.string("tenant", "id") == admin.tenantID)
            #expect((me["permissions"] as? [String])?.contains("users:manage") == true)
        }
    }

    @Test func refreshRotatesAndReuseRevokesTheFamily() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            let first = try await auth.post("/v1/auth/refresh", ["refresh_token": admin.refreshToken])
            #expect(first.status == .ok, "\(first.text)")
            let second = try #require(first.string("refresh_token"))
            #expect(second != admin.refreshToken)
            // The rotated token comes back: the family is revoked, including the newest token.
            let reuse = try await auth.post("/v1/auth/refresh", ["refresh_token": admin.refreshToken])
            #expect(reuse.status == .unauthorized)
            let afterRevocation = try await auth.post("/v1/auth/refresh", ["refresh_token": second])
            #expect(afterRevocation.status == .unauthorized)
            // A fresh login starts a new family that works.
            let login = try await auth.login(tenant: admin.tenantSlug, email: admin.email, password: admin.password)
            let third = try await auth.post("/v1/auth/refresh", ["refresh_token": try #require(login.string("tokens", "refresh_token"))])
            #expect(third.status == .ok)
            // The revocation is audited.
            let audit = try await auth.get("/v1/audit?action=auth.token_family_revoked", token: try #require(third.string("access_token")))
            #expect(audit.status == .ok, "\(audit.text)")
            #expect(audit.array("events")?.count == 1)
        }
    }
}
