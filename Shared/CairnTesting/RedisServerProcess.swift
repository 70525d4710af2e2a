import Foundation
import NIOCore
import NIOPosix
import ServiceKit

/// A throwaway `redis-server` of the test's own on a free loopback port, which the test may
/// stop and start again (on the same port) to exercise failure handling without disturbing the
/// shared test Redis.
public final class RedisServerProcess: @unchecked Sendable {
    public let endpoint: Endpoint
    private var process: Process?

    public init() throws {
        endpoint = Endpoint(host: "127.0.0.1", port: try freePort())
    }

    /// Starts the server and waits until it accepts connections.
    public func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "redis-server", "--port", "\(endpoint.port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let check = RedisPingCheck(settings: RedisSettings(endpoint: endpoint))
        for _ in 0..<100 {
            if (try? await check.check()) != nil { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TimeoutError(after: .seconds(5))
    }

    /// Kills the server (SIGKILL: as abrupt as a crash) and waits until it is gone.
    public func kill() {
        guard let process else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    deinit { kill() }
}

/// A TCP port on the loopback that was free a moment ago.
public func freePort() throws -> Int {
    let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .bind(host: "127.0.0.1", port: 0).wait()
    defer { try? channel.close().wait() }
    return channel.localAddress!.port!
}
