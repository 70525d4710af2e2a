import Foundation
import Logging

/// The configuration every Cairn service shares: HTTP, logging and the connection settings of
/// whichever of Postgres, Redis and Kafka it uses. Services with keys of their own read them
/// from the same ``ConfigReader`` so that one start-up error lists everything.
///
/// Keys (all `CAIRN_`-prefixed; see README "Configuration"):
/// `HTTP_HOST`, `HTTP_PORT`, `LOG_LEVEL`, `MAX_BODY_BYTES`, `MAX_HEADER_BYTES`,
/// `HTTP_IDLE_TIMEOUT_SECONDS`, `SHUTDOWN_GRACE_SECONDS`,
/// plus `POSTGRES_*`, `REDIS_*`, `KAFKA_*` for the dependencies the service declares.
public struct ServiceConfig: Sendable {
    /// What a service depends on; each adds its keys and its readiness check.
    public enum Dependency: Sendable, Hashable {
        /// Postgres, with the service's own database name as the default.
        case postgres(database: String)
        case redis
        case kafka
    }

    /// The service's name (`gateway`, `vector-search`, ...), used in logs and metrics.
    public var serviceName: String
    public var http: HTTPSettings
    public var logLevel: Logger.Level
    public var postgres: PostgresSettings?
    public var redis: RedisSettings?
    public var kafka: KafkaSettings?

    /// Reads the shared keys; problems are recorded in `reader`.
    public init(
        serviceName: String, defaultPort: Int, dependencies: Set<Dependency>, reader: inout ConfigReader
    ) {
        self.serviceName = serviceName
        self.http = HTTPSettings(reader: &reader, defaultPort: defaultPort)
        self.logLevel = reader.oneOf("CAIRN_LOG_LEVEL", default: Logger.Level.info)
        for dependency in dependencies.sorted(by: { "\($0)" < "\($1)" }) {
            switch dependency {
            case .postgres(let database): postgres = PostgresSettings(reader: &reader, defaultDatabase: database)
            case .redis: redis = RedisSettings(reader: &reader)
            case .kafka: kafka = KafkaSettings(reader: &reader)
            }
        }
    }

    /// Reads the shared keys from `environment` and throws every problem at once.
    public init(
        serviceName: String, defaultPort: Int, dependencies: Set<Dependency>, environment: [String: String]
    ) throws(ConfigurationError) {
        var reader = ConfigReader(environment: environment)
        self.init(serviceName: serviceName, defaultPort: defaultPort, dependencies: dependencies, reader: &reader)
        try reader.finish()
    }
}

/// The HTTP server's settings.
public struct HTTPSettings: Sendable {
    /// Bind address; `127.0.0.1` locally, `0.0.0.0` in containers.
    public var host: String
    /// Bind port; 0 picks a free port (tests).
    public var port: Int
    /// Largest request body accepted (413 above it).
    public var maxBodyBytes: Int
    /// Largest request head (all header fields together); the connection is refused above it.
    public var maxHeaderBytes: Int
    /// A connection with nothing read or written for this long is closed (slow or idle clients).
    public var idleTimeoutSeconds: Int
    /// At most this many client connections are open at once; past it new ones wait in the
    /// kernel's accept queue until one closes (a flood cannot exhaust the process's sockets).
    public var maxConnections: Int
    /// How long in-flight work may take to drain after SIGTERM before it is cancelled.
    public var shutdownGraceSeconds: Int

    public init(
        host: String = "127.0.0.1", port: Int, maxBodyBytes: Int = 1 << 20, maxHeaderBytes: Int = 32 * 1024,
        idleTimeoutSeconds: Int = 60, maxConnections: Int = 10_000, shutdownGraceSeconds: Int = 10
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.maxConnections = maxConnections
        self.shutdownGraceSeconds = shutdownGraceSeconds
    }

    init(reader: inout ConfigReader, defaultPort: Int) {
        self.init(
            host: reader.string("CAIRN_HTTP_HOST", default: "127.0.0.1"),
            port: reader.port("CAIRN_HTTP_PORT", default: defaultPort, allowZero: true),
            maxBodyBytes: reader.int("CAIRN_MAX_BODY_BYTES", default: 1 << 20, range: 1_024...(1 << 30)),
            maxHeaderBytes: reader.int("CAIRN_MAX_HEADER_BYTES", default: 32 * 1024, range: 4_096...(1 << 20)),
            idleTimeoutSeconds: reader.int("CAIRN_HTTP_IDLE_TIMEOUT_SECONDS", default: 60, range: 1...3_600),
            maxConnections: reader.int("CAIRN_HTTP_MAX_CONNECTIONS", default: 10_000, range: 1...1_000_000),
            shutdownGraceSeconds: reader.int("CAIRN_SHUTDOWN_GRACE_SECONDS", default: 10, range: 1...600)
        )
    }
}

/// How to reach Postgres. The client itself lives in `CairnPostgres`.
public struct PostgresSettings: Sendable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Plain TCP (local development only).
        case disable
        /// Encrypted, but the server certificate is not verified.
        case require
        /// Encrypted, certificate chain and host name verified.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// CA bundle (PEM) for `verify-full`; the system roots when absent.
    public var caFile: String?

    public init(
        host: String, port: Int = 5432, user: String = "cairn", password: String? = nil, database: String,
        tls: TLSMode = .disable, caFile: String? = nil
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.tls = tls
        self.caFile = caFile
    }

    init(reader: inout ConfigReader, defaultDatabase: String) {
        self.init(
            host: reader.string("CAIRN_POSTGRES_HOST"),
            port: reader.port("CAIRN_POSTGRES_PORT", default: 5432),
            user: reader.string("CAIRN_POSTGRES_USER", default: "cairn"),
            password: reader.optionalString("CAIRN_POSTGRES_PASSWORD"),
            database: reader.string("CAIRN_POSTGRES_DATABASE", default: defaultDatabase),
            tls: reader.oneOf("CAIRN_POSTGRES_TLS", default: TLSMode.disable),
            caFile: reader.optionalString("CAIRN_POSTGRES_TLS_CA_FILE")
        )
    }

    /// Never includes the password.
    public var description: String { "postgres://\(user)@\(Endpoint(host: host, port: port))/\(database) tls=\(tls.rawValue)" }
}

/// How to reach Redis.
public struct RedisSettings: Sendable, CustomStringConvertible {
    public var endpoint: Endpoint
    public var password: String?

    public init(endpoint: Endpoint, password: String? = nil) {
        self.endpoint = endpoint
        self.password = password
    }

    init(reader: inout ConfigReader) {
        self.init(
            endpoint: Endpoint(host: reader.string("CAIRN_REDIS_HOST"), port: reader.port("CAIRN_REDIS_PORT", default: 6379)),
            password: reader.optionalString("CAIRN_REDIS_PASSWORD")
        )
    }

    /// Never includes the password.
    public var description: String { "redis://\(endpoint)" }
}

/// How to reach the Kafka cluster.
public struct KafkaSettings: Sendable, CustomStringConvertible {
    /// Bootstrap brokers.
    public var brokers: [Endpoint]
    /// librdkafka properties passed through unchanged (`security.protocol`, `sasl.*`, `ssl.*`...),
    /// from `CAIRN_KAFKA_OPT_<NAME>` where NAME is the property with dots as underscores:
    /// `CAIRN_KAFKA_OPT_SASL_MECHANISMS=SCRAM-SHA-512` sets `sasl.mechanisms`.
    public var properties: [String: String]

    /// The environment prefix of pass-through librdkafka properties.
    public static let propertyPrefix = "CAIRN_KAFKA_OPT_"

    public init(brokers: [Endpoint], properties: [String: String] = [:]) {
        self.brokers = brokers
        self.properties = properties
    }

    init(reader: inout ConfigReader) {
        var properties: [String: String] = [:]
        for (key, value) in reader.environment where key.hasPrefix(Self.propertyPrefix) && key.count > Self.propertyPrefix.count {
            properties[key.dropFirst(Self.propertyPrefix.count).lowercased().replacingOccurrences(of: "_", with: ".")] = value
        }
        self.init(brokers: reader.endpoints("CAIRN_KAFKA_BROKERS"), properties: properties)
    }

    /// Brokers and the names (never the values) of pass-through properties.
    public var description: String {
        brokers.map(\.description).joined(separator: ",")
            + (properties.isEmpty ? "" : " properties=" + properties.keys.sorted().joined(separator: ","))
    }
}
