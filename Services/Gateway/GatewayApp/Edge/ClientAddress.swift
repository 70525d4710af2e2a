import Glibc

/// Client addresses as rate-limit keys.
enum ClientAddress {
    /// An IPv4 address as it is (IPv4-mapped IPv6 included); an IPv6 address by its /64
    /// prefix; anything unparsable as it is, cut to 64 characters.
    static func bucketKey(_ address: String) -> String {
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return String(address.prefix(64)) }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            return bytes[12..<16].map(String.init).joined(separator: ".")
        }
        return stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":") + "::/64"
    }
}
