import Foundation
import Hummingbird
import Logging
import ServiceKit

/// A service-kit application with a few routes that exercise the kit's middleware.
enum TestApp {
    struct SecretFailure: Error, CustomStringConvertible {
        var description: String { "connection string postgres://admin:hunter2@db failed" }
    }

    struct Greeting: Codable {
        var name: String
    }

    struct Appointment: Codable {
        var at: Date
    }

    static func config(_ overrides: [String: String] = [:]) throws -> ServiceConfig {
        try ServiceConfig(serviceName: "test", defaultPort: 0, dependencies: [],
                          environment: ["CAIRN_MAX_BODY_BYTES": "2048"].merging(overrides) { _, new in new })
    }

    static func build(logger: Logger, config: ServiceConfig? = nil, extraRoutes: (Router<ServiceRequestContext>) -> Void = { _ in })
        throws -> some ApplicationProtocol
    {
        ServiceApplication.build(config: try config ?? self.config(), logger: logger) { router in
            router.get("/things/{id}") { _, context in
                "thing \(try context.parameters.require("id"))"
            }
            router.get("/forbidden") { _, _ -> String in
                throw APIError(.forbidden, code: "FORBIDDEN", message: "not yours", details: ["resource": "thing"])
            }
            router.get("/boom") { _, _ -> String in
                throw SecretFailure()
            }
            router.post("/greet") { request, context in
                let greeting = try await request.decode(as: Greeting.self, context: context)
                context.logger.info("greeting", metadata: ["name": "\(greeting.name)"])
                return "hello \(greeting.name)"
            }
            router.post("/appointment") { request, context in
                "\(Int(try await request.decode(as: Appointment.self, context: context).at.timeIntervalSince1970))"
            }
            router.post("/upload") { request, _ in
                let body = try await request.body.collect(upTo: .max)
                return "\(body.readableBytes)"
            }
            extraRoutes(router)
        }
    }
}
