import AsyncHTTPClient
import CairnAuthKit
import CairnRedis
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import ServiceKit

/// The gateway: the one public door. Authentication, rate limits, quotas, routing to the
/// services behind it, edge headers, the OpenAPI document (README "Gateway").
public enum GatewayService: CairnService {
    public static let name = "gateway"
    public static let defaultPort = 8080
    public static let dependencies: Set<ServiceConfig.Dependency> = [.redis]

    public static func configuration(environment: [String: String]) throws(ConfigurationError) -> GatewayConfig {
        try GatewayConfig(environment: environment)
    }

    public static func buildApplication(config: GatewayConfig, logger: Logger) async throws -> some ApplicationProtocol {
        try await build(config: config, logger: logger, routes: PublicRoute.all)
    }

    /// The application over `routes` (the public table; tests add routes of their own).
    static func build(config: GatewayConfig, logger: Logger, routes: [PublicRoute]) async throws -> some ApplicationProtocol {
        // One connection thread: the gateway sends only short O(1) commands (the rate-limit script,
        // API-key cache reads), and one thread batches concurrent decisions into fewer round trips
        // and wake-ups than four (8,580 against 6,760 decisions a second in `bench.sh gateway`).
        let redis = RedisClient(
            settings: config.service.redis!, options: .init(poolSize: 1, commandTimeout: .milliseconds(250)), logger: logger
        )
        let upstreamClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: proxyClientConfiguration())
        let caller = ServiceCaller(tokens: ServiceTokenProvider(settings: config.auth, client: upstreamClient), http: upstreamClient)
        let billing = config.upstreams[.billing]!
        let proxy = UpstreamProxy(http: upstreamClient, bases: config.upstreams)
        let edge = GatewayEdge(
            authenticator: EdgeAuthenticator(
                verifier: config.auth.makeVerifier(logger: logger),
                apiKeys: APIKeyResolver(authURL: config.auth.baseURL, caller: caller, redis: redis, ttl: config.apiKeyCacheTTL, logger: logger)
            ),
            limiter: RateLimiter(redis: redis, logger: logger),
            plans: PlanDirectory(billingURL: billing, caller: caller, ttl: config.planCacheTTL, fallback: config.fallbackRateLimits, logger: logger),
            quotas: QuotaGate(billingURL: billing, caller: caller, ttl: config.quotaCacheTTL, logger: logger),
            proxy: proxy,
            inFlight: TenantInFlight(limit: config.tenantMaxInFlight),
            config: config
        )
        // The server takes bodies up to the upload limit; each route then holds to its own.
        var server = config.service
        server.http.maxBodyBytes = max(config.uploadMaxBytes, config.service.http.maxBodyBytes)
        let clients = ServiceComponent(services: [redis, HTTPClientService(client: upstreamClient, pools: Array(proxy.pools.values))])
        // WebSocket upgrades (the chat orchestrator's sockets) are decided by a router of their own.
        let sockets = SocketProxy(edge: edge, http: upstreamClient, orchestrator: config.upstreams[.chatOrchestrator]!)
        let socketRouter = Router(context: GatewayRequestContext.self)
        socketRouter.add(middleware: RequestIDMiddleware<GatewayRequestContext>())
        sockets.addSocketRoutes(PublicRoute.sockets, to: socketRouter)
        return ServiceApplication.build(
            config: server, context: GatewayRequestContext.self, logger: logger, components: [clients], metricsPort: config.adminPort,
            outerMiddleware: [
                .init(AccessLogMiddleware()), .init(EdgeHeadersMiddleware<GatewayRequestContext>(corsOrigins: config.corsOrigins, hsts: config.hsts)),
            ],
            server: .init { http1 in
                .http1WebSocketUpgrade(webSocketRouter: socketRouter, configuration: .init(http1: http1, ws: .init(maxFrameSize: SocketProxy.maxFrameBytes)))
            }
        ) { router in
            sockets.addPlainRoutes(PublicRoute.sockets, to: router)
            addRoutes(routes, to: router, edge: edge, webRoot: config.webRoot)
        }
    }

    static func addRoutes(_ routes: [PublicRoute], to router: Router<GatewayRequestContext>, edge: GatewayEdge, webRoot: String) {
        router.get("/openapi.json") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers[.cacheControl] = "public, max-age=300"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        for route in routes {
            router.on(RouterPath(route.path), method: route.method) { request, context in
                try await edge.handle(request, context: context, route: route)
            }
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: webRoot, isDirectory: &isDirectory), isDirectory.boolValue {
            router.add(middleware: FileMiddleware(webRoot, searchForIndexHtml: true))
        }
    }

    /// The pooled client to the services (and to auth's token exchange): no redirects followed, no decompression, HTTP/1.1,
    /// a short connect and a read timeout that ends a stalled stream.
    static func proxyClientConfiguration() -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(1), read: .seconds(120)),
            // Idle connections are dropped before the services' own 60 s idle timeout closes them
            // under a request.
            connectionPool: .init(idleTimeout: .seconds(50), concurrentHTTP1ConnectionsPerHostSoftLimit: 256),
            decompression: .disabled
        )
        configuration.httpVersion = .http1Only
        configuration.tracing.tracer = nil
        return configuration
    }
}
