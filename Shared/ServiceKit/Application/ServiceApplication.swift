import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// The one place the wiring every service shares is done: middleware (request id, metrics,
/// error shape, body limit, in that order from the outside in), `/health`, `/ready`, `/metrics`,
/// readiness checks for the dependencies the configuration names, and the components' services
/// and start-up steps. Services add only their own routes.
public enum ServiceApplication {
    public static func build<Context: CairnRequestContext>(
        config: ServiceConfig,
        context: Context.Type,
        logger: Logger,
        components: [ServiceComponent] = [],
        routes: (Router<Context>) -> Void = { _ in }
    ) -> some ApplicationProtocol where Context.Source == ApplicationRequestContextSource {
        CairnMetrics.bootstrap()
        let checks = components.flatMap(\.checks) + dependencyChecks(config)

        let router = Router(context: Context.self)
        router.add(middleware: RequestIDMiddleware<Context>())
        router.add(middleware: HTTPMetricsMiddleware<Context>())
        router.add(middleware: ErrorMiddleware<Context>())
        router.add(middleware: BodyLimitMiddleware<Context>(limit: config.http.maxBodyBytes))
        addOperationalRoutes(to: router, checks: checks)
        routes(router)

        var app = Application(
            router: router,
            configuration: .init(address: .hostname(config.http.host, port: config.http.port)),
            onServerRunning: { channel in
                logger.info("listening", metadata: ["address": "\(channel.localAddress?.description ?? "?")"])
            },
            logger: logger
        )
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
        build(config: config, context: ServiceRequestContext.self, logger: logger, components: components, routes: routes)
    }

    static func dependencyChecks(_ config: ServiceConfig) -> [any ReadinessCheck] {
        var checks: [any ReadinessCheck] = []
        if let redis = config.redis { checks.append(RedisPingCheck(settings: redis)) }
        if let kafka = config.kafka { checks.append(KafkaBrokerCheck(settings: kafka)) }
        return checks
    }

    static func addOperationalRoutes<Context: CairnRequestContext>(to router: Router<Context>, checks: [any ReadinessCheck]) {
        router.get("/health") { _, _ in
            jsonResponse(.ok, ["status": "ok"])
        }
        router.get("/ready") { _, context in
            let report = await ReadinessReport.run(checks)
            if !report.isReady {
                context.logger.warning("not ready", metadata: ["failing": "\(report.failing.joined(separator: ","))"])
            }
            return jsonResponse(report.isReady ? .ok : .serviceUnavailable, report)
        }
        router.get("/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: CairnMetrics.exposition())))
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
