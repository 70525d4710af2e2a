import CairnAuthKit
import CairnBillingAPI
import Foundation
import ServiceKit

/// Everything the gateway reads at start-up: the shared keys, how to reach auth, where each
/// upstream service lives, and the edge's own limits (README "Gateway").
public struct GatewayConfig: ServiceConfigurable {
    public var service: ServiceConfig
    public var auth: AuthClientSettings
    /// Base URL of each upstream (`CAIRN_<NAME>_URL`), without a trailing slash.
    public var upstreams: [Upstream: String]
    /// Port of the admin listener serving `/metrics` (never exposed publicly); 0 picks one.
    public var adminPort: Int
    /// Origins allowed to call the API from a browser; empty: no CORS headers at all.
    public var corsOrigins: Set<String>
    /// Send `Strict-Transport-Security` (set when TLS is terminated in front of the gateway).
    public var hsts: Bool
    /// How many proxies in front of the gateway append to `X-Forwarded-For` (0: use the peer).
    public var trustedProxyHops: Int
    /// How long an API key's introspection is cached: a deleted key works at most this long.
    public var apiKeyCacheTTL: Duration
    /// How long billing's "allowed" quota answers are reused.
    public var quotaCacheTTL: Duration
    /// How long a tenant's plan (its rate limits) is reused.
    public var planCacheTTL: Duration
    /// The limits applied when billing cannot say what a tenant's plan is.
    public var fallbackRateLimits: RateLimits
    /// Per client address, for the routes that need no identity (login, register, refresh).
    public var anonymousPerMinute: Int
    /// Bodies of upload routes may be this large (other routes: `CAIRN_MAX_BODY_BYTES`).
    public var uploadMaxBytes: Int
    /// How many requests of one tenant one replica forwards at once, streams included.
    public var tenantMaxInFlight: Int
    /// Folder of the web UI's static files; served at `/` when it exists.
    public var webRoot: String

    public init(environment: [String: String]) throws(ConfigurationError) {
        var reader = ConfigReader(environment: environment)
        service = GatewayService.serviceConfig(reader: &reader)
        auth = AuthClientSettings(reader: &reader, serviceName: GatewayService.name, requireSecret: true)
        upstreams = [:]
        for upstream in Upstream.allCases {
            upstreams[upstream] = upstream == .auth ? auth.baseURL : Self.url(upstream, reader: &reader)
        }
        adminPort = reader.port("CAIRN_GATEWAY_ADMIN_PORT", default: 9080, allowZero: true)
        corsOrigins = Set((reader.optionalString("CAIRN_GATEWAY_CORS_ORIGINS") ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty })
        for origin in corsOrigins where !Self.isOrigin(origin) {
            reader.report("CAIRN_GATEWAY_CORS_ORIGINS", "\(origin.prefix(80)) is not an origin (scheme://host[:port], no path, not null or *)")
        }
        hsts = reader.string("CAIRN_GATEWAY_HSTS", default: "false") == "true"
        trustedProxyHops = reader.int("CAIRN_GATEWAY_TRUSTED_PROXY_HOPS", default: 0, range: 0...5)
        apiKeyCacheTTL = .seconds(reader.int("CAIRN_GATEWAY_API_KEY_CACHE_SECONDS", default: 30, range: 1...300))
        quotaCacheTTL = .seconds(reader.int("CAIRN_GATEWAY_QUOTA_CACHE_SECONDS", default: 5, range: 1...60))
        planCacheTTL = .seconds(reader.int("CAIRN_GATEWAY_PLAN_CACHE_SECONDS", default: 60, range: 1...3_600))
        let limits = reader.string("CAIRN_GATEWAY_FALLBACK_RATE_LIMITS", default: RateLimits.freePlan.description)
        fallbackRateLimits = RateLimits(parsing: limits) ?? .freePlan
        if RateLimits(parsing: limits) == nil {
            reader.report("CAIRN_GATEWAY_FALLBACK_RATE_LIMITS", "expected general=PER_MIN/BURST/TENANT_PER_MIN,chat=...,search=...")
        }
        anonymousPerMinute = reader.int("CAIRN_GATEWAY_ANONYMOUS_PER_MINUTE", default: 30, range: 1...1_000_000)
        uploadMaxBytes = reader.int("CAIRN_GATEWAY_UPLOAD_MAX_BYTES", default: 50 << 20, range: 1_024...(1 << 32))
        tenantMaxInFlight = reader.int("CAIRN_GATEWAY_TENANT_MAX_IN_FLIGHT", default: 256, range: 1...100_000)
        webRoot = reader.string("CAIRN_GATEWAY_WEB_ROOT", default: "web")
        try reader.finish()
    }

    /// `https://app.example.com` or `http://localhost:3000`: what a browser sends as `Origin`.
    static func isOrigin(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else { return false }
        return url.path.isEmpty && url.query == nil && url.fragment == nil && !text.hasSuffix("/")
    }

    private static func url(_ upstream: Upstream, reader: inout ConfigReader) -> String {
        let key = "CAIRN_\(upstream.rawValue.uppercased().replacingOccurrences(of: "-", with: "_"))_URL"
        return reader.baseURL(key, default: "http://127.0.0.1:\(upstream.defaultPort)")
    }
}

/// The internal services the gateway forwards to.
public enum Upstream: String, Sendable, CaseIterable {
    case auth, billing, ingestion, embedding
    case vectorSearch = "vector-search"
    case generation
    case chatOrchestrator = "chat-orchestrator"

    var defaultPort: Int {
        switch self {
        case .auth: 8081
        case .billing: 8082
        case .ingestion: 8083
        case .embedding: 8084
        case .vectorSearch: 8085
        case .generation: 8086
        case .chatOrchestrator: 8087
        }
    }
}
