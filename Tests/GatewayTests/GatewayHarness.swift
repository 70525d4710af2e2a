import AsyncHTTPClient
import AuthApp
import CairnEvents
import CairnKafka
import CairnTesting
import Foundation
@testable import GatewayApp
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceKit
import Testing

/// The gateway in front of the real auth service (its own fresh database) and a trivial
/// upstream, all three over real sockets. Routes under `/v1/test/...` are added to the
/// gateway's table for the tests; they reach the upstream (standing in for a service not yet
/// built), or a closed port (`/v1/test/down`).
struct GatewayHarness {
    static let serviceSecret = "gateway-secret-0123456789"
    static let password = "tangerine-Orbit-42"

    let client: any TestClientProtocol
    let gatewayPort: Int
    let authPort: Int
    let adminPort: Int
    let upstream: TestUpstream

    static let testRoutes: [PublicRoute] = [
        .init(method: .get, path: "/v1/test/echo", upstream: .generation),
        .init(method: .post, path: "/v1/test/chat", upstream: .generation, routeClass: .chat),
        .init(method: .post, path: "/v1/test/ask", upstream: .generation, routeClass: .chat, quota: .messages),
        .init(method: .post, path: "/v1/test/search", upstream: .generation, routeClass: .search),
        .init(method: .get, path: "/v1/test/stream", upstream: .generation, routeClass: .chat),
        .init(method: .post, path: "/v1/test/upload", upstream: .generation, body: .upload),
        .init(method: .post, path: "/v1/test/reject-upload", upstream: .generation, body: .upload),
        .init(method: .get, path: "/v1/test/anonymous", upstream: .generation, access: .anonymous),
        .init(method: .get, path: "/v1/test/down", upstream: .embedding),
        .init(method: .get, path: "/v1/test/slow", upstream: .generation, timeout: .milliseconds(300)),
        .init(method: .post, path: "/v1/test/upload-then-slow", upstream: .generation, body: .upload, timeout: .seconds(1)),
    ]

    /// The real routes with a longer upstream timeout: under the full suite on two cores,
    /// registrations queue behind every other test's bcrypt work for longer than the 30 s default.
    static let patientRoutes: [PublicRoute] = PublicRoute.all.map { route in
        var patient = route
        patient.timeout = .seconds(90)
        return patient
    }

    static func run(
        overrides: [String: String] = [:], redis: Endpoint? = nil, billing: BillingUpstream? = nil,
        _ body: @escaping @Sendable (GatewayHarness) async throws -> Void
    ) async throws {
        try await TestDatabase.withFresh(prefix: "gw") { database in
            let authEnvironment = TestInfra.serviceEnvironment(database: database.database, overrides: [
                "CAIRN_AUTH_AUDIT_GROUP": "gw-audit-\(TestInfra.uniqueSuffix())",
                "CAIRN_AUTH_SERVICE_CLIENTS": "gateway=\(serviceSecret)",
            ])
            let authConfig = try AuthService.configuration(environment: authEnvironment)
            try await KafkaAdmin.ensureTopics(
                [TopicSpec(name: EventTopic.audit.name, partitions: EventTopic.audit.partitions), TopicSpec(name: EventTopic.audit.dlqName, partitions: 1)],
                settings: authConfig.service.kafka!
            )
            let auth = try await AuthService.buildApplication(config: authConfig, logger: TestInfra.logger(level: .error))
            let upstream = TestUpstream()
            try await auth.test(.live) { authClient in
                try await upstream.application().test(.live) { upstreamClient in
                    let ports = (auth: try #require(authClient.port), upstream: try #require(upstreamClient.port))
                    let gateway: @Sendable (String) async throws -> Void = { billingURL in
                        try await runGateway(ports: ports, billingURL: billingURL, overrides: overrides, redis: redis, upstream: upstream, body)
                    }
                    if let billing {
                        try await billing.run(authPort: ports.auth, gateway)
                    } else {
                        try await gateway("http://127.0.0.1:\(try freePort())")
                    }
                }
            }
        }
    }

    private static func runGateway(
        ports: (auth: Int, upstream: Int), billingURL: String, overrides: [String: String], redis: Endpoint?, upstream: TestUpstream,
        _ body: @Sendable (GatewayHarness) async throws -> Void
    ) async throws {
        let adminPort = try freePort()
        var environment = TestInfra.serviceEnvironment(overrides: [
            "CAIRN_AUTH_URL": "http://127.0.0.1:\(ports.auth)",
            "CAIRN_SERVICE_CLIENT_SECRET": serviceSecret,
            "CAIRN_GATEWAY_ADMIN_PORT": "\(adminPort)",
            "CAIRN_BILLING_URL": billingURL,
            "CAIRN_GENERATION_URL": "http://127.0.0.1:\(ports.upstream)",
            "CAIRN_EMBEDDING_URL": "http://127.0.0.1:\(try freePort())",
            "CAIRN_GATEWAY_ANONYMOUS_PER_MINUTE": "1000",
            "CAIRN_GATEWAY_API_KEY_CACHE_SECONDS": "1",
        ].merging(overrides) { $1 })
        if let redis {
            environment["CAIRN_REDIS_HOST"] = redis.host
            environment["CAIRN_REDIS_PORT"] = "\(redis.port)"
        }
        let config = try GatewayService.configuration(environment: environment)
        let gateway = try await GatewayService.build(config: config, logger: TestInfra.logger(level: .error), routes: patientRoutes + testRoutes)
        try await gateway.test(.live) { client in
            try await body(GatewayHarness(
                client: client, gatewayPort: try #require(client.port), authPort: ports.auth, adminPort: adminPort, upstream: upstream
            ))
        }
    }

    // MARK: Requests

    func call(
        _ method: HTTPRequest.Method, _ path: String, json: [String: Any]? = nil, token: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> JSONReply {
        var headers = extra
        if json != nil { headers[.contentType] = "application/json" }
        if let token { headers[.authorization] = "Bearer \(token)" }
        let body = try json.map { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: $0)) }
        return try await send(method, path, headers: headers, body: body)
    }

    /// Over a real socket with a patient client: under the full suite, registrations queue behind
    /// every other test's bcrypt work on two cores, longer than the test client's fixed 20 s.
    func send(_ method: HTTPRequest.Method, _ path: String, headers: HTTPFields = [:], body: ByteBuffer? = nil) async throws -> JSONReply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(gatewayPort)\(path)")
        request.method = .init(rawValue: method.rawValue)
        for field in headers { request.headers.add(name: field.name.rawName, value: field.value) }
        if let body { request.body = .bytes(body) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(90))
        let text = String(buffer: try await response.body.collect(upTo: 16 << 20))
        var fields = HTTPFields()
        for header in response.headers {
            if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
        }
        return JSONReply(status: .init(code: Int(response.status.code)), text: text, headers: fields)
    }

    /// A new organisation and its admin, registered through the gateway; the access token.
    func register() async throws -> (token: String, tenantID: String) {
        let reply = try await call(.post, "/v1/auth/register", json: [
            "organisation": "Org \(TestInfra.uniqueSuffix())", "email": "admin-\(TestInfra.uniqueSuffix())@example.com", "password": Self.password,
        ])
        try #require(reply.status == .created, "\(reply.text)")
        return (try #require(reply.string("tokens", "access_token")), try #require(reply.string("user", "tenant_id")))
    }

    /// A new API key of the token's tenant; the key and its id.
    func apiKey(token: String) async throws -> (key: String, id: String) {
        let reply = try await call(.post, "/v1/api-keys", json: ["name": "ci"], token: token)
        try #require(reply.status == .created, "\(reply.text)")
        return (try #require(reply.string("key")), try #require(reply.string("api_key", "id")))
    }
}
