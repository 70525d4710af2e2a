import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ServiceKit
import CairnTesting

/// `/ready` against real servers: the shared test Redis and Kafka broker, and a Redis of the
/// test's own that it kills and restarts.
@Suite struct ReadinessTests {
    func readiness(_ client: some TestClientProtocol) async throws -> (HTTPResponse.Status, ReadinessReport) {
        let response = try await client.execute(uri: "/ready", method: .get, headers: [:], body: nil)
        return (response.status, try JSONDecoder().decode(ReadinessReport.self, from: Data(buffer: response.body)))
    }

    /// `/ready` polled like a probe until it answers 200 (or 20 s pass): under the full suite on
    /// two cores a single probe can miss its 2 s bound without anything being wrong.
    func readinessOnceReady(_ client: some TestClientProtocol) async throws -> (HTTPResponse.Status, ReadinessReport) {
        var last = try await readiness(client)
        _ = await eventually(within: .seconds(20), every: .milliseconds(250)) {
            if let reply = try? await readiness(client) { last = reply }
            return last.0 == .ok
        }
        return last
    }

    @Test func redisGoingDownAndComingBackFlipsReadinessWithoutARestart() async throws {
        let redis = try RedisServerProcess()
        try await redis.start()
        let config = try ServiceConfig(
            serviceName: "test", defaultPort: 0, dependencies: [.redis],
            environment: ["CAIRN_REDIS_HOST": redis.endpoint.host, "CAIRN_REDIS_PORT": "\(redis.endpoint.port)"]
        )
        try await TestApp.build(logger: TestInfra.logger(), config: config).test(.router) { client in
            var (status, report) = try await readinessOnceReady(client)
            #expect(status == .ok)
            #expect(report.checks.map(\.name) == ["redis"])

            redis.kill()
            // Reports are reused for up to a second, so the outage shows within about that.
            let noticed = await eventually(within: .seconds(5), every: .milliseconds(200)) {
                (try? await readiness(client).0) == .serviceUnavailable
            }
            #expect(noticed)
            (status, report) = try await readiness(client)
            #expect(status == .serviceUnavailable)
            #expect(report.failing == ["redis"])
            #expect(report.status == "unavailable")
            #expect(report.checks.first?.error?.isEmpty == false)

            try await redis.start()
            (status, report) = try await readinessOnceReady(client)
            #expect(status == .ok)
            #expect(report.isReady)
        }
    }

    @Test func realRedisAndKafkaAreReady() async throws {
        let config = try ServiceConfig(serviceName: "test", defaultPort: 0, dependencies: [.redis, .kafka],
                                       environment: TestInfra.serviceEnvironment())
        try await TestApp.build(logger: TestInfra.logger(), config: config).test(.router) { client in
            let (status, report) = try await readinessOnceReady(client)
            #expect(status == .ok, "\(report)")
            #expect(Set(report.checks.map(\.name)) == ["redis", "kafka"])
        }
    }

    @Test func aBrokerThatIsNotThereIsNamed() async throws {
        let config = try ServiceConfig(
            serviceName: "test", defaultPort: 0, dependencies: [.redis, .kafka],
            environment: TestInfra.serviceEnvironment(overrides: ["CAIRN_KAFKA_BROKERS": "127.0.0.1:\(try freePort())"])
        )
        try await TestApp.build(logger: TestInfra.logger(), config: config).test(.router) { client in
            let (status, report) = try await readiness(client)
            #expect(status == .serviceUnavailable)
            #expect(report.failing == ["kafka"])
        }
    }

    @Test func kafkaCheckRejectsAServerThatIsNotKafka() async throws {
        // A Redis port accepts TCP but does not speak Kafka: a connect-only probe would pass.
        let check = KafkaBrokerCheck(settings: KafkaSettings(brokers: [TestInfra.redis]))
        await #expect(throws: (any Error).self) {
            try await withTimeout(.seconds(3)) { try await check.check() }
        }
    }

    @Test func aSlowCheckTimesOutInsteadOfHanging() async {
        struct Stuck: ReadinessCheck {
            let name = "stuck"
            func check() async throws { try await Task.sleep(for: .seconds(60)) }
        }
        let started = ContinuousClock.now
        let report = await ReadinessReport.run([Stuck()], timeout: .milliseconds(200))
        #expect(report.failing == ["stuck"])
        // The check sleeps 60 s: well under that proves the timeout, with room for a loaded machine.
        #expect(ContinuousClock.now - started < .seconds(30))
    }
}
