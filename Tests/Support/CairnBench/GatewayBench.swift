import AuthApp
import CairnEvents
import CairnKafka
import CairnTesting
import Foundation
import GatewayApp
import Hummingbird
import HummingbirdTesting
import Logging

/// The gateway proxying an authenticated request (JWT verified, one Redis rate-limit decision)
/// to a trivial upstream, beside nginx proxying the same upstream, measured with wrk in one
/// run; plus wrk straight at the upstream, so the latency the gateway adds can be read off.
enum GatewayBench {
    static let serviceSecret = "bench-gateway-secret-0123456789"
    static let password = "quartz-Lantern-2026"

    struct WrkResult {
        var rate: Double
        var p50: Double
        var p99: Double
    }

    static func run(seconds: Int, connections: Int = 32, logger: Logger) async throws -> [String] {
        try await TestDatabase.withFresh(prefix: "bench_gw") { database in
            let authConfig = try AuthService.configuration(environment: TestInfra.serviceEnvironment(database: database.database, overrides: [
                "CAIRN_AUTH_AUDIT_GROUP": "bench-audit-\(TestInfra.uniqueSuffix())", "CAIRN_AUTH_SERVICE_CLIENTS": "gateway=\(serviceSecret)",
            ]))
            try await KafkaAdmin.ensureTopics([TopicSpec(name: EventTopic.audit.name, partitions: EventTopic.audit.partitions)],
                                              settings: authConfig.service.kafka!)
            let auth = try await AuthService.buildApplication(config: authConfig, logger: logger)
            return try await auth.test(.live) { authClient in
                try await upstream().test(.live) { upstreamClient in
                    let authPort = authClient.port!
                    let upstreamPort = upstreamClient.port!
                    let token = try await register(authPort: authPort)
                    let gateway = try await GatewayService.buildApplication(config: try gatewayConfig(authPort: authPort, upstreamPort: upstreamPort),
                                                                            logger: logger)
                    return try await gateway.test(.live) { gatewayClient in
                        let nginx = try Nginx(upstreamPort: upstreamPort)
                        defer { nginx.stop() }
                        // The same operation everywhere: GET /v1/plans, which the gateway routes to "billing" (here the trivial upstream).
                        let path = "/v1/plans"
                        _ = try await wrk("http://127.0.0.1:\(gatewayClient.port!)\(path)", token: token, seconds: 2, connections: connections)
                        let direct = try await wrk("http://127.0.0.1:\(upstreamPort)\(path)", token: nil, seconds: seconds, connections: connections)
                        let viaNginx = try await wrk("http://127.0.0.1:\(nginx.port)\(path)", token: nil, seconds: seconds, connections: connections)
                        let viaGateway = try await wrk("http://127.0.0.1:\(gatewayClient.port!)\(path)", token: token, seconds: seconds, connections: connections)
                        // What a plain NIO proxy reaches on the same machine, with and without the Redis decision.
                        let viaFloor = try await floor(upstreamPort: upstreamPort, token: token, decide: true, path: path, seconds: seconds, connections: connections)
                        let viaBareFloor = try await floor(upstreamPort: upstreamPort, token: token, decide: false, path: path, seconds: seconds, connections: connections)
                        // The gateway's own floor: its server and middleware, no proxying, no identity.
                        let health = try await wrk("http://127.0.0.1:\(gatewayClient.port!)/health", token: nil, seconds: seconds, connections: connections)
                        // Latency added at light load (one connection): the cost of the hop, not of a queue.
                        let directOne = try await wrk("http://127.0.0.1:\(upstreamPort)\(path)", token: nil, seconds: seconds, connections: 1)
                        let nginxOne = try await wrk("http://127.0.0.1:\(nginx.port)\(path)", token: nil, seconds: seconds, connections: 1)
                        let gatewayOne = try await wrk("http://127.0.0.1:\(gatewayClient.port!)\(path)", token: token, seconds: seconds, connections: 1)
                        return [
                            line("upstream_direct", direct, connections), line("nginx", viaNginx, connections), line("cairn_gateway", viaGateway, connections),
                            line("nio_floor", viaFloor, connections), line("nio_floor_without_redis", viaBareFloor, connections),
                            line("cairn_gateway_health_only", health, connections),
                            line("upstream_direct", directOne, 1), line("nginx", nginxOne, 1), line("cairn_gateway", gatewayOne, 1),
                            Bench.line([
                                "bench": "gateway_proxy", "ratio_cairn_to_nginx": ratio(viaGateway, viaNginx),
                                "ratio_nio_floor_to_nginx": ratio(viaFloor, viaNginx),
                                "ratio_nio_floor_without_redis_to_nginx": ratio(viaBareFloor, viaNginx),
                                "cairn_added_p50_us": micros(viaGateway.p50 - direct.p50), "cairn_added_p99_us": micros(viaGateway.p99 - direct.p99),
                                "nginx_added_p50_us": micros(viaNginx.p50 - direct.p50), "nginx_added_p99_us": micros(viaNginx.p99 - direct.p99),
                                "light_load_cairn_added_p50_us": micros(gatewayOne.p50 - directOne.p50),
                                "light_load_cairn_added_p99_us": micros(gatewayOne.p99 - directOne.p99),
                                "light_load_nginx_added_p50_us": micros(nginxOne.p50 - directOne.p50),
                                "light_load_nginx_added_p99_us": micros(nginxOne.p99 - directOne.p99),
                            ]),
                        ]
                    }
                }
            }
        }
    }

    /// wrk through a ``FloorProxy`` started for the phase.
    static func floor(upstreamPort: Int, token: String, decide: Bool, path: String, seconds: Int, connections: Int) async throws -> WrkResult {
        let floor = try await FloorProxy.start(redisHost: TestInfra.redis.host, redisPort: TestInfra.redis.port, upstreamPort: upstreamPort,
                                               tokens: [token], decide: decide)
        defer { floor.close(promise: nil) }
        return try await wrk("http://127.0.0.1:\(floor.localAddress!.port!)\(path)", token: token, seconds: seconds, connections: connections)
    }

    static func line(_ client: String, _ result: WrkResult, _ connections: Int) -> String {
        Bench.line(["bench": "gateway_proxy", "client": client, "requests_per_s": Bench.rounded(result.rate),
                    "p50_us": micros(result.p50), "p99_us": micros(result.p99), "connections": connections])
    }

    /// Throughput of `a` over `b`, to two places.
    static func ratio(_ a: WrkResult, _ b: WrkResult) -> Double { (a.rate / b.rate * 100).rounded() / 100 }

    static func micros(_ milliseconds: Double) -> Int { Int((milliseconds * 1000).rounded()) }

    /// Answers every GET with a small JSON document.
    static func upstream() -> some ApplicationProtocol {
        let router = Router()
        let body = ByteBuffer(string: #"{"plans":[{"name":"free","price_cents":0}]}"#)
        router.get("**") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func gatewayConfig(authPort: Int, upstreamPort: Int) throws -> GatewayConfig {
        let unlimited = "general=100000000/100000000/100000000,chat=100000000/100000000/100000000,search=100000000/100000000/100000000"
        return try GatewayService.configuration(environment: TestInfra.serviceEnvironment(overrides: [
            "CAIRN_AUTH_URL": "http://127.0.0.1:\(authPort)", "CAIRN_SERVICE_CLIENT_SECRET": serviceSecret,
            "CAIRN_BILLING_URL": "http://127.0.0.1:\(upstreamPort)", "CAIRN_GATEWAY_FALLBACK_RATE_LIMITS": unlimited,
            "CAIRN_GATEWAY_PLAN_CACHE_SECONDS": "3600",
        ]))
    }

    /// A fresh organisation's access token.
    static func register(authPort: Int) async throws -> String {
        let body = try JSONSerialization.data(withJSONObject: [
            "organisation": "Bench", "email": "bench-\(TestInfra.uniqueSuffix())@example.com", "password": password,
        ])
        let reply = try await TestClient.withClient(host: "127.0.0.1", port: authPort) { client in
            try await client.post("/v1/auth/register", headers: [.contentType: "application/json"], body: ByteBuffer(bytes: body))
        }
        let json = try JSONSerialization.jsonObject(with: Data(buffer: reply.body ?? ByteBuffer())) as? [String: Any]
        guard let token = (json?["tokens"] as? [String: Any])?["access_token"] as? String else { throw BenchFailed("registration: \(json ?? [:])") }
        return token
    }

    /// `wrk --latency` against `url`; requests per second and p50/p99 in milliseconds.
    static func wrk(_ url: String, token: String?, seconds: Int, connections: Int) async throws -> WrkResult {
        var arguments = ["-t\(min(2, connections))", "-c\(connections)", "-d\(seconds)s", "--latency"]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        let (status, output) = try await runProcess(URL(fileURLWithPath: "/usr/bin/wrk"), arguments + [url])
        guard status == 0 else { throw BenchFailed("wrk exited with \(status): \(output)") }
        guard !output.contains("Non-2xx"), let rate = number(after: "Requests/sec:", in: output),
              let p50 = latency("50%", in: output), let p99 = latency("99%", in: output) else {
            throw BenchFailed("wrk \(url): \(output)")
        }
        return WrkResult(rate: rate, p50: p50, p99: p99)
    }

    static func number(after label: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.contains(label) }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    /// A latency line of wrk's distribution (`50%  1.23ms`) in milliseconds.
    static func latency(_ label: String, in text: String) -> Double? {
        guard let line = text.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }),
              let value = line.split(separator: " ").last else { return nil }
        for (unit, factor) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where value.hasSuffix(unit) {
            return Double(value.dropLast(unit.count)).map { $0 * factor }
        }
        return nil
    }
}

struct BenchFailed: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// nginx (Debian) proxying to the upstream with keep-alive connections, two workers (the
/// machine's cores), no access log: the reference proxy.
final class Nginx {
    let port: Int
    private let process = Process()
    private let directory: URL

    init(upstreamPort: Int) throws {
        port = try freePort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-nginx-\(TestInfra.uniqueSuffix())")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("logs"), withIntermediateDirectories: true)
        let config = """
        worker_processes 2;
        daemon off;
        pid \(directory.path)/nginx.pid;
        error_log \(directory.path)/logs/error.log error;
        events { worker_connections 1024; }
        http {
            access_log off;
            client_body_temp_path \(directory.path)/body;
            proxy_temp_path \(directory.path)/proxy;
            fastcgi_temp_path \(directory.path)/fastcgi;
            uwsgi_temp_path \(directory.path)/uwsgi;
            scgi_temp_path \(directory.path)/scgi;
            upstream backend { server 127.0.0.1:\(upstreamPort); keepalive 64; }
            server {
                listen 127.0.0.1:\(port);
                location / {
                    proxy_pass http://backend;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header X-Forwarded-For $remote_addr;
                }
            }
        }
        """
        let file = directory.appendingPathComponent("nginx.conf")
        try config.write(to: file, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        process.arguments = ["-c", file.path, "-p", directory.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 0.5)
        guard process.isRunning else { throw BenchFailed("nginx did not start; see \(directory.path)/logs/error.log") }
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}
