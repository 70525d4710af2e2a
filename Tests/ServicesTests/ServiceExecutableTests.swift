import CairnTesting
import Foundation
import HummingbirdTesting
import Testing

/// The real executables, as `make up` and Kubernetes start them.
@Suite struct ServiceExecutableTests {
    @Test func aServiceWithoutConfigurationListsEveryMissingKeyAndExits78() throws {
        let process = Process()
        process.executableURL = TestInfra.binDirectory.appendingPathComponent("billing")
        // Only what the dynamic loader needs (the repo-local librdkafka), no configuration.
        process.environment = ["PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": TestInfra.environment["LD_LIBRARY_PATH"] ?? ""]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 78)
        for key in ["CAIRN_POSTGRES_HOST", "CAIRN_REDIS_HOST", "CAIRN_KAFKA_BROKERS"] {
            #expect(text.contains("\(key): missing (required)"), "stderr: \(text)")
        }
    }

    @Test func sigtermStopsAServiceCleanly() async throws {
        let port = try freePort()
        let process = Process()
        process.executableURL = TestInfra.binDirectory.appendingPathComponent("generation")
        process.environment = TestInfra.serviceEnvironment(overrides: ["CAIRN_HTTP_PORT": "\(port)"])
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let healthy = await eventually(within: .seconds(10), every: .milliseconds(50)) {
            (try? await TestClient.withClient(host: "127.0.0.1", port: port) { try await $0.get("/health").status }) == .ok
        }
        #expect(healthy)
        process.terminate()  // SIGTERM
        let logs = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        #expect(logs.contains("\"msg\":\"stopped\""), "logs: \(logs.suffix(500))")
    }
}
