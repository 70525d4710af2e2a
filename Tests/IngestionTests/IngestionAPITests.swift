import CairnTesting
import Foundation
import Testing

/// Collections CRUD with cursor pagination, document lists with filters, authentication and
/// tenant isolation for every resource (another tenant's anything is a 404).
@Suite(.serialized) struct IngestionAPITests {
    @Test func collectionsAreCreatedValidatedPagedUpdatedAndDeleted() async throws {
        try await IngestionHarness.run { harness in
            let token = try await harness.member()
            let created = try await harness.call(.post, "/v1/collections", json: ["name": "Handbook", "description": "HR"], token: token)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.int("chunk_size") == 256 && created.int("chunk_overlap") == 32)
            #expect(created.string("embedding_model") == "all-MiniLM-L6-v2")
            let id = try #require(created.string("id"))
            let duplicate = try await harness.call(.post, "/v1/collections", json: ["name": "Handbook"], token: token)
            #expect(duplicate.status == .conflict)
            for bad: [String: Any] in [["name": ""], ["name": "x", "chunk_size": 300], ["name": "y", "chunk_size": 64, "chunk_overlap": 40]] {
                let reply = try await harness.call(.post, "/v1/collections", json: bad, token: token)
                #expect(reply.status == .badRequest, "\(bad): \(reply.text)")
            }
            let tooBig = try await harness.call(.post, "/v1/collections", json: ["name": "z", "chunk_size": 257], token: token)
            #expect(tooBig.string("error", "message")?.contains("256") == true, "the model's limit is named: \(tooBig.text)")

            for index in 0..<4 { _ = try await harness.createCollection("c\(index)") }
            var names: [String] = []
            var cursor: String?
            repeat {
                let page = try await harness.call(.get, "/v1/collections?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), token: token)
                #expect(page.status == .ok, "\(page.text)")
                names += (page.array("collections") ?? []).compactMap { $0["name"] as? String }
                cursor = page.string("next_cursor")
            } while cursor != nil
            #expect(names == ["Handbook", "c0", "c1", "c2", "c3"])
            #expect(try await harness.call(.get, "/v1/collections?cursor=garbage", token: token).status == .badRequest)

            let patched = try await harness.call(.patch, "/v1/collections/\(id)", json: ["chunk_size": 128, "chunk_overlap": 16], token: token)
            #expect(patched.status == .ok && patched.int("chunk_size") == 128, "\(patched.text)")
            #expect(try await harness.call(.delete, "/v1/collections/\(id)", token: try await harness.admin()).status == .noContent)
            #expect(try await harness.call(.get, "/v1/collections/\(id)", token: token).status == .notFound)
            #expect(try await harness.call(.post, "/v1/collections", json: ["name": "Handbook"], token: token).status == .created,
                    "a deleted collection's name is free again")
        }
    }

    @Test func documentListsFilterAndPage() async throws {
        try await IngestionHarness.run { harness in
            let first = try await harness.createCollection()
            let second = try await harness.createCollection()
            let before = Date()
            var ids: [String] = []
            for index in 0..<3 { ids.append(try await harness.submitText("Document \(index) about meadows.", to: first)) }
            let other = try await harness.submitText("Another collection's document.", to: second)
            for id in ids + [other] { try await harness.awaitStatus(id, "chunked") }
            let token = try await harness.member()
            let all = try await harness.call(.get, "/v1/documents?limit=200", token: token)
            #expect(all.array("documents")?.count == 4)
            let inFirst = try await harness.call(.get, "/v1/documents?collection_id=\(first)&limit=2", token: token)
            #expect(inFirst.array("documents")?.count == 2)
            let next = try #require(inFirst.string("next_cursor"))
            let rest = try await harness.call(.get, "/v1/documents?collection_id=\(first)&limit=2&cursor=\(next)", token: token)
            #expect(rest.array("documents")?.count == 1 && rest["next_cursor"] is NSNull)
            let paged = ((inFirst.array("documents") ?? []) + (rest.array("documents") ?? [])).compactMap { $0["id"] as? String }
            #expect(paged == ids)
            #expect(try await harness.call(.get, "/v1/documents?status=failed", token: token).array("documents")?.isEmpty == true)
            #expect(try await harness.call(.get, "/v1/documents?status=chunked", token: token).array("documents")?.count == 4)
            let since = ISO8601DateFormatter().string(from: before.addingTimeInterval(3_600))
            #expect(try await harness.call(.get, "/v1/documents?updated_since=\(since)", token: token).array("documents")?.isEmpty == true)
            #expect(try await harness.call(.get, "/v1/documents?status=done", token: token).status == .badRequest)
            #expect(try await harness.call(.get, "/v1/documents?updated_since=yesterday", token: token).status == .badRequest)
        }
    }

    @Test func anotherTenantsCollectionsAndDocumentsAreNotFound() async throws {
        try await IngestionHarness.run { harness in
            let collection = try await harness.createCollection()
            let document = try await harness.submitText("A private document.", to: collection)
            try await harness.awaitStatus(document, "chunked")
            let stranger = UUID()
            let member = try await harness.member(stranger)
            let admin = try await harness.admin(stranger)
            #expect(try await harness.call(.get, "/v1/collections/\(collection)", token: member).status == .notFound)
            #expect(try await harness.call(.patch, "/v1/collections/\(collection)", json: ["name": "mine"], token: member).status == .notFound)
            #expect(try await harness.call(.delete, "/v1/collections/\(collection)", token: admin).status == .notFound)
            #expect(try await harness.call(.get, "/v1/collections", token: member).array("collections")?.isEmpty == true)
            #expect(try await harness.upload(Data("x".utf8), filename: "x.txt", type: "text/plain", to: collection, token: member).status == .notFound)
            #expect(try await harness.call(.get, "/v1/documents/\(document)", token: member).status == .notFound)
            #expect(try await harness.call(.delete, "/v1/documents/\(document)", token: admin).status == .notFound)
            #expect(try await harness.call(.get, "/v1/documents", token: member).array("documents")?.isEmpty == true)
            let named = "?tenant_id=\(harness.tenant.uuidString.lowercased())"
            #expect(try await harness.call(.get, "/v1/documents/\(document)\(named)", token: member).status == .notFound, "naming the tenant does not help")
            // Still there for its owner, untouched.
            #expect(try await harness.document(document).string("status") == "chunked")
            // A service names the tenant.
            let service = try await harness.tokens.token(.service, tenant: nil, subject: "chat-orchestrator")
            #expect(try await harness.call(.get, "/v1/documents/\(document)", token: service).status == .badRequest)
            #expect(try await harness.call(.get, "/v1/documents/\(document)\(named)", token: service).status == .ok)
            #expect(try await harness.call(.get, "/v1/documents", token: nil).status == .unauthorized)
        }
    }
}
