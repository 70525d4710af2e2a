import CairnTesting
import Foundation
import PostgresNIO
import Testing

/// Tenant admins managing their users: invitations, roles, disabling, unlocking.
@Suite struct UserAdminTests {
    static func user(_ list: Reply, _ id: String) -> [String: Any]? {
        list.array("users")?.first { ($0["id"] as? String)?.lowercased() == id.lowercased() }
    }

    static func events(_ auth: AuthHarness, _ action: String, token: String) async throws -> [[String: Any]] {
        let reply = try await auth.get("/v1/audit?action=\(action)", token: token)
        try #require(reply.status == .ok, "\(reply.text)")
        return reply.array("events") ?? []
    }

    @Test func invitedUsersJoinTheAdminsTenantWithTheInvitedRole() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            let other = try await auth.register()
            let email = "Co-Admin-\(TestInfra.uniqueSuffix())@Example.com"
            let invitation = try await auth.post("/v1/users/invitations", ["email": email, "role": "tenant_admin"], token: admin.accessToken)
            #expect(invitation.status == .created, "\(invitation.text)")
            #expect(invitation.string("email") == email.lowercased())
            #expect(invitation.string("role") == "tenant_admin")
            let token = try #require(invitation.string("invitation_token"))
            #expect(token.hasPrefix("inv_"))

            let joined = try await auth.post("/v1/auth/register", ["invitation_token": token, "password": AuthHarness.password,
                                                                   "display_name": "Co Admin"])
            #expect(joined.status == .created, "\(joined.text)")
            #expect(joined.string("user", "role") == "tenant_admin")
            #expect(joined.string("user", "tenant_id") == admin.tenantID)
            #expect(joined.string("tenant", "id") == admin.tenantID)
            #expect(joined.string("user", "email") == email.lowercased())
            #expect(joined.string("user", "display_name") == "Co Admin")
            let joinedToken = try #require(joined.string("tokens", "access_token"))
            let joinedID = try #require(joined.string("user", "id"))
            let me = try await auth.get("/v1/auth/me", token: joinedToken)
            #expect(me.string("identity", "role") == "tenant_admin")
            #expect(me.string("tenant", "id") == admin.tenantID)

            // Single use, even with another password; other invitations are unaffected.
            let again = try await auth.post("/v1/auth/register", ["invitation_token": token, "password": "different-Secret-88"])
            #expect(again.status == .unauthorized, "\(again.text)")
            #expect(again.errorCode == "INVALID_TOKEN")
            let forged = try await auth.post("/v1/auth/register", ["invitation_token": "inv_forged", "password": AuthHarness.password])
            #expect(forged.status == .unauthorized)

            let member = try await auth.invite(by: admin)
            let memberMe = try await auth.get("/v1/auth/me", token: member.accessToken)
            #expect(memberMe.string("identity", "role") == "member")
            #expect(memberMe.string("tenant", "id") == admin.tenantID)
            // The joined user signs in with the admin's tenant.
            let login = try await auth.login(tenant: admin.tenantSlug, email: email, password: AuthHarness.password)
            #expect(login.status == .ok, "\(login.text)")

            let list = try await auth.get("/v1/users", token: admin.accessToken)
            #expect(list.status == .ok)
            #expect(Set(list.array("users")?.compactMap { ($0["id"] as? String)?.lowercased() } ?? [])
                == Set([admin.userID, member.userID, joinedID].map { $0.lowercased() }))
            #expect(!list.text.contains("password") && !list.text.contains("$2"), "the list leaks hashes: \(list.text)")
            #expect(!list.text.contains(other.email))

            // Audited: the invitations and the joins.
            #expect(try await Self.events(auth, "user.invite", token: admin.accessToken).count == 2)
            let joins = try await Self.events(auth, "user.join", token: admin.accessToken)
            #expect(Set(joins.compactMap { $0["target_id"] as? String })
                == Set([member.userID, joinedID].map { $0.lowercased() }))
        }
    }

    @Test func invitationsCannotGrantMoreThanTheInviterHolds() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            for role in ["system_admin", "service"] {
                let reply = try await auth.post("/v1/users/invitations", ["email": "x-\(TestInfra.uniqueSuffix())@example.com", "role": role],
                                                token: admin.accessToken)
                #expect(reply.status == .forbidden, "\(role): \(reply.text)")
                #expect(reply.errorCode == "FORBIDDEN")
            }
            let unknownRole = try await auth.post("/v1/users/invitations", ["email": "x@example.com", "role": "owner"], token: admin.accessToken)
            #expect(unknownRole.status == .badRequest, "\(unknownRole.text)")
            let badEmail = try await auth.post("/v1/users/invitations", ["email": "not-an-email"], token: admin.accessToken)
            #expect(badEmail.status == .badRequest, "\(badEmail.text)")
            #expect(try await Self.events(auth, "user.invite", token: admin.accessToken).isEmpty)
        }
    }

    @Test func roleChangesAreCheckedAndAudited() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            let member = try await auth.invite(by: admin)

            let promoted = try await auth.call(.patch, "/v1/users/\(member.userID)", json: ["role": "tenant_admin"], token: admin.accessToken)
            #expect(promoted.status == .ok, "\(promoted.text)")
            #expect(promoted.string("role") == "tenant_admin")
            #expect(promoted.string("id") == member.userID)
            let changes = try await Self.events(auth, "user.role_change", token: admin.accessToken)
            #expect(changes.count == 1)
            let change = try #require(changes.first)
            #expect(change["target_id"] as? String == member.userID.lowercased())
            #expect(change["actor_id"] as? String == admin.userID.lowercased())
            #expect(change["details"] as? [String: String] == ["from": "member", "to": "tenant_admin"])
            // The new role is in the member's next token.
            let login = try await auth.login(tenant: admin.tenantSlug, email: member.email, password: member.password)
            let me = try await auth.get("/v1/auth/me", token: try #require(login.string("tokens", "access_token")))
            #expect(me.string("identity", "role") == "tenant_admin")

            // Setting the same role again changes nothing and audits nothing.
            let same = try await auth.call(.patch, "/v1/users/\(member.userID)", json: ["role": "tenant_admin"], token: admin.accessToken)
            #expect(same.status == .ok)
            #expect(try await Self.events(auth, "user.role_change", token: admin.accessToken).count == 1)

            for role in ["system_admin", "service"] {
                let reply = try await auth.call(.patch, "/v1/users/\(member.userID)", json: ["role": role], token: admin.accessToken)
                #expect(reply.status == .forbidden, "\(role): \(reply.text)")
                #expect(reply.errorCode == "FORBIDDEN")
            }
            for body: [String: Any] in [["role": "member"], ["status": "disabled"]] {
                let own = try await auth.call(.patch, "/v1/users/\(admin.userID)", json: body, token: admin.accessToken)
                #expect(own.status == .badRequest, "\(body): \(own.text)")
                #expect(own.string("error", "message")?.isEmpty == false)
            }
            let empty = try await auth.call(.patch, "/v1/users/\(member.userID)", json: [:], token: admin.accessToken)
            #expect(empty.status == .badRequest, "\(empty.text)")
            let bogus = try await auth.call(.patch, "/v1/users/\(member.userID)", json: ["role": "overlord"], token: admin.accessToken)
            #expect(bogus.status == .badRequest, "\(bogus.text)")

            let list = try await auth.get("/v1/users", token: admin.accessToken)
            #expect(Self.user(list, member.userID)?["role"] as? String == "tenant_admin")
            #expect(Self.user(list, admin.userID)?["role"] as? String == "tenant_admin")
            #expect(Self.user(list, admin.userID)?["status"] as? String == "active")
            #expect(try await Self.events(auth, "user.role_change", token: admin.accessToken).count == 1)
        }
    }

    @Test func disabledUsersCannotLogInOrRefresh() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            let member = try await auth.invite(by: admin)
            let disabled = try await auth.call(.patch, "/v1/users/\(member.userID)", json: ["status": "disabled"], token: admin.accessToken)
            #expect(disabled.status == .ok, "\(disabled.text)")
            #expect(disabled.string("status") == "disabled")

            let login = try await auth.login(tenant: admin.tenantSlug, email: member.email, password: member.password)
            #expect(login.status == .unauthorized, "\(login.text)")
            #expect(login.errorCode == "INVALID_CREDENTIALS")
            let refresh = try await auth.post("/v1/auth/refresh", ["refresh_token": member.refreshToken])
            #expect(refresh.status == .unauthorized, "\(refresh.text)")

            let changes = try await Self.events(auth, "user.status_change", token: admin.accessToken)
            #expect(changes.count == 1)
            #expect(changes.first?["target_id"] as? String == member.userID.lowercased())
            #expect(changes.first?["details"] as? [String: String] == ["from": "active", "to": "disabled"])

            // Enabled again: the password works, the old session stays revoked.
            let enabled = try await auth.call(.patch, "/v1/users/\(member.userID)", json: ["status": "active"], token: admin.accessToken)
            #expect(enabled.string("status") == "active")
            let back = try await auth.login(tenant: admin.tenantSlug, email: member.email, password: member.password)
            #expect(back.status == .ok, "\(back.text)")
            #expect(try await auth.post("/v1/auth/refresh", ["refresh_token": member.refreshToken]).status == .unauthorized)
        }
    }

    @Test func unlockLiftsALock() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            let member = try await auth.invite(by: admin)
            try await auth.withDatabase { client in
                try await client.query("""
                    UPDATE users SET status = 'locked', locked_until = now() + interval '1 hour', failed_logins = 6, failures_since = now()
                    WHERE id = \(UUID(uuidString: member.userID)!)
                    """)
            }
            let locked = try await auth.login(tenant: admin.tenantSlug, email: member.email, password: member.password)
            #expect(locked.status == .unauthorized, "\(locked.text)")
            #expect(locked.errorCode == "INVALID_CREDENTIALS")
            var list = try await auth.get("/v1/users", token: admin.accessToken)
            #expect(Self.user(list, member.userID)?["status"] as? String == "locked")
            #expect(Self.user(list, member.userID)?["locked_until"] is String)

            let unlocked = try await auth.post("/v1/users/\(member.userID)/unlock", token: admin.accessToken)
            #expect(unlocked.status == .ok, "\(unlocked.text)")
            #expect(unlocked.string("status") == "active")
            #expect(unlocked["locked_until"] == nil)
            list = try await auth.get("/v1/users", token: admin.accessToken)
            #expect(Self.user(list, member.userID)?["status"] as? String == "active")
            let failures = try await auth.withDatabase { client in
                var failures = -1
                let rows = try await client.query("SELECT failed_logins FROM users WHERE id = \(UUID(uuidString: member.userID)!)")
                for try await value in rows.decode(Int.self) { failures = value }
                return failures
            }
            #expect(failures == 0, "the failure count survives the unlock")

            let login = try await auth.login(tenant: admin.tenantSlug, email: member.email, password: member.password)
            #expect(login.status == .ok, "\(login.text)")
            let events = try await Self.events(auth, "user.status_change", token: admin.accessToken)
            #expect(events.first?["details"] as? [String: String] == ["from": "locked", "to": "active"])
        }
    }
}
