import Foundation
import Logging
import ServiceKit

/// Where the test suite finds the Postgres, Redis and Kafka that `make test` started
/// (`deploy/local/env.sh` exports these; the defaults match it).
public enum TestInfra {
    public static let environment = ProcessInfo.processInfo.environment

    public static var postgresHost: String { environment["CAIRN_POSTGRES_HOST"] ?? "127.0.0.1" }
    public static var postgresPort: Int { environment["CAIRN_POSTGRES_PORT"].flatMap(Int.init) ?? 55432 }
    public static var postgresUser: String { environment["CAIRN_POSTGRES_USER"] ?? "cairn" }
    public static var redis: Endpoint {
        Endpoint(host: environment["CAIRN_REDIS_HOST"] ?? "127.0.0.1", port: environment["CAIRN_REDIS_PORT"].flatMap(Int.init) ?? 56379)
    }
    public static var kafkaBrokers: String { environment["CAIRN_KAFKA_BROKERS"] ?? "127.0.0.1:59092" }
    /// The all-MiniLM-L6-v2 files (`deploy/local/env.sh` finds them in the venv); empty when unknown.
    public static var modelDirectory: String { environment["CAIRN_MODEL_DIR"] ?? "" }

    /// The environment a service under test reads: the local infrastructure, port 0, and
    /// `overrides` on top.
    /// A random key-encryption key for auth, fresh per test process.
    public static let testKeyEncryptionKey = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()

    public static func serviceEnvironment(database: String? = nil, overrides: [String: String] = [:]) -> [String: String] {
        var env = [
            "CAIRN_HTTP_HOST": "127.0.0.1",
            "CAIRN_HTTP_PORT": "0",
            "CAIRN_POSTGRES_HOST": postgresHost,
            "CAIRN_POSTGRES_PORT": "\(postgresPort)",
            "CAIRN_POSTGRES_USER": postgresUser,
            "CAIRN_REDIS_HOST": redis.host,
            "CAIRN_REDIS_PORT": "\(redis.port)",
            "CAIRN_KAFKA_BROKERS": kafkaBrokers,
            "CAIRN_AUTH_KEY_ENCRYPTION_KEY": testKeyEncryptionKey,
            "CAIRN_SERVICE_CLIENT_SECRET": "test-service-secret-0123456789",
            "CAIRN_GATEWAY_ADMIN_PORT": "0",
            "CAIRN_MODEL_DIR": modelDirectory,
        ]
        // The repo-local librdkafka (env.sh) for executables that link it.
        if let libraries = environment["LD_LIBRARY_PATH"] { env["LD_LIBRARY_PATH"] = libraries }
        if let database { env["CAIRN_POSTGRES_DATABASE"] = database }
        env.merge(overrides) { _, new in new }
        return env
    }

    /// A logger writing JSON lines into `capture` (or nowhere).
    public static func logger(_ label: String = "test", capture: LogCapture? = nil, level: Logger.Level = .debug) -> Logger {
        var logger = Logger(label: label) { label in
            JSONLogHandler(label: label, service: "test", level: level, sink: capture?.sink ?? LogSink { _ in })
        }
        logger.logLevel = level
        return logger
    }

    /// Where SwiftPM put this build's executables (beside the test bundle), for tests that run
    /// the real binaries.
    public static var binDirectory: URL {
        URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent()
    }

    /// A unique, lowercase, identifier-safe suffix for names of test databases, tenants, topics.
    public static func uniqueSuffix() -> String {
        String(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12))
    }
}
