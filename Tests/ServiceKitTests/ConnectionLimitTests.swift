import CairnTesting
import Hummingbird
import ServiceLifecycle
import ServiceKit
import Testing

@Suite struct ConnectionLimitTests {
    static let request = "GET /health HTTP/1.1\r\nHost: test\r\n\r\n"

    /// Run as a service, not through HummingbirdTesting, whose live server configuration drops
    /// the connection limit. The waits for an answer end as soon as it comes; they are long
    /// because the full suite loads two cores (5 s was once too short there).
    @Test("past CAIRN_HTTP_MAX_CONNECTIONS a new connection waits until one closes, then is served")
    func connectionsPastTheCapWait() async throws {
        let port = try freePort()
        let config = try TestApp.config(["CAIRN_HTTP_PORT": "\(port)", "CAIRN_HTTP_MAX_CONNECTIONS": "2"])
        let logger = TestInfra.logger(level: .error)
        let group = ServiceGroup(configuration: .init(services: [try TestApp.build(logger: logger, config: config)], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let first = try await Self.served(port: port)
            let second = try RawConnection(port: port)
            second.send(Self.request)
            #expect(second.receive(within: .seconds(30)).hasPrefix("HTTP/1.1 200"))
            // The kernel completes the handshake; the server does not take the connection yet.
            let third = try RawConnection(port: port)
            third.send(Self.request)
            #expect(third.receive(within: .seconds(1)).isEmpty, "a third connection is not served while two are open")
            first.close()
            #expect(third.receive(within: .seconds(30)).hasPrefix("HTTP/1.1 200"), "served once one of the two closed")
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// A connection that got its answer, once the server is up.
    static func served(port: Int) async throws -> RawConnection {
        for _ in 0..<100 {
            if let connection = try? RawConnection(port: port) {
                connection.send(request)
                if connection.receive(within: .seconds(10)).hasPrefix("HTTP/1.1 200") { return connection }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw NotServing()
    }

    struct NotServing: Error {}
}
