import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A CRM an assistant's HTTP tools call: deal records behind a bearer token, plus a slow and an
/// oversized endpoint. It records every request it gets (path and Authorization header).
final class FakeCRM: Sendable {
    static let token = "crm-s3cret-token"
    let requests = Mutex<[(path: String, authorization: String?)]>([])

    static func note(_ deal: String) -> String { "Deal \(deal) with Acme Corp is in the negotiation stage at 120000 EUR." }

    func application() -> some ApplicationProtocol {
        let router = Router()
        router.get("/deals/{id}") { request, context -> Response in
            let id = context.parameters.get("id") ?? ""
            self.requests.withLock { $0.append((request.uri.path, request.headers[.authorization])) }
            guard request.headers[.authorization] == "Bearer \(Self.token)" else { return Response(status: .unauthorized) }
            let record: [String: Any] = ["deal_id": id, "customer": "Acme Corp", "stage": "negotiation", "note": Self.note(id)]
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: record))))
        }
        router.get("/slow/{id}") { request, _ -> Response in
            self.requests.withLock { $0.append((request.uri.path, request.headers[.authorization])) }
            try await Task.sleep(for: .seconds(3))
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "too late")))
        }
        router.get("/big/{id}") { request, _ -> Response in
            self.requests.withLock { $0.append((request.uri.path, request.headers[.authorization])) }
            return Response(status: .ok, headers: [.contentType: "text/plain"],
                            body: .init(byteBuffer: ByteBuffer(string: String(repeating: "Oversized CRM export line. ", count: 8_000))))
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    func paths() -> [String] { requests.withLock { $0.map(\.path) } }
}
