import CairnTesting
import Foundation
@testable import GatewayApp
import Hummingbird
import Testing

extension GatewayTestSuite {
    /// `openapi.yaml` is the contract: the operations it lists are exactly the gateway's.
    @Suite("Gateway: the OpenAPI document")
    struct OpenAPIContractTests {
        /// Served by the gateway itself rather than from the table.
        static let ownOperations: Set<String> = ["GET /health", "GET /ready", "GET /openapi.json"]

        static func documentOperations() throws -> Set<String> {
            let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
            return Set(paths.flatMap { path, item in item.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" } })
        }

        @Test("every route the gateway serves is in the document, and every operation in it is served")
        func routesMatch() throws {
            let served = Set(PublicRoute.all.map(\.operation)).union(Self.ownOperations)
            let documented = try Self.documentOperations()
            #expect(served.subtracting(documented).isEmpty, "served but not documented: \(served.subtracting(documented).sorted())")
            #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
            #expect(PublicRoute.all.count == Set(PublicRoute.all.map(\.operation)).count, "a route is listed twice")
        }

        @Test("the served JSON is generated from openapi.yaml as it is now")
        func generatedDocumentIsCurrent() async throws {
            let python = URL(fileURLWithPath: (TestInfra.environment["CAIRN_VENV"] ?? ".deps/venv") + "/bin/python")
            let (status, text) = try await runProcess(python, ["deploy/tools/openapi.py", "--check"])
            #expect(status == 0, "run deploy/tools/openapi.py: \(text)")
        }

        @Test("the gateway serves the document, and answers every documented path with something other than its 404")
        func servedDocument() async throws {
            try await GatewayHarness.run { gateway in
                let reply = try await gateway.call(.get, "/openapi.json")
                #expect(reply.status == .ok)
                #expect(reply.string("openapi")?.hasPrefix("3.1") == true)
                for operation in try Self.documentOperations() {
                    let parts = operation.split(separator: " ")
                    let path = parts[1].replacing(/\{[a-z_]+\}/, with: UUID().uuidString.lowercased())
                    let answer = try await gateway.call(HTTPRequest.Method(String(parts[0]))!, String(path), json: parts[0] == "GET" ? nil : [:])
                    // Every answer of a route in the table has passed the edge (401s excepted): a 404
                    // without rate-limit headers came from the router itself.
                    let routerMiss = (answer.status == .notFound || answer.status == .methodNotAllowed) && answer.header("RateLimit-Limit") == nil
                    #expect(!routerMiss, "\(operation) is documented but the gateway has no such route")
                }
            }
        }
    }
}
