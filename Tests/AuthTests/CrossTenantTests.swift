import CairnTesting
import Foundation
import PostgresNIO
import Testing

/// Tenant isolation: every endpoint probed with another tenant's ids answers 404, exactly as
/// for an id that does not exist, and changes nothing; members get 403 on admin endpoints.
@Suite struct CrossTenantTests {
    /// Tenant B: its admin, a member, an API key and an open invitation.
    struct Victim {
        var admin: Session
        var member: Session
        var keyID: String
        var invitationID: String
    }

    static func victim(_ auth: AuthHarness) async throws -> Victim {
        let admin = try await auth.register(organisation: "Victim \(TestInfra.uniqueSuffix())")
        let member = try await auth.invite(by: admin)
        let key = try await auth.post("/v1/api-keys", ["name": "victim key"], token: admin.accessToken)
        try #require(key.status == .created, "\(key.text)")
        let invitation = try await auth.post(
            "/v1/users/invitations", ["email": "pending-\(TestInfra.uniqueSuffix())@example.com"], token: admin.accessToken
        )
        try #require(invitation.status == .created, "\(invitation.text)")
        return Victim(
            admin: admin, member: member, keyID: try #require(key.string("api_key", "id")), invitationID: try #require(invitation.string("id"))
        )
    }

    static func ids(_ rows: [[String: Any]]?) -> Set<String> {
        Set((rows ?? []).compactMap { ($0["id"] as? String)?.lowercased() })
    }

    static func invitationCount(_ auth: AuthHarness, tenant: String) async throws -> Int {
        try await auth.withDatabase { client in
            var count = 0
            let rows = try await client.query("SELECT count(*)::int FROM invitations WHERE tenant_id = \(UUID(uuidString: tenant)!)")
            for try await value in rows.decode(Int.self) { count = value }
            return count
        }
    }

    @Test func anotherTenantsObjectsAnswerNotFoundAndStayUnchanged() async throws {
        try await AuthHarness.run { auth in
            let a = try await auth.register(organisation: "Attacker \(TestInfra.uniqueSuffix())")
            let b = try await Self.victim(auth)
            let missing = try await auth.call(.patch, "/v1/users/\(UUID().uuidString.lowercased())", json: ["role": "member"], token: a.accessToken)
            #expect(missing.status == .notFound)

            let probes: [(String, Reply)] = [
                ("promote", try await auth.call(.patch, "/v1/users/\(b.member.userID)", json: ["role": "tenant_admin"], token: a.accessToken)),
                ("disable", try await auth.call(.patch, "/v1/users/\(b.admin.userID)", json: ["status": "disabled"], token: a.accessToken)),
                ("unlock", try await auth.post("/v1/users/\(b.member.userID)/unlock", token: a.accessToken)),
                ("delete key", try await auth.call(.delete, "/v1/api-keys/\(b.keyID)", token: a.accessToken)),
            ]
            for (name, reply) in probes {
                #expect(reply.status == .notFound, "\(name): \(reply.text)")
                #expect(reply.errorCode == "NOT_FOUND", "\(name)")
                // Indistinguishable from an id that does not exist.
                #expect(reply.string("error", "message") == missing.string("error", "message"), "\(name)")
            }

            // B's own view: nothing changed.
            let users = try await auth.get("/v1/users", token: b.admin.accessToken)
            #expect(users.status == .ok, "\(users.text)")
            let rows = users.array("users") ?? []
            let member = try #require(rows.first { $0["id"] as? String == b.member.userID })
            #expect(member["role"] as? String == "member")
            #expect(member["status"] as? String == "active")
            let admin = try #require(rows.first { $0["id"] as? String == b.admin.userID })
            #expect(admin["status"] as? String == "active")
            let keys = try await auth.get("/v1/api-keys", token: b.admin.accessToken)
            #expect(Self.ids(keys.array("api_keys")) == [b.keyID.lowercased()])
            // B's admin still signs in (the disable did not land).
            let login = try await auth.login(tenant: b.admin.tenantSlug, email: b.admin.email, password: b.admin.password)
            #expect(login.status == .ok, "\(login.text)")
        }
    }

    @Test func namingAnotherTenantInTheQueryAnswersNotFound() async throws {
        try await AuthHarness.run { auth in
            let a = try await auth.register(organisation: "Attacker \(TestInfra.uniqueSuffix())")
            let b = try await Self.victim(auth)
            let own = try await auth.get("/v1/users?tenant_id=\(a.tenantID)", token: a.accessToken)
            #expect(own.status == .ok, "naming one's own tenant is allowed: \(own.text)")

            for tenant in [b.admin.tenantID, UUID().uuidString.lowercased()] {
                let probes: [(String, Reply)] = [
                    ("list users", try await auth.get("/v1/users?tenant_id=\(tenant)", token: a.accessToken)),
                    ("list keys", try await auth.get("/v1/api-keys?tenant_id=\(tenant)", token: a.accessToken)),
                    ("audit", try await auth.get("/v1/audit?tenant_id=\(tenant)", token: a.accessToken)),
                    ("invite", try await auth.post("/v1/users/invitations?tenant_id=\(tenant)", ["email": "x-\(TestInfra.uniqueSuffix())@example.com"],
                                                   token: a.accessToken)),
                    ("create key", try await auth.post("/v1/api-keys?tenant_id=\(tenant)", ["name": "planted"], token: a.accessToken)),
                ]
                for (name, reply) in probes {
                    #expect(reply.status == .notFound, "\(name) in \(tenant): \(reply.text)")
                    #expect(reply.errorCode == "NOT_FOUND", "\(name)")
                }
            }
            let malformed = try await auth.get("/v1/users?tenant_id=not-a-uuid", token: a.accessToken)
            #expect(malformed.status == .badRequest)

            // Nothing was created anywhere by the refused requests.
            #expect(try await Self.invitationCount(auth, tenant: b.admin.tenantID) == 2, "the member's and the pending one")
            #expect(try await Self.invitationCount(auth, tenant: a.tenantID) == 0)
            let bKeys = try await auth.get("/v1/api-keys", token: b.admin.accessToken)
            #expect(Self.ids(bKeys.array("api_keys")) == [b.keyID.lowercased()])
            let aKeys = try await auth.get("/v1/api-keys", token: a.accessToken)
            #expect(aKeys.array("api_keys")?.isEmpty == true, "\(aKeys.text)")
        }
    }

    @Test func listsNeverShowAnotherTenantsRows() async throws {
        try await AuthHarness.run { auth in
            let a = try await auth.register(organisation: "Attacker \(TestInfra.uniqueSuffix())")
            let b = try await Self.victim(auth)
            let key = try await auth.post("/v1/api-keys", ["name": "own key"], token: a.accessToken)
            #expect(key.status == .created)

            let users = try await auth.get("/v1/users", token: a.accessToken)
            #expect(users.status == .ok)
            #expect(Self.ids(users.array("users")) == [a.userID.lowercased()])
            #expect(users.array("users")?.allSatisfy { $0["tenant_id"] as? String == a.tenantID } == true)
            #expect(!users.text.contains(b.member.email) && !users.text.contains(b.admin.email))

            let keys = try await auth.get("/v1/api-keys", token: a.accessToken)
            let ownKey = try #require(key.string("api_key", "id"))
            #expect(Self.ids(keys.array("api_keys")) == [ownKey.lowercased()])

            let audit = try await auth.get("/v1/audit?limit=200", token: a.accessToken)
            #expect(audit.status == .ok)
            #expect(audit.array("events")?.isEmpty == false)
            for foreign in [b.admin.userID, b.member.userID, b.keyID, b.invitationID, b.admin.tenantID] {
                #expect(!audit.text.lowercased().contains(foreign.lowercased()), "A's audit log mentions B's \(foreign)")
            }
        }
    }

    @Test func membersAreForbiddenAdminEndpointsOfTheirOwnTenant() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            let member = try await auth.invite(by: admin)
            let probes: [(String, String, Reply)] = [
                ("invite", "users:manage", try await auth.post("/v1/users/invitations", ["email": "x-\(TestInfra.uniqueSuffix())@example.com"],
                                                                token: member.accessToken)),
                ("change role", "users:manage", try await auth.call(.patch, "/v1/users/\(admin.userID)", json: ["role": "member"], token: member.accessToken)),
                ("disable", "users:manage", try await auth.call(.patch, "/v1/users/\(admin.userID)", json: ["status": "disabled"], token: member.accessToken)),
                ("unlock", "users:manage", try await auth.post("/v1/users/\(admin.userID)/unlock", token: member.accessToken)),
                ("list users", "users:read", try await auth.get("/v1/users", token: member.accessToken)),
                ("create key", "api_keys:manage", try await auth.post("/v1/api-keys", ["name": "mine"], token: member.accessToken)),
                ("audit", "audit:read", try await auth.get("/v1/audit", token: member.accessToken)),
            ]
            for (name, permission, reply) in probes {
                #expect(reply.status == .forbidden, "\(name): \(reply.text)")
                #expect(reply.errorCode == "FORBIDDEN", "\(name)")
                #expect(reply.string("error", "details", "permission") == permission, "\(name): \(reply.text)")
            }
            // The admin is untouched.
            let users = try await auth.get("/v1/users", token: admin.accessToken)
            let row = try #require(users.array("users")?.first { $0["id"] as? String == admin.userID })
            #expect(row["role"] as? String == "tenant_admin")
            #expect(row["status"] as? String == "active")
        }
    }

    @Test func unknownAndMalformedIdsAnswerNotFound() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            let unknown = UUID().uuidString.lowercased()
            for id in [unknown, "not-a-uuid", "1", "\(unknown)x"] {
                let probes: [(String, Reply)] = [
                    ("patch", try await auth.call(.patch, "/v1/users/\(id)", json: ["status": "disabled"], token: admin.accessToken)),
                    ("unlock", try await auth.post("/v1/users/\(id)/unlock", token: admin.accessToken)),
                    ("delete key", try await auth.call(.delete, "/v1/api-keys/\(id)", token: admin.accessToken)),
                ]
                for (name, reply) in probes {
                    #expect(reply.status == .notFound, "\(name) \(id): \(reply.text)")
                    #expect(reply.errorCode == "NOT_FOUND", "\(name) \(id)")
                }
            }
        }
    }

    @Test func systemAdminMustNameTheTenant() async throws {
        let email = "root-\(TestInfra.uniqueSuffix())@example.com"
        try await AuthHarness.run(overrides: [
            "CAIRN_AUTH_BOOTSTRAP_ADMIN_EMAIL": email, "CAIRN_AUTH_BOOTSTRAP_ADMIN_PASSWORD": AuthHarness.password,
        ]) { auth in
            let b = try await auth.register()
            let member = try await auth.invite(by: b)
            let login = try await auth.login(tenant: "cairn-platform", email: email, password: AuthHarness.password)
            #expect(login.status == .ok, "\(login.text)")
            let token = try #require(login.string("tokens", "access_token"))
            let me = try await auth.get("/v1/auth/me", token: token)
            #expect(me.string("identity", "role") == "system_admin")

            let unnamed = try await auth.get("/v1/users", token: token)
            #expect(unnamed.status == .badRequest, "\(unnamed.text)")
            #expect(unnamed.errorCode == "INVALID_REQUEST")
            #expect(unnamed.string("error", "message")?.contains("tenant_id") == true, "\(unnamed.text)")

            let named = try await auth.get("/v1/users?tenant_id=\(b.tenantID)", token: token)
            #expect(named.status == .ok, "\(named.text)")
            #expect(Self.ids(named.array("users")) == [b.userID.lowercased(), member.userID.lowercased()])
            #expect(named.array("users")?.allSatisfy { $0["tenant_id"] as? String == b.tenantID } == true)
        }
    }
}
