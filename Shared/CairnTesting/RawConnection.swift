import Foundation

/// A plain TCP connection to the loopback for tests that hold sockets open themselves: bytes
/// out, and whatever comes back within a deadline. No event loop, no pooling.
public final class RawConnection {
    private let fd: Int32

    public init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PortUnavailable() }
        var address = loopbackAddress(port: port)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else {
            Foundation.close(fd)
            throw PortUnavailable()
        }
    }

    deinit { close() }

    public func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// What arrives within `timeout` (empty when nothing does), stopping at the first pause
    /// after some bytes came.
    public func receive(within timeout: Duration) -> String {
        var received: [UInt8] = []
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while ContinuousClock.now < deadline {
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let wait = received.isEmpty ? min(deadline - ContinuousClock.now, .milliseconds(100)) : .milliseconds(50)
            let milliseconds = Int32(wait.components.seconds * 1_000 + wait.components.attoseconds / 1_000_000_000_000_000)
            guard poll(&ready, 1, max(milliseconds, 1)) > 0 else {
                if received.isEmpty { continue } else { break }
            }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    private var closed = false

    public func close() {
        guard !closed else { return }
        closed = true
        Foundation.close(fd)
    }
}
