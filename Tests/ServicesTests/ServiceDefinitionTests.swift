import AuthApp
import BillingApp
import ChatOrchestratorApp
import EmbeddingApp
import Foundation
import GatewayApp
import GenerationApp
import Hummingbird
import HummingbirdTesting
import IngestionApp
import ServiceKit
import Testing
import VectorSearchApp
import CairnTesting

/// Every service, built as its `main` builds it, against the real local infrastructure.
@Suite struct ServiceDefinitionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let service: any CairnService.Type
        let expectedChecks: Set<String>
        /// The gateway serves `/metrics` on its admin port only.
        var metricsOnMainPort = true
        var testDescription: String { service.name }
    }

    static let cases: [Case] = [
        Case(service: GatewayService.self, expectedChecks: ["redis"], metricsOnMainPort: false),
        Case(service: AuthService.self, expectedChecks: ["postgres", "kafka"]),
        Case(service: BillingService.self, expectedChecks: ["postgres", "redis", "kafka"]),
        Case(service: IngestionService.self, expectedChecks: ["postgres", "kafka"]),
        Case(service: EmbeddingService.self, expectedChecks: ["redis", "kafka"]),
        Case(service: VectorSearchService.self, expectedChecks: ["postgres", "kafka"]),
        Case(service: GenerationService.self, expectedChecks: ["redis", "kafka"]),
        Case(service: ChatOrchestratorService.self, expectedChecks: ["postgres", "kafka"]),
    ]

    @Test func portsAndNamesAreDistinct() {
        #expect(Set(Self.cases.map { $0.service.defaultPort }) == Set(8080...8087))
        #expect(Set(Self.cases.map { $0.service.name }).count == 8)
    }

    @Test(arguments: cases)
    func servesHealthReadyAndMetrics(_ testCase: Case) async throws {
        try await TestDatabase.withFresh(prefix: "svc") { database in
            try await Self.exercise(
                testCase.service, environment: TestInfra.serviceEnvironment(database: database.database), expectedChecks: testCase.expectedChecks,
                metricsOnMainPort: testCase.metricsOnMainPort
            )
        }
    }

    @Test func missingConfigurationNamesTheKeys() {
        #expect {
            try BillingService.configuration(environment: [:])
        } throws: { error in
            Set((error as? ConfigurationError)?.keys ?? []) == ["CAIRN_POSTGRES_HOST", "CAIRN_REDIS_HOST", "CAIRN_KAFKA_BROKERS"]
        }
    }

    static func exercise<S: CairnService>(
        _ service: S.Type, environment: [String: String], expectedChecks: Set<String>, metricsOnMainPort: Bool = true
    ) async throws {
        let config = try S.configuration(environment: environment)
        let app = try await S.buildApplication(config: config, logger: TestInfra.logger(level: .error))
        try await app.test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
            }
            // Polled like a readiness probe: with the whole suite running on two cores, a probe
            // of the shared broker can miss its 2 s bound once without anything being wrong.
            var last: (status: HTTPResponse.Status, report: ReadinessReport)?
            let ready = await eventually(within: .seconds(30), every: .milliseconds(500)) {
                last = try? await client.execute(uri: "/ready", method: .get) { response in
                    (response.status, try JSONDecoder().decode(ReadinessReport.self, from: Data(buffer: response.body)))
                }
                return last?.status == .ok
            }
            #expect(ready, "\(S.name): \(String(describing: last?.report))")
            #expect(Set(last?.report.checks.map(\.name) ?? []) == expectedChecks)
            try await client.execute(uri: "/metrics", method: .get) { response in
                if metricsOnMainPort {
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains("http_requests_total{"))
                } else {
                    #expect(response.status == .notFound)
                }
            }
        }
    }
}
