import AuthApp
import CairnEvents
import CairnKafka
import CairnPostgres
import CairnTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
import ServiceKit
import Testing

typealias Reply = JSONReply

/// A signed-in user as the tests hold them.
struct Session {
    var tenantID: String
    var tenantSlug: String
    var userID: String
    var email: String
    var password: String
    var accessToken: String
    var refreshToken: String
}

/// The auth app on a fresh database, driven through Hummingbird's router test client with
/// its real services (Postgres client, Kafka producer, audit relay and consumer) running.
struct AuthHarness {
    let client: any TestClientProtocol
    let database: PostgresSettings
    static let password = "tangerine-Orbit-42"

    static func run(overrides: [String: String] = [:], _ body: @Sendable (AuthHarness) async throws -> Void) async throws {
        try await TestDatabase.withFresh(prefix: "auth") { database in
            let environment = TestInfra.serviceEnvironment(database: database.database, overrides: [
                "CAIRN_AUTH_AUDIT_GROUP": "auth-audit-\(TestInfra.uniqueSuffix())",
                "CAIRN_AUTH_AUDIT_RELAY_MS": "50",
                "CAIRN_AUTH_SERVICE_CLIENTS": "gateway=gateway-secret-0123456789",
            ].merging(overrides) { $1 })
            let config = try AuthService.configuration(environment: environment)
            try await KafkaAdmin.ensureTopics(
                [TopicSpec(name: EventTopic.audit.name, partitions: EventTopic.audit.partitions), TopicSpec(name: EventTopic.audit.dlqName, partitions: 1)],
                settings: config.service.kafka!
            )
            let app = try await AuthService.buildApplication(config: config, logger: TestInfra.logger(level: .error))
            try await app.test(.router) { client in
                try await body(AuthHarness(client: client, database: database))
            }
        }
    }

    // MARK: Requests

    func call(_ method: HTTPRequest.Method, _ path: String, json: [String: Any]? = nil, raw: String? = nil, token: String? = nil) async throws -> Reply {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let token { headers[.authorization] = "Bearer \(token)" }
        let body: ByteBuffer? = if let raw { ByteBuffer(string: raw) } else if let json { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)) } else { nil }
        return try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
            let text = String(buffer: response.body)
            return Reply(status: response.status, text: text, headers: response.headers)
        }
    }

    func post(_ path: String, _ json: [String: Any] = [:], token: String? = nil) async throws -> Reply {
        try await call(.post, path, json: json, token: token)
    }

    func get(_ path: String, token: String?) async throws -> Reply {
        try await call(.get, path, token: token)
    }

    // MARK: Flows

    /// Registers a new organisation and its first admin.
    func register(organisation: String = "Org \(TestInfra.uniqueSuffix())", email: String? = nil, password: String = Self.password) async throws -> Session {
        let email = email ?? "admin-\(TestInfra.uniqueSuffix())@example.com"
        let reply = try await post("/v1/auth/register", ["organisation": organisation, "email": email, "password": password])
        try #require(reply.status == .created, "\(reply.text)")
        return try session(from: reply, email: email, password: password)
    }

    func session(from reply: Reply, email: String, password: String) throws -> Session {
        Session(
            tenantID: try #require(reply.string("user", "tenant_id")), tenantSlug: reply.string("tenant", "slug") ?? "",
            userID: try #require(reply.string("user", "id")), email: email, password: password,
            accessToken: try #require(reply.string("tokens", "access_token")), refreshToken: try #require(reply.string("tokens", "refresh_token"))
        )
    }

    func login(tenant: String, email: String, password: String) async throws -> Reply {
        try await post("/v1/auth/login", ["tenant": tenant, "email": email, "password": password])
    }

    /// Invites `email` into the admin's tenant and registers them with the invitation.
    func invite(by admin: Session, email: String = "member-\(TestInfra.uniqueSuffix())@example.com", role: String = "member") async throws -> Session {
        let invitation = try await post("/v1/users/invitations", ["email": email, "role": role], token: admin.accessToken)
        try #require(invitation.status == .created, "\(invitation.text)")
        let reply = try await post("/v1/auth/register", [
            "invitation_token": try #require(invitation.string("invitation_token")), "password": Self.password,
        ])
        try #require(reply.status == .created, "\(reply.text)")
        var session = try session(from: reply, email: email, password: Self.password)
        session.tenantSlug = admin.tenantSlug
        return session
    }

    /// A service token for the `gateway` client configured above.
    func serviceToken() async throws -> String {
        let reply = try await post("/v1/auth/service-token", ["client_id": "gateway", "client_secret": "gateway-secret-0123456789"])
        return try #require(reply.string("access_token"), "\(reply.text)")
    }

    /// Runs `body` with a client on the app's database (to inspect rows).
    func withDatabase<T>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        try await withPostgresClient(database, body)
    }
}
