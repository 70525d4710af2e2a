import AuthApp
import CairnTesting
import Foundation
import HummingbirdBcrypt
import HummingbirdTesting
import Logging
import NIOCore
import NIOPosix

/// Login throughput through the real auth app (router, Postgres, bcrypt at cost 12, token
/// signing, audit write), beside the bound it cannot beat: bare bcrypt verifications per second
/// on the same cores, measured in the same run.
enum LoginBench {
    static let password = "quartz-Lantern-2026"

    static func run(seconds: Double, concurrency: Int = 4) async throws -> [String] {
        let bcrypt = try await bareBcrypt(seconds: seconds, concurrency: concurrency)
        let login = try await logins(seconds: seconds, concurrency: concurrency)
        return [
            Bench.line(["bench": "auth_login", "client": "cairn", "logins_per_s": Bench.rounded(login.rate), "p50_ms": Bench.rounded(login.p50),
                        "p99_ms": Bench.rounded(login.p99), "bcrypt_cost": 12, "concurrency": concurrency]),
            Bench.line(["bench": "auth_login", "client": "bare_bcrypt_verify", "verifications_per_s": Bench.rounded(bcrypt), "bcrypt_cost": 12,
                        "concurrency": concurrency]),
            Bench.line(["bench": "auth_login", "ratio_login_to_bcrypt": (login.rate / bcrypt * 100).rounded() / 100]),
        ]
    }

    /// Verifications of one cost-12 hash per second, `concurrency` threads at once.
    static func bareBcrypt(seconds: Double, concurrency: Int) async throws -> Double {
        let hash = Bcrypt.hash(password, cost: 12)
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let start = ContinuousClock.now
        let count = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var done = 0
                    while ContinuousClock.now < deadline {
                        _ = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
                        done += 1
                    }
                    return done
                }
            }
            return try await group.reduce(0, +)
        }
        return Double(count) / Bench.seconds(since: start)
    }

    static func logins(seconds: Double, concurrency: Int) async throws -> (rate: Double, p50: Double, p99: Double) {
        try await TestDatabase.withFresh(prefix: "bench_auth") { database in
            let environment = TestInfra.serviceEnvironment(database: database.database, overrides: [
                "CAIRN_AUTH_AUDIT_GROUP": "bench-audit-\(TestInfra.uniqueSuffix())",
            ])
            let config = try AuthService.configuration(environment: environment)
            var logger = Logger(label: "bench")
            logger.logLevel = .error
            let app = try await AuthService.buildApplication(config: config, logger: logger)
            return try await app.test(.router) { client in
                let email = "bench@example.com"
                let register = try JSONSerialization.data(withJSONObject: ["organisation": "Bench", "email": email, "password": password])
                var slug = ""
                try await client.execute(uri: "/v1/auth/register", method: .post, body: ByteBuffer(bytes: register)) { response in
                    let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                    slug = ((json?["tenant"] as? [String: Any])?["slug"] as? String) ?? ""
                }
                let login = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: ["tenant": slug, "email": email, "password": password]))
                let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
                let start = ContinuousClock.now
                let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
                    for _ in 0..<concurrency {
                        group.addTask {
                            var mine: [Double] = []
                            while ContinuousClock.now < deadline {
                                let began = ContinuousClock.now
                                let status = try await client.execute(uri: "/v1/auth/login", method: .post, body: login) { $0.status }
                                guard status == .ok else { throw Bench.ToolFailed(tool: "login", status: Int32(status.code)) }
                                mine.append(Bench.seconds(since: began) * 1000)
                            }
                            return mine
                        }
                    }
                    return try await group.reduce([], +).sorted()
                }
                let elapsed = Bench.seconds(since: start)
                return (Double(latencies.count) / elapsed, Bench.percentile(latencies, 0.5), Bench.percentile(latencies, 0.99))
            }
        }
    }
}
