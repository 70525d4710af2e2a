import Foundation
import ServiceKit

/// Everything auth reads at start-up: the shared keys plus its own (README "auth").
public struct AuthConfig: ServiceConfigurable {
    public var service: ServiceConfig
    /// `iss` of every token auth signs, and the `aud` it addresses them to.
    public var issuer: String
    public var audience: String
    public var accessTokenLifetime: Duration
    public var refreshTokenLifetime: Duration
    /// Wrong passwords tolerated within `lockoutWindow`; the next one locks the account.
    public var lockoutThreshold: Int
    public var lockoutWindow: Duration
    /// How long a lock lasts unless an admin lifts it first.
    public var lockoutDuration: Duration
    /// bcrypt cost (work factor 2^cost); at least 12.
    public var bcryptCost: Int
    /// 32 bytes that seal signing keys and TOTP secrets at rest (AES-GCM). Never logged.
    public var keyEncryptionKey: Data
    /// The active signing key is replaced once it is this old.
    public var signingKeyRotation: Duration
    /// Service name → client secret, for client-credentials tokens. Never logged.
    public var serviceClients: [String: String]
    public var serviceTokenLifetime: Duration
    /// Whether anyone may create a tenant by registering (otherwise only by invitation).
    public var openRegistration: Bool
    /// A system admin created at start-up when none exists (both keys or neither).
    public var bootstrapAdmin: (email: String, password: String)?
    /// How often the audit outbox is published to Kafka.
    public var auditRelayInterval: Duration
    /// Consumer group of the audit-log consumer (one per deployment).
    public var auditConsumerGroup: String

    public init(environment: [String: String]) throws(ConfigurationError) {
        var reader = ConfigReader(environment: environment)
        service = AuthService.serviceConfig(reader: &reader)
        issuer = reader.string("CAIRN_AUTH_ISSUER", default: "cairn-auth")
        audience = reader.string("CAIRN_AUTH_AUDIENCE", default: "cairn")
        accessTokenLifetime = .seconds(reader.int("CAIRN_AUTH_ACCESS_TOKEN_SECONDS", default: 900, range: 60...3_600))
        refreshTokenLifetime = .seconds(reader.int("CAIRN_AUTH_REFRESH_TOKEN_SECONDS", default: 7 * 86_400, range: 300...90 * 86_400))
        lockoutThreshold = reader.int("CAIRN_AUTH_LOCKOUT_ATTEMPTS", default: 5, range: 1...100)
        lockoutWindow = .seconds(reader.int("CAIRN_AUTH_LOCKOUT_WINDOW_SECONDS", default: 900, range: 10...86_400))
        lockoutDuration = .seconds(reader.int("CAIRN_AUTH_LOCKOUT_SECONDS", default: 900, range: 1...30 * 86_400))
        bcryptCost = reader.int("CAIRN_AUTH_BCRYPT_COST", default: 12, range: 12...16)
        signingKeyRotation = .seconds(reader.int("CAIRN_AUTH_SIGNING_KEY_ROTATION_SECONDS", default: 30 * 86_400, range: 3_600...365 * 86_400))
        serviceTokenLifetime = .seconds(reader.int("CAIRN_AUTH_SERVICE_TOKEN_SECONDS", default: 300, range: 60...3_600))
        openRegistration = reader.string("CAIRN_AUTH_OPEN_REGISTRATION", default: "true") != "false"
        auditRelayInterval = .milliseconds(reader.int("CAIRN_AUTH_AUDIT_RELAY_MS", default: 500, range: 10...60_000))
        auditConsumerGroup = reader.string("CAIRN_AUTH_AUDIT_GROUP", default: "auth-audit")

        keyEncryptionKey = Data()
        let kek = reader.string("CAIRN_AUTH_KEY_ENCRYPTION_KEY")
        if !kek.isEmpty {
            if let bytes = Data(base64Encoded: kek), bytes.count == 32 {
                keyEncryptionKey = bytes
            } else {
                reader.report("CAIRN_AUTH_KEY_ENCRYPTION_KEY", "must be 32 bytes, base64-encoded (openssl rand -base64 32)")
            }
        }
        serviceClients = [:]
        for entry in (reader.optionalString("CAIRN_AUTH_SERVICE_CLIENTS") ?? "").split(separator: ",") {
            let pair = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, !pair[0].isEmpty, pair[1].count >= 16 else {
                reader.report("CAIRN_AUTH_SERVICE_CLIENTS", "entries are name=secret with secrets of at least 16 characters")
                break
            }
            serviceClients[pair[0]] = pair[1]
        }
        switch (reader.optionalString("CAIRN_AUTH_BOOTSTRAP_ADMIN_EMAIL"), reader.optionalString("CAIRN_AUTH_BOOTSTRAP_ADMIN_PASSWORD")) {
        case let (email?, password?): bootstrapAdmin = (email, password)
        case (nil, nil): bootstrapAdmin = nil
        default:
            bootstrapAdmin = nil
            reader.report("CAIRN_AUTH_BOOTSTRAP_ADMIN_PASSWORD", "set both CAIRN_AUTH_BOOTSTRAP_ADMIN_EMAIL and _PASSWORD, or neither")
        }
        try reader.finish()
    }
}
