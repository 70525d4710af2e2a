import Foundation
import Hummingbird
import HummingbirdCore
import NIOCore
import Logging
import ServiceLifecycle

/// The one place the wiring every service shares is done: middleware (request id, metrics,
/// error shape, body limit, in that order from the outside in), `/health`, `/ready`, `/metrics`,
/// readiness checks for the dependencies the configuration names, and the components' services
/// and start-up steps. Services add only their own routes.
///
/// `outerMiddleware` is added outside the error middleware, so it sees every answer, errors
/// included (the gateway's security headers). With a `metricsPort`, `/metrics` is served only there (an admin listener beside `/health`),
/// not on the main port: the public gateway keeps its internals off the internet.
public enum ServiceApplication {
    /// Builds the server from the kit's HTTP/1.1 settings (e.g. one that also upgrades to WebSocket).
    public struct HTTPServerFactory {
        let make: (HTTP1Channel.Configuration) -> HTTPServerBuilder
        public init(_ make: @escaping (HTTP1Channel.Configuration) -> HTTPServerBuilder) { self.make = make }
    }

    public static func build<Context: CairnRequestContext>(
        config: ServiceConfig,
        context: Context.Type,
        logger: Logger,
        components: [ServiceComponent] = [],
        metricsPort: Int? = nil,
        outerMiddleware: [OuterMiddleware<Context>] = [],
        server makeServer: HTTPServerFactory? = nil,
        routes: (Router<Context>) -> Void = { _ in }
    ) -> some ApplicationProtocol where Context.Source == ApplicationRequestContextSource {
        CairnMetrics.bootstrap()
        let checks = components.flatMap(\.checks) + dependencyChecks(config)

        let router = Router(context: Context.self)
        router.add(middleware: RequestIDMiddleware<Context>())
        router.add(middleware: HTTPMetricsMiddleware<Context>())
        for middleware in outerMiddleware { middleware.add(router) }
        router.add(middleware: ErrorMiddleware<Context>())
        router.add(middleware: BodyLimitMiddleware<Context>(limit: config.http.maxBodyBytes))
        // A service with an admin port faces the internet: its readiness answer names no errors.
        addOperationalRoutes(to: router, checks: checks, metrics: metricsPort == nil, redactReadiness: metricsPort != nil)
        routes(router)

        var app = Application(
            router: router,
            // A service may wrap the HTTP/1.1 server (chat-orchestrator: WebSocket upgrades).
            server: makeServer?.make(http1Configuration(config.http)) ?? server(config.http),
            configuration: .init(
                address: .hostname(config.http.host, port: config.http.port),
                availableConnectionsDelegate: .maximum(config.http.maxConnections, logger: logger)
            ),
            onServerRunning: { channel in
                logger.info("listening", metadata: ["address": "\(channel.localAddress?.description ?? "?")"])
            },
            logger: logger
        )
        if let metricsPort { app.addServices(adminApplication(host: config.http.host, port: metricsPort, logger: logger)) }
        for component in components {
            app.addServices(component.services)
            for step in component.beforeServerStarts { app.beforeServerStarts(perform: step) }
        }
        return app
    }

    /// Redis and Kafka are probed at the protocol level; Postgres comes as a component because
    /// the service also uses its client.
    /// The same, for services that need no request state beyond the kit's.
    public static func build(
        config: ServiceConfig, logger: Logger, components: [ServiceComponent] = [],
        routes: (Router<ServiceRequestContext>) -> Void = { _ in }
    ) -> some ApplicationProtocol {
        build(config: config, context: ServiceRequestContext.self, logger: logger, components: components, metricsPort: nil, routes: routes)
    }

    static func dependencyChecks(_ config: ServiceConfig) -> [any ReadinessCheck] {
        var checks: [any ReadinessCheck] = []
        if let redis = config.redis { checks.append(RedisPingCheck(settings: redis)) }
        if let kafka = config.kafka { checks.append(KafkaBrokerCheck(settings: kafka)) }
        return checks
    }

    /// HTTP/1.1 with the configured header limit and idle timeout (slow or stalled clients).
    static func server(_ http: HTTPSettings) -> HTTPServerBuilder {
        .http1(configuration: http1Configuration(http))
    }

    static func http1Configuration(_ http: HTTPSettings) -> HTTP1Channel.Configuration {
        .init(
            idleTimeout: .seconds(Int64(http.idleTimeoutSeconds)),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: http.maxHeaderBytes, maxHeaderListSize: http.maxHeaderBytes, maxHeaderFieldCount: 200)
        )
    }

    /// The admin listener: `/health` and `/metrics`.
    static func adminApplication(host: String, port: Int, logger: Logger) -> some ApplicationProtocol {
        let router = Router(context: ServiceRequestContext.self)
        addOperationalRoutes(to: router, checks: [], metrics: true, readiness: false)
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in logger.info("admin listening", metadata: ["address": "\(channel.localAddress?.description ?? "?")"]) },
            logger: logger
        )
    }

    static func addOperationalRoutes<Context: CairnRequestContext>(
        to router: Router<Context>, checks: [any ReadinessCheck], metrics: Bool = true, readiness: Bool = true, redactReadiness: Bool = false
    ) {
        router.get("/health") { _, _ in
            jsonResponse(.ok, ["status": "ok"])
        }
        if readiness { addReadinessRoute(to: router, checks: ReadinessCache(checks: checks), redacted: redactReadiness) }
        if metrics {
            router.get("/metrics") { _, _ in
                var headers = HTTPFields()
                headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: CairnMetrics.exposition())))
            }
        }
    }

    static func addReadinessRoute<Context: CairnRequestContext>(to router: Router<Context>, checks: ReadinessCache, redacted: Bool) {
        router.get("/ready") { _, context in
            var report = await checks.report()
            if !report.isReady {
                context.logger.warning("not ready", metadata: ["failing": "\(report.failing.joined(separator: ","))"])
            }
            if redacted { report.checks = report.checks.map { .init(name: $0.name, ok: $0.ok, error: nil) } }
            return jsonResponse(report.isReady ? .ok : .serviceUnavailable, report)
        }
    }

    static func jsonResponse(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data()
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// A middleware for ``ServiceApplication/build(config:context:logger:components:metricsPort:outerMiddleware:routes:)``
/// to put outside the error middleware. (A struct, not a closure: a closure parameter here
/// would capture the caller's trailing `routes` closure.)
public struct OuterMiddleware<Context: CairnRequestContext> {
    let add: (Router<Context>) -> Void

    public init<Middleware: RouterMiddleware>(_ middleware: Middleware) where Middleware.Context == Context {
        add = { router in router.add(middleware: middleware) }
    }
}
