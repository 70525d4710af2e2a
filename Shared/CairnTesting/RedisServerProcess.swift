import Glibc
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

/// A TCP port on the loopback that was free a moment ago. Plain sockets, no event loop: it is
/// called from async code that may itself run on an event loop.
public func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw PortUnavailable() }
    defer { close(fd) }
    var address = loopbackAddress(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw PortUnavailable() }
    return Int(UInt16(bigEndian: address.sin_port))
}

public struct PortUnavailable: Error {}

/// `127.0.0.1:port` as the sockets API takes it.
func loopbackAddress(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    return address
}
