#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOPosix

/// Keeps tool calls off the orchestrator's own network (SSRF): a host is resolved first and
/// refused when any of its addresses is loopback, private, link-local (cloud metadata
/// 169.254.169.254 included), carrier-grade NAT, multicast or otherwise not public, unless it
/// is named in `CAIRN_CHAT_TOOL_ALLOWED_HOSTS`. The call then connects to the address checked
/// (pinned), so a second DNS answer cannot redirect it.
struct AddressGuard: Sendable {
    struct Refused: Error, CustomStringConvertible {
        var description: String
    }

    /// Hosts (lower-cased) called without the check.
    let allowedHosts: Set<String>

    /// The address to connect to; nil when `host` is allowed as it is (no pinning).
    func check(host: String) async throws -> String? {
        let host = host.lowercased().trimmingCharacters(in: ["[", "]"])
        if allowedHosts.contains(host) { return nil }
        let addresses = try await Self.resolve(host)
        guard let first = addresses.first else { throw Refused(description: "\(host) does not resolve") }
        for address in addresses where !Self.isPublic(address.bytes) {
            throw Refused(description: "\(host) resolves to a non-public address")
        }
        return first.text
    }

    struct Address: Sendable {
        var bytes: [UInt8]
        var text: String
    }

    /// Every IPv4 and IPv6 address of `host` (getaddrinfo, on NIO's blocking-work pool).
    static func resolve(_ host: String) async throws -> [Address] {
        try await NIOThreadPool.singleton.runIfActive {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var list: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, nil, &hints, &list) == 0, let list else { throw Refused(description: "\(host) does not resolve") }
            defer { freeaddrinfo(list) }
            var result: [Address] = []
            var cursor: UnsafeMutablePointer<addrinfo>? = list
            while let entry = cursor {
                if let address = entry.pointee.ai_addr { result += Self.address(address, family: entry.pointee.ai_family) }
                cursor = entry.pointee.ai_next
            }
            return result
        }
    }

    private static func address(_ pointer: UnsafeMutablePointer<sockaddr>, family: Int32) -> [Address] {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch family {
        case AF_INET:
            var raw = pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
            let bytes = withUnsafeBytes(of: &raw) { Array($0) }
            inet_ntop(AF_INET, &raw, &text, socklen_t(text.count))
            return [Address(bytes: bytes, text: String(cString: text))]
        case AF_INET6:
            var raw = pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
            let bytes = withUnsafeBytes(of: &raw) { Array($0) }
            inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count))
            return [Address(bytes: bytes, text: String(cString: text))]
        default:
            return []
        }
    }

    /// Whether an address (4 or 16 bytes) is globally routable.
    static func isPublic(_ bytes: [UInt8]) -> Bool {
        if bytes.count == 4 { return isPublicV4(bytes) }
        guard bytes.count == 16 else { return false }
        // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::/96): the embedded IPv4 address decides.
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff { return isPublicV4(Array(bytes[12...])) }
        if bytes[0..<12] == [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] { return isPublicV4(Array(bytes[12...])) }
        // IPv4-compatible (::a.b.c.d, including :: and ::1) and 6to4 (2002:a.b.c.d::/48): the same.
        if bytes[0..<12].allSatisfy({ $0 == 0 }) { return isPublicV4(Array(bytes[12...])) }
        if bytes[0] == 0x20, bytes[1] == 0x02 { return isPublicV4(Array(bytes[2..<6])) }
        // Local-use NAT64 (64:ff9b:1::/48) and Teredo (2001::/32) hide an IPv4 address: refused.
        if bytes[0..<6] == [0, 0x64, 0xff, 0x9b, 0, 0x01] { return false }
        if bytes[0..<4] == [0x20, 0x01, 0, 0] { return false }
        if bytes[0] == 0xff { return false }  // multicast
        if bytes[0] == 0xfe, bytes[1] & 0xc0 == 0x80 { return false }  // fe80::/10 link-local
        if bytes[0] == 0xfe, bytes[1] & 0xc0 == 0xc0 { return false }  // fec0::/10 site-local
        if bytes[0] & 0xfe == 0xfc { return false }  // fc00::/7 unique local (fd00:ec2::254 metadata)
        if bytes[0] == 0x20, bytes[1] == 0x01, bytes[2] == 0x0d, bytes[3] == 0xb8 { return false }  // documentation
        return true
    }

    static func isPublicV4(_ b: [UInt8]) -> Bool {
        switch (b[0], b[1]) {
        case (0, _), (10, _), (127, _): return false
        case (100, 64...127): return false  // carrier-grade NAT
        case (169, 254): return false  // link-local, cloud metadata
        case (172, 16...31), (192, 168): return false
        case (192, 0) where b[2] == 0 || b[2] == 2: return false  // IETF, TEST-NET-1
        case (198, 18...19): return false  // benchmarking
        case (198, 51) where b[2] == 100, (203, 0) where b[2] == 113: return false  // TEST-NET-2/3
        case (224..., _): return false  // multicast, reserved, broadcast
        default: return true
        }
    }
}
