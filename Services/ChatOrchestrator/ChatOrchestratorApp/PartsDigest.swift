import Crypto
import Foundation

/// A hex SHA-256 of a list of strings, each length-prefixed so that two different lists never
/// hash the same bytes ("ab" + "c" is not "a" + "bc"): cache keys and request fingerprints.
enum PartsDigest {
    static func sha256(_ parts: [String]) -> String {
        var hasher = SHA256()
        for part in parts {
            hasher.update(data: Data("\u{1F}\(part.utf8.count):".utf8))
            hasher.update(data: Data(part.utf8))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
