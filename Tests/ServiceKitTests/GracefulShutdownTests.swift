import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceLifecycle
import Testing
@testable import ServiceKit
import CairnTesting

@Suite struct GracefulShutdownTests {
    /// Over a real socket: a request is in flight when shutdown starts; it still completes with
    /// 200, new connections are refused, and the service group then exits cleanly.
    @Test func finishesAnInFlightRequestThenStops() async throws {
        let (entered, enteredSignal) = AsyncStream.makeStream(of: Void.self)
        let (release, releaseSignal) = AsyncStream.makeStream(of: Void.self)
        let port = try freePort()
        let config = try TestApp.config(["CAIRN_HTTP_PORT": "\(port)"])
        let logger = TestInfra.logger(level: .error)
        let app = try TestApp.build(logger: logger, config: config) { router in
            router.get("/slow") { _, _ in
                enteredSignal.yield()
                for await _ in release { break }
                return "finished"
            }
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            await waitUntilServing(port: port)

            let inFlight = Task {
                // A long read timeout: the request is held until the listener is seen closed,
                // which on a loaded machine takes a while.
                try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(120))) { client in
                    try await client.get("/slow")
                }
            }
            for await _ in entered { break }
            await group.triggerGracefulShutdown()

            // The listener closes while the slow request is still running.
            await waitUntilRefused(port: port)
            releaseSignal.yield()
            let response = try await inFlight.value
            #expect(response.status == .ok)
            #expect(response.body.map { String(buffer: $0) } == "finished")
            try await tasks.waitForAll()
        }
    }

    func waitUntilServing(port: Int) async {
        let up = await eventually(every: .milliseconds(50)) {
            (try? await TestClient.withClient(host: "127.0.0.1", port: port) { try await $0.get("/health").status }) == .ok
        }
        #expect(up, "server did not start on \(port)")
    }

    func waitUntilRefused(port: Int) async {
        let refused = await eventually(every: .milliseconds(50)) {
            (try? await TestClient.withClient(
                host: "127.0.0.1", port: port, configuration: .init(timeout: .milliseconds(300))
            ) { try await $0.get("/health").status }) == nil
        }
        #expect(refused, "server kept accepting connections during shutdown")
    }
}
