import Foundation
import Hummingbird

/// Keyset pagination over a table's `seq` (bigserial) column: the cursor is the last row's
/// `seq`, opaque to clients (base64url), so pages stay stable while rows are added.
struct SeqCursor: Sendable, Equatable {
    var seq: Int64

    static let defaultLimit = 50
    static let maxLimit = 200

    var encoded: String {
        Data("seq:\(seq)".utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    init(seq: Int64) { self.seq = seq }

    init(decoding text: String) throws(ChatError) {
        var padded = text
        while padded.count % 4 != 0 { padded += "=" }
        guard text.count <= 64, let data = Data(base64Encoded: padded), let plain = String(data: data, encoding: .utf8),
              plain.hasPrefix("seq:"), let seq = Int64(plain.dropFirst(4)) else {
            throw .invalid("cursor is not one this API returned")
        }
        self.seq = seq
    }

    /// `limit` and `cursor` of a list request.
    static func page(_ request: Request) throws(ChatError) -> (limit: Int, after: SeqCursor?) {
        var limit = defaultLimit
        if let raw = request.uri.queryParameters["limit"] {
            guard let value = Int(String(raw)), (1...maxLimit).contains(value) else { throw .invalid("limit: 1 to \(maxLimit)") }
            limit = value
        }
        let after = try request.uri.queryParameters["cursor"].map { (raw) throws(ChatError) in try SeqCursor(decoding: String(raw)) }
        return (limit, after)
    }
}
