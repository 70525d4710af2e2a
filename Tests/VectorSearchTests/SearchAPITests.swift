import CairnTesting
import Foundation
import Testing
@testable import VectorSearchApp

/// `POST /v1/search` and the collection endpoints through the router, over chunks that came in
/// through the real consumer.
@Suite("Search API", .serialized)
struct SearchAPITests {
    static let texts = [
        "The refund policy allows returns within thirty days of purchase.",
        "Shipping is free for orders above fifty euros.",
        "Our warranty covers manufacturing defects for two years.",
        "Refunds are paid to the original payment method.",
        "Contact support by email for warranty claims.",
        "Gift cards cannot be refunded or exchanged for cash.",
    ]

    static func load(
        _ h: VectorSearchHarness, tenant: UUID, collection: String = "docs", tags: [String] = ["policy", "faq"], prefix: String = "doc",
        textPrefix: String = "", total: Int? = nil
    ) async throws {
        let events = texts.indices.map { i in
            VectorSearchHarness.embedded(
                tenant: tenant, document: "\(prefix)\(i)", collection: collection, vectors: [axis(i)], texts: [textPrefix + texts[i]],
                metadata: ["category": i % 2 == 0 ? "policy" : "faq", "tags": tags[i % tags.count], "date": "2025-0\(i + 1)-15", "page": "\(i + 1)"],
                title: "Document \(i)"
            )
        }
        try await h.publish(events)
        try await h.awaitChunks(tenant, texts.count, collection: collection, total: total)
    }

    static func ids(_ reply: JSONReply) -> [String] { reply.array("results")?.map { $0["chunk_id"] as! String } ?? [] }

    @Test("vector, lexical and hybrid searches rank, score and fuse as documented")
    func strategies() async throws {
        let refundVector = blend(axis(0), axis(3), 0.4)
        try await VectorSearchHarness.run(embedder: FixedQueryEmbedder(vectors: ["refund policy": refundVector])) { h in
            let tenant = UUID()
            try await Self.load(h, tenant: tenant)

            let vector = try await h.search(tenant, ["vector": axis(2), "top_k": 3, "strategy": "vector"])
            #expect(vector.status == .ok)
            #expect(Self.ids(vector).first == "doc2-v1-0")
            let top = vector.array("results")![0]
            #expect(abs((top["score"] as! Double) - 1) < 1e-5)
            #expect((top["ranks"] as! [String: Any])["vector"] as? Int == 1)
            #expect(top["title"] as? String == "Document 2" && top["page"] as? Int == 3 && top["category"] as? String == "policy")

            let lexical = try await h.search(tenant, ["query": "refund policy", "strategy": "lexical"])
            #expect(Self.ids(lexical) == ["doc0-v1-0"], "\(lexical.text)")  // "refunds"/"refunded" are other terms: no stemming
            #expect(lexical.array("results")![0]["excerpt"] as? String == "The **refund** **policy** allows returns within thirty days of purchase.")
            #expect(lexical.array("results")![0]["matched_terms"] as? [String] == ["policy", "refund"])

            let hybrid = try await h.search(tenant, ["query": "refund policy", "top_k": 3])
            #expect(hybrid.string("strategy") == "hybrid")
            #expect(Self.ids(hybrid).first == "doc0-v1-0")
            let fused = hybrid.array("results")![0]
            let scores = fused["scores"] as! [String: Any]
            #expect(abs((scores["fused"] as! Double) - (1.0 / 61 + 1.0 / 61)) < 1e-9)
            #expect(hybrid.array("degraded")?.isEmpty ?? (hybrid["degraded"] as? [Any])?.isEmpty == true)

            // Embedding unavailable: hybrid degrades to lexical and says so; vector fails.
            let degraded = try await h.search(tenant, ["query": "warranty claims"])
            #expect(degraded.status == .ok && degraded.string("strategy") == "lexical")
            #expect((degraded["degraded"] as? [String]) == ["embedding_unavailable"])
            #expect(Self.ids(degraded).first == "doc4-v1-0")
            let failed = try await h.search(tenant, ["query": "warranty claims", "strategy": "vector"])
            #expect(failed.status == .serviceUnavailable && failed.errorCode == "EMBEDDING_UNAVAILABLE")

            // min_score on cosine.
            let strict = try await h.search(tenant, ["vector": refundVector, "strategy": "vector", "min_score": 0.5])
            #expect(Set(Self.ids(strict)) == ["doc0-v1-0", "doc3-v1-0"])
        }
    }

    @Test("filters: category, tags any/all, date range, source, document ids, collections")
    func filters() async throws {
        try await VectorSearchHarness.run { h in
            let tenant = UUID()
            try await Self.load(h, tenant: tenant)
            try await Self.load(h, tenant: tenant, collection: "other", tags: ["misc"], prefix: "other", total: 12)
            func run(_ filters: [String: Any]) async throws -> Set<String> {
                let reply = try await h.search(tenant, ["vector": axis(0), "top_k": 20, "strategy": "vector", "filters": filters])
                #expect(reply.status == .ok, "\(reply.text)")
                return Set(Self.ids(reply).map { $0 })
            }
            #expect(try await run(["collection_ids": ["docs"], "category": "faq"]) == ["doc1-v1-0", "doc3-v1-0", "doc5-v1-0"])
            #expect(try await run(["collection_ids": ["docs"], "tags_any": ["faq", "nope"]]).count == 3)
            #expect(try await run(["tags_all": ["misc"]]).count == 6)
            #expect(try await run(["collection_ids": ["docs"], "date_from": "2025-02-01T00:00:00Z", "date_to": "2025-03-31T00:00:00Z"])
                    == ["doc1-v1-0", "doc2-v1-0"])
            #expect(try await run(["collection_ids": ["docs"], "document_ids": ["doc4"], "source": "https://example.com/doc4"]) == ["doc4-v1-0"])
            #expect(try await run(["collection_ids": ["nope"]]).isEmpty)
            #expect(try await run([:]).count == 12)
            let bad = try await h.search(tenant, ["vector": axis(0), "filters": ["date_from": "yesterday"]])
            #expect(bad.status == .badRequest)
            // A chunk id is unique per tenant: the same chunks sent for another collection move there.
            try await h.publish([VectorSearchHarness.embedded(tenant: tenant, document: "doc0", collection: "moved", vectors: [axis(0)])])
            try await h.awaitChunks(tenant, 1, collection: "moved", total: 12)
            #expect(try await run(["collection_ids": ["docs"]]).count == 5)
            #expect(try await run(["collection_ids": ["moved"]]) == ["doc0-v1-0"])
        }
    }

    @Test("tenants are isolated on every endpoint, also while chunks are being written")
    func tenantIsolation() async throws {
        try await VectorSearchHarness.run { h in
            let a = UUID(), b = UUID()
            try await Self.load(h, tenant: a)
            // b writes the very same documents (same ids, same vectors) while a is searched.
            async let writes: Void = Self.load(h, tenant: b, textPrefix: "tenant b: ")
            for i in 0..<30 {
                let reply = try await h.search(a, ["query": "tenant", "vector": axis(i % 6), "top_k": 20, "strategy": "hybrid"])
                #expect(reply.status == .ok)
                #expect(Self.ids(reply).count == 6)
                #expect((reply.array("results") ?? []).allSatisfy { !($0["text"] as! String).hasPrefix("tenant b") })
            }
            try await writes
            let fromB = try await h.search(b, ["query": "tenant", "top_k": 20, "strategy": "lexical"])
            #expect(Self.ids(fromB).count == 6)
            // Naming another tenant answers 404 on every route, before permissions are looked at.
            let memberA = try await h.tokens.token(.tenantAdmin, tenant: a)
            for (method, path) in [("POST", "/v1/search"), ("GET", "/v1/search/collections"), ("GET", "/v1/search/collections/docs"),
                                   ("POST", "/v1/search/collections/docs/rebuild"), ("DELETE", "/v1/search/collections/docs"),
                                   ("GET", "/v1/internal/documents/doc1/versions/1/indexed")] {
                let reply = try await h.call(.init(method)!, path + "?tenant_id=\(b.uuidString)", json: ["vector": axis(1)], token: memberA)
                #expect(reply.status == .notFound, "\(method) \(path)")
            }
            // People search their own tenant (the tenant comes from the token, none is named);
            // they cannot rebuild or delete (search:write is the services').
            let own = try await h.call(.post, "/v1/search", json: ["query": "tenant", "vector": axis(1), "top_k": 20], token: memberA)
            #expect(own.status == .ok && Self.ids(own).count == 6)
            #expect((own.array("results") ?? []).allSatisfy { !($0["text"] as! String).hasPrefix("tenant b") })
            #expect(try await h.call(.post, "/v1/search/collections/docs/rebuild", token: memberA).status == .forbidden)
            // No token is a 401.
            #expect(try await h.call(.post, "/v1/search", json: ["vector": axis(1)], token: nil).status == .unauthorized)
            // A service must name the tenant.
            let service = try await h.tokens.token(.service, tenant: nil)
            #expect(try await h.call(.post, "/v1/search", json: ["vector": axis(1)], token: service).status == .badRequest)
            #expect(h.indexedChunks(a) == 6 && h.indexedChunks(b) == 6)
        }
    }

    @Test("bad bodies are 400s naming the field")
    func validation() async throws {
        try await VectorSearchHarness.run { h in
            let tenant = UUID()
            try await Self.load(h, tenant: tenant)
            let cases: [([String: Any], String)] = [
                ([:], "give query text"), (["query": "x", "top_k": 0], "top_k"), (["query": "x", "top_k": 101], "top_k"),
                (["query": "x", "strategy": "fuzzy"], "strategy"), (["vector": [0, 0]], "vector"), (["vector": "x"], "vector"),
                (["vector": [1, 0, 0]], "vector has 3 values"), (["vector": axis(0), "strategy": "lexical"], "lexical needs query text"),
                (["query": "x", "ef_search": 5], "ef_search"), (["query": "x", "filters": ["tags_any": "x"]], "filters"),
            ]
            for (body, message) in cases {
                let reply = try await h.search(tenant, body)
                #expect(reply.status == .badRequest, "\(body)")
                #expect(reply.string("error", "message")?.contains(message) == true, "\(body): \(reply.text)")
            }
            let raw = try await h.call(.post, "/v1/search?tenant_id=\(tenant.uuidString)", raw: "not json", token: h.tokens.token(.service, tenant: nil))
            #expect(raw.status == .badRequest)
        }
    }

    @Test("collection stats, rebuild and delete")
    func admin() async throws {
        try await VectorSearchHarness.run { h in
            let tenant = UUID()
            try await Self.load(h, tenant: tenant)
            let token = try await h.tokens.token(.service, tenant: nil)
            let q = "?tenant_id=\(tenant.uuidString)"
            let list = try await h.call(.get, "/v1/search/collections" + q, token: token)
            #expect(list.array("collections")?.map { $0["collection_id"] as! String } == ["docs"])
            let stats = try await h.call(.get, "/v1/search/collections/docs" + q, token: token)
            #expect(stats.int("chunks") == 6 && stats.int("dimensions") == 8 && stats.object("index")?["m"] as? Int == 16)
            #expect((stats.int("memory_bytes") ?? 0) > 0)
            try await h.publish(VectorSearchHarness.deleted(tenant: tenant, document: "doc0", version: nil), to: h.deletionsTopic)
            try await h.awaitChunks(tenant, 5)
            #expect(try await h.call(.get, "/v1/search/collections/docs" + q, token: token).int("tombstones") == 1)
            let rebuilt = try await h.call(.post, "/v1/search/collections/docs/rebuild" + q, token: token)
            #expect(rebuilt.status == .ok && rebuilt.int("tombstones") == 0 && rebuilt.int("chunks") == 5)
            #expect(try await h.call(.delete, "/v1/search/collections/docs" + q, token: token).status == .noContent)
            #expect(try await h.storedChunks(tenant).isEmpty)
            #expect(try await h.call(.get, "/v1/search/collections/docs" + q, token: token).status == .notFound)
            #expect(try await h.call(.delete, "/v1/search/collections/docs" + q, token: token).status == .notFound)
        }
    }

    @Test("collection versions move with every change, in the versions endpoint and in search responses")
    func collectionVersions() async throws {
        try await VectorSearchHarness.run { h in
            let tenant = UUID()
            let token = try await h.tokens.token(.service, tenant: nil)
            let q = "tenant_id=\(tenant.uuidString)"
            func versions(_ ids: String? = nil) async throws -> [String: Int] {
                let reply = try await h.call(.get, "/v1/internal/collections/versions?\(q)" + (ids.map { "&ids=\($0)" } ?? ""), token: token)
                #expect(reply.status == .ok, "\(reply.text)")
                return reply.object("collections") as? [String: Int] ?? [:]
            }
            func searched() async throws -> Int? {
                let reply = try await h.search(tenant, ["query": "refund", "strategy": "lexical", "filters": ["collection_ids": ["docs"]]])
                return reply.object("collection_versions")?["docs"] as? Int
            }
            #expect(try await versions("docs,other,docs") == ["docs": 0, "other": 0])
            #expect(try await searched() == 0)

            try await Self.load(h, tenant: tenant)
            let loaded = try #require(try await versions("docs")["docs"])
            #expect(loaded >= 1)
            // The search reports the version its index reflects (set just after the chunks are in).
            #expect(await eventually(within: .seconds(10), every: .milliseconds(20)) { (try? await searched()) == loaded })

            try await h.publish(VectorSearchHarness.deleted(tenant: tenant, document: "doc0", version: nil), to: h.deletionsTopic)
            try await h.awaitChunks(tenant, 5)
            let afterDeletion = try #require(try await versions()["docs"])
            #expect(afterDeletion == loaded + 1)
            #expect(await eventually(within: .seconds(10), every: .milliseconds(20)) { (try? await searched()) == afterDeletion })

            // Another tenant sees none of it.
            let other = try await h.call(.get, "/v1/internal/collections/versions?tenant_id=\(UUID().uuidString)", token: token)
            #expect(other.status == .ok && (other.object("collections") ?? ["x": 1]).isEmpty)
            #expect(try await h.call(.get, "/v1/internal/collections/versions?\(q)&ids=", token: token).status == .badRequest)

            #expect(try await h.call(.delete, "/v1/search/collections/docs?\(q)", token: token).status == .noContent)
            #expect(try await versions("docs") == ["docs": afterDeletion + 1])
            #expect(try await searched() == afterDeletion + 1)
        }
    }
}
