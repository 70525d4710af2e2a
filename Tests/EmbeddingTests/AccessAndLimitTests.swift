import CairnAuthKit
import CairnTesting
import Foundation
import Testing

/// Who may embed (the shared authentication middleware, `embeddings:create`) and the request
/// limits, answered in the one error shape. (The app loads the real model.)
@Suite struct AccessAndLimitTests {
    static var body: [String: Any] { ["input": "hello"] }

    @Test func credentialsAndPermissionsAreRequired() async throws {
        try await EmbeddingHarness.run { harness in
            let anonymous = try await harness.call(.post, "/v1/embeddings" + harness.tenantQuery, json: Self.body, token: nil)
            #expect(anonymous.status == .unauthorized && anonymous.errorCode == "UNAUTHENTICATED")
            let forged = try await harness.call(.post, "/v1/embeddings" + harness.tenantQuery, json: Self.body, token: "a.b.c")
            #expect(forged.status == .unauthorized)
            let models = try await harness.call(.get, "/v1/embeddings/models", token: nil)
            #expect(models.status == .unauthorized)

            // The role table decides (CairnAuthKit's Role): each role of a tenant is let in exactly
            // when it grants embeddings:create, billed to its own tenant.
            for role in [Role.member, .tenantAdmin] {
                let user = try await harness.tokens.token(role, tenant: harness.tenant)
                let reply = try await harness.call(.post, "/v1/embeddings", json: Self.body, token: user)
                if role.permissions.grants("embeddings:create") {
                    #expect(reply.status == .ok, "\(role)")
                } else {
                    #expect(reply.status == .forbidden && reply.errorCode == "FORBIDDEN", "\(role)")
                }
            }
            // A token whose scopes leave embeddings:create out is refused, naming the permission.
            for (role, tenant) in [(Role.member, Optional(harness.tenant)), (.service, nil)] {
                let narrowed = try await harness.tokens.token(role, tenant: tenant, subject: "narrow", scopes: ["documents:read"])
                let reply = try await harness.call(.post, "/v1/embeddings" + harness.tenantQuery, json: Self.body, token: narrowed)
                #expect(reply.status == .forbidden && reply.errorCode == "FORBIDDEN", "\(role)")
                #expect(reply.string("error", "details", "permission") == "embeddings:create")
            }

            // Services span tenants: they must name the one the call is billed to.
            let service = try await harness.serviceToken()
            let unnamed = try await harness.call(.post, "/v1/embeddings", json: Self.body, token: service)
            #expect(unnamed.status == .badRequest && unnamed.string("error", "message")?.contains("tenant_id") == true)
            let malformed = try await harness.call(.post, "/v1/embeddings?tenant_id=not-a-uuid", json: Self.body, token: service)
            #expect(malformed.status == .badRequest)
            #expect(try await harness.call(.post, "/v1/embeddings" + harness.tenantQuery, json: Self.body, token: service).status == .ok)

            // Another tenant's id from a tenant's own people is "not found", before permissions.
            let member = try await harness.tokens.token(.member, tenant: harness.tenant)
            let other = try await harness.call(.post, "/v1/embeddings?tenant_id=\(UUID().uuidString)", json: Self.body, token: member)
            #expect(other.status == .notFound)
        }
    }

    @Test func limitsAnswer400NamingTheLimit() async throws {
        let limits = [
            "CAIRN_EMBEDDING_MAX_INPUTS": "3", "CAIRN_EMBEDDING_MAX_INPUT_CHARS": "50", "CAIRN_EMBEDDING_MAX_REQUEST_CHARS": "120",
            "CAIRN_MAX_BODY_BYTES": "4096",
        ]
        try await EmbeddingHarness.run(limits) { harness in
            let many = try await harness.embed(["input": ["a", "b", "c", "d"]])
            #expect(many.status == .badRequest && many.errorCode == "LIMIT_EXCEEDED")
            #expect(many.string("error", "details", "limit_name") == "max_inputs")
            #expect(many.int("error", "details", "limit") == 3)
            #expect(many.string("error", "message") == "input has 4 items; at most 3 per request")

            let long = try await harness.embed(["input": ["ok", String(repeating: "x", count: 51)]])
            #expect(long.status == .badRequest && long.string("error", "details", "limit_name") == "max_input_characters")
            #expect(long.string("error", "message") == "input[1] has 51 characters; at most 50 per input")

            let total = try await harness.embed(["input": [String(repeating: "x", count: 50), String(repeating: "y", count: 50), String(repeating: "z", count: 50)]])
            #expect(total.status == .badRequest && total.string("error", "details", "limit_name") == "max_request_characters")

            let huge = try await harness.call(.post, "/v1/embeddings" + harness.tenantQuery, raw: "{\"input\": \"" + String(repeating: "x", count: 5_000) + "\"}",
                                              token: try await harness.serviceToken())
            #expect(huge.status == .contentTooLarge && huge.errorCode == "PAYLOAD_TOO_LARGE")

            for (body, message) in [
                ("{\"input\": []}", "input must not be an empty array"),
                ("{\"input\": [[101, 7592, 102]]}", "input must be a string or an array of strings (arrays of token ids are not accepted)"),
                ("{\"input\": \"x\", \"encoding_format\": \"int8\"}", "encoding_format must be \"float\" or \"base64\""),
                ("not json", "the body is not valid JSON"),
            ] {
                let reply = try await harness.call(.post, "/v1/embeddings" + harness.tenantQuery, raw: body, token: try await harness.serviceToken())
                #expect(reply.status == .badRequest && reply.errorCode == "INVALID_REQUEST", "\(body)")
                #expect(reply.string("error", "message") == message)
            }
            // Within the limits all is well, and an empty string is a valid text.
            let fine = try await harness.embed(["input": ["", String(repeating: "w ", count: 25), "third"]])
            #expect(fine.status == .ok)
        }
    }
}
