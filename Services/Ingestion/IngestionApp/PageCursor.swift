import Foundation
import Hummingbird

/// Keyset pagination over `(created_at, id)`: the cursor is the last row of a page, opaque to
/// clients (base64url of `<microseconds>:<uuid>`), so pages stay stable while rows are added.
struct PageCursor: Sendable, Equatable {
    /// `created_at` in microseconds since the epoch, exactly as Postgres stores it.
    var micros: Int64
    var id: UUID

    static let defaultLimit = 50
    static let maxLimit = 200

    var encoded: String {
        return Data("\(micros):\(id.lowercased)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    init(micros: Int64, id: UUID) {
        self.micros = micros
        self.id = id
    }

    /// Before every row.
    static let start = PageCursor(micros: .min, id: UUID(uuidString: "00000000-0000-0000-0000-000000000000")!)

    /// The SQL of a row's cursor position, selected beside its columns.
    static let column = "(extract(epoch FROM created_at) * 1000000)::int8"

    init(decoding text: String) throws(IngestionError) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard text.count <= 200, let data = Data(base64Encoded: base64), let plain = String(data: data, encoding: .utf8) else {
            throw .invalid("cursor is not one this API returned")
        }
        let parts = plain.split(separator: ":")
        guard parts.count == 2, let micros = Int64(parts[0]), let id = UUID(uuidString: String(parts[1])) else {
            throw .invalid("cursor is not one this API returned")
        }
        self.init(micros: micros, id: id)
    }

    /// `limit` and `cursor` of a list request.
    static func page(_ request: Request) throws(IngestionError) -> (limit: Int, after: PageCursor?) {
        var limit = defaultLimit
        if let raw = request.uri.queryParameters["limit"] {
            guard let value = Int(String(raw)), (1...maxLimit).contains(value) else { throw .invalid("limit: 1 to \(maxLimit)") }
            limit = value
        }
        let after = try request.uri.queryParameters["cursor"].map { (raw) throws(IngestionError) in try PageCursor(decoding: String(raw)) }
        return (limit, after)
    }
}
