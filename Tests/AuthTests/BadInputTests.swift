import CairnTesting
import Foundation
import Testing

/// Malformed, incomplete and unacceptable input: 400 with a message saying what is wrong, 413
/// for oversized bodies, 409 for duplicates, and one indistinguishable 401 for every failed login.
@Suite struct BadInputTests {
    /// Asserts a 400 in the one error shape with a non-empty message; returns the message.
    @discardableResult
    static func expectInvalid(_ reply: Reply, _ label: String, mentioning word: String? = nil) -> String {
        #expect(reply.status == .badRequest, "\(label): \(reply.text)")
        #expect(reply.errorCode == "INVALID_REQUEST", "\(label): \(reply.text)")
        let message = reply.string("error", "message") ?? ""
        #expect(!message.isEmpty, "\(label): \(reply.text)")
        if let word { #expect(message.lowercased().contains(word), "\(label): message \(message) should mention \(word)") }
        return message
    }

    static func registration(email: String = "someone-\(TestInfra.uniqueSuffix())@example.com", password: String = AuthHarness.password,
                             organisation: String = "Org \(TestInfra.uniqueSuffix())") -> [String: Any] {
        ["organisation": organisation, "email": email, "password": password]
    }

    static func tenantCount(_ auth: AuthHarness) async throws -> Int {
        try await auth.withDatabase { client in
            var count = 0
            for try await value in try await client.query("SELECT count(*)::int FROM tenants").decode(Int.self) { count = value }
            return count
        }
    }

    @Test func malformedMissingAndWronglyTypedBodies() async throws {
        try await AuthHarness.run { auth in
            for path in ["/v1/auth/register", "/v1/auth/login", "/v1/auth/refresh", "/v1/auth/login/mfa", "/v1/auth/service-token"] {
                Self.expectInvalid(try await auth.call(.post, path, raw: "{not json"), "\(path) malformed")
                Self.expectInvalid(try await auth.call(.post, path, raw: ""), "\(path) empty")
                Self.expectInvalid(try await auth.call(.post, path, raw: "[1, 2]"), "\(path) array")
            }
            // Missing fields.
            Self.expectInvalid(try await auth.post("/v1/auth/register", ["organisation": "Acme", "email": "a@example.com"]), "no password")
            Self.expectInvalid(try await auth.post("/v1/auth/register", ["organisation": "Acme", "password": AuthHarness.password]),
                               "no email", mentioning: "email")
            Self.expectInvalid(try await auth.post("/v1/auth/register", ["email": "a@example.com", "password": AuthHarness.password]),
                               "no organisation", mentioning: "organisation")
            Self.expectInvalid(try await auth.post("/v1/auth/login", ["tenant": "acme", "email": "a@example.com"]), "login without password")
            Self.expectInvalid(try await auth.post("/v1/auth/login", ["email": "a@example.com", "password": "x"]), "login without tenant")
            // Wrong types.
            Self.expectInvalid(try await auth.post("/v1/auth/register", ["organisation": "Acme", "email": "a@example.com", "password": 1234567890123]),
                               "numeric password")
            Self.expectInvalid(try await auth.post("/v1/auth/register", ["organisation": ["Acme"], "email": "a@example.com",
                                                                         "password": AuthHarness.password]), "array organisation")
            Self.expectInvalid(try await auth.post("/v1/auth/login", ["tenant": 5, "email": "a@example.com", "password": "x"]), "numeric tenant")
            Self.expectInvalid(try await auth.post("/v1/auth/login", ["tenant": "acme", "email": NSNull(), "password": "x"]), "null email")
            #expect(try await Self.tenantCount(auth) == 0)
        }
    }

    @Test func invalidAccountInput() async throws {
        try await AuthHarness.run { auth in
            for email in ["no-at-sign", "a@b", "a b@example.com", "@example.com", "a@@example.com", "a@example..com", ""] {
                Self.expectInvalid(try await auth.post("/v1/auth/register", Self.registration(email: email)), "email \(email)", mentioning: "email")
            }
            let longEmail = String(repeating: "a", count: 60) + "@" + String(repeating: String(repeating: "x", count: 60) + ".", count: 4) + "com"
            #expect(longEmail.utf8.count > 254)
            Self.expectInvalid(try await auth.post("/v1/auth/register", Self.registration(email: longEmail)), "overlong email", mentioning: "email")

            Self.expectInvalid(try await auth.post("/v1/auth/register", Self.registration(organisation: String(repeating: "n", count: 101))),
                               "overlong organisation", mentioning: "organisation")
            Self.expectInvalid(try await auth.post("/v1/auth/register", Self.registration(organisation: "   ")), "blank organisation",
                               mentioning: "organisation")
            Self.expectInvalid(try await auth.post("/v1/auth/register", Self.registration(organisation: "Acme\u{7}Bell")), "control character",
                               mentioning: "organisation")

            Self.expectInvalid(try await auth.post("/v1/auth/register", Self.registration(password: "Short-1x")), "short password",
                               mentioning: "at least")
            for common in ["password123", "Password123", "qwerty1234"] {
                Self.expectInvalid(try await auth.post("/v1/auth/register", Self.registration(password: common)), "common \(common)",
                                   mentioning: "common")
            }
            Self.expectInvalid(try await auth.post("/v1/auth/register", Self.registration(email: "harriet.smith@example.com",
                                                                                          password: "Harriet.Smith-rocks-9")),
                               "password with email", mentioning: "email")
            Self.expectInvalid(try await auth.post("/v1/auth/register", Self.registration(password: String(repeating: "abcd", count: 19))),
                               "password over 72 bytes", mentioning: "72")
            #expect(try await Self.tenantCount(auth) == 0)

            // The boundaries themselves are accepted.
            let boundary = try await auth.post("/v1/auth/register", Self.registration(organisation: String(repeating: "n", count: 100)))
            #expect(boundary.status == .created, "\(boundary.text)")
        }
    }

    @Test func weakPasswordOnAnInvitationLeavesTheInvitationUsable() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            let email = "harriet.smith-\(TestInfra.uniqueSuffix())@example.com"
            let invitation = try await auth.post("/v1/users/invitations", ["email": email], token: admin.accessToken)
            let token = try #require(invitation.string("invitation_token"))
            Self.expectInvalid(try await auth.post("/v1/auth/register", ["invitation_token": token, "password": "short"]), "short", mentioning: "at least")
            Self.expectInvalid(try await auth.post("/v1/auth/register", ["invitation_token": token, "password": "password123"]), "common",
                               mentioning: "common")
            let local = try #require(email.split(separator: "@").first)
            Self.expectInvalid(try await auth.post("/v1/auth/register", ["invitation_token": token, "password": "Zz9-\(local)"]),
                               "contains email", mentioning: "email")
            let joined = try await auth.post("/v1/auth/register", ["invitation_token": token, "password": AuthHarness.password])
            #expect(joined.status == .created, "\(joined.text)")
        }
    }

    @Test func oversizedBodyIsRefused() async throws {
        try await AuthHarness.run(overrides: ["CAIRN_MAX_BODY_BYTES": "2048"]) { auth in
            let padding = String(repeating: "x", count: 4_096)
            for path in ["/v1/auth/register", "/v1/auth/login"] {
                let reply = try await auth.call(.post, path, raw: #"{"organisation": "Big", "email": "big@example.com", "password": "\#(padding)"}"#)
                #expect(reply.status == .contentTooLarge, "\(path): \(reply.text)")
                #expect(reply.errorCode == "PAYLOAD_TOO_LARGE", "\(path): \(reply.text)")
                #expect(reply.object("error", "details")?["limit_bytes"] as? Int == 2048, "\(reply.text)")
            }
            // Under the limit the same endpoint answers normally (an unknown tenant here).
            let small = try await auth.call(.post, "/v1/auth/login", raw: """
                {"tenant": "nobody", "email": "big@example.com", "password": "whatever-it-is", "padding": "\(String(repeating: "x", count: 1_500))"}
                """)
            #expect(small.status == .unauthorized, "\(small.text)")
            #expect(try await Self.tenantCount(auth) == 0)
        }
    }

    @Test func registeringAnExistingEmailInTheSameOrganisationConflicts() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            let member = try await auth.invite(by: admin)
            for email in [admin.email, member.email.uppercased()] {
                let invitation = try await auth.post("/v1/users/invitations", ["email": email], token: admin.accessToken)
                #expect(invitation.status == .created, "\(invitation.text)")
                let token = try #require(invitation.string("invitation_token"))
                let reply = try await auth.post("/v1/auth/register", ["invitation_token": token, "password": "another-Secret-77"])
                #expect(reply.status == .conflict, "\(email): \(reply.text)")
                #expect(reply.errorCode == "CONFLICT")
                #expect(reply.string("error", "message")?.isEmpty == false)
            }
            // The original accounts keep their passwords.
            let login = try await auth.login(tenant: admin.tenantSlug, email: member.email, password: member.password)
            #expect(login.status == .ok, "\(login.text)")
            let users = try await auth.get("/v1/users", token: admin.accessToken)
            #expect(users.array("users")?.count == 2)
        }
    }

    @Test func everyFailedLoginLooksTheSame() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            let attempts: [(String, Reply)] = [
                ("wrong password", try await auth.login(tenant: admin.tenantSlug, email: admin.email, password: "not-the-Password-1")),
                ("unknown email", try await auth.login(tenant: admin.tenantSlug, email: "nobody-\(TestInfra.uniqueSuffix())@example.com",
                                                       password: AuthHarness.password)),
                ("unknown tenant", try await auth.login(tenant: "no-such-org-\(TestInfra.uniqueSuffix())", email: admin.email,
                                                        password: AuthHarness.password)),
            ]
            func shape(_ reply: Reply) -> [String: String] {
                var error = (reply.object("error") ?? [:]).compactMapValues { $0 as? String }
                error["request_id"] = nil
                return error
            }
            let expected = shape(attempts[0].1)
            #expect(expected["code"] == "INVALID_CREDENTIALS")
            #expect(expected["message"]?.isEmpty == false)
            for (name, reply) in attempts {
                #expect(reply.status == .unauthorized, "\(name): \(reply.text)")
                #expect(reply.errorCode == "INVALID_CREDENTIALS", "\(name)")
                #expect(shape(reply) == expected, "\(name): \(reply.text)")
                #expect(reply.object("error")?["details"] == nil, "\(name): \(reply.text)")
            }
        }
    }
}
