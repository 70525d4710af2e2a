import CairnEvents
import CairnKafka
import CairnProtos
import CairnTesting
import Foundation
import Testing

@testable import IngestionApp

/// Both doors through the one pipeline, against real Postgres and Kafka: uploads of every
/// format end `chunked` with their chunks published, bad documents end `failed` with the
/// reason, re-ingesting is a no-op, new content is exactly one new version whose predecessor
/// is retracted only after it, deletions and confirmations move the status.
@Suite(.serialized) struct DocumentPipelineTests {
    static let formats: [(file: String, type: String?)] = [
        ("headings.md", "text/markdown"), ("page.html", "text/html"), ("records.json", "application/json"), ("plain-utf8.txt", "text/plain"),
        ("multiscript.txt", nil), ("single-page.pdf", "application/pdf"), ("multipage.pdf", nil), ("sample.docx", nil),
    ]

    @Test func anUploadOfEachFormatEndsChunkedWithItsChunksPublished() async throws {
        try await IngestionHarness.run { harness in
            let collection = try await harness.createCollection()
            var ids: [String: String] = [:]
            for (file, type) in Self.formats {
                let reply = try await harness.upload(try Fixture.data(file), filename: file, type: type, to: collection, fields: ["source_uri": "test://\(file)"])
                #expect(reply.status == .accepted, "\(file): \(reply.text)")
                let id = try #require(reply.string("document_id"))
                #expect(reply.string("status") == "pending")
                #expect(reply.string("status_url") == "/v1/documents/\(id)")
                ids[file] = id
            }
            var expectedChunks: [String: Int] = [:]
            for (file, id) in ids {
                let document = try await harness.awaitStatus(id, "chunked")
                let count = try #require(document.int("chunk_count"))
                #expect(count > 0, "\(file)")
                #expect(document.int("version") == 1)
                #expect(document.object("timestamps")?["chunked_at"] != nil)
                #expect(document.string("collection_id") == collection)
                expectedChunks[id] = count
            }
            let expected = expectedChunks
            let events = try await IngestionHarness.events(Cairn_V1_ChunksCreated.self, on: harness.topic("chunks")) { events in
                expected.allSatisfy { id, count in events.filter { $0.documentID == id }.flatMap(\.chunks).count >= count }
            }
            for (id, count) in expected {
                let chunks = events.filter { $0.documentID == id }.flatMap(\.chunks)
                #expect(chunks.count == count)
                #expect(chunks.map(\.chunkID) == (0..<count).map { ChunkID.make(documentID: id, version: 1, ordinal: $0) }, "deterministic ids")
                #expect(chunks.allSatisfy { $0.metadata["collection_id"] == collection })
                #expect(events.filter { $0.documentID == id }.allSatisfy { $0.collectionID == collection && $0.documentVersion == 1 })
            }
            let pdf = events.filter { $0.documentID == ids["multipage.pdf"] }.flatMap(\.chunks)
            #expect(!pdf.isEmpty && pdf.allSatisfy { $0.metadata["page"] != nil }, "PDF chunks carry their page")
            #expect(pdf.contains { $0.metadata["page"] == "2" || $0.metadata["last_page"].map { Int($0)! >= 2 } == true }, "and pages after the first")
        }
    }

    @Test func aThirtyMegabyteUploadIs413WithTheLimit() async throws {
        try await IngestionHarness.run { harness in
            let collection = try await harness.createCollection()
            let reply = try await harness.upload(Data(repeating: UInt8(ascii: "a"), count: 30 * 1_048_576), filename: "big.txt", type: "text/plain",
                                                 to: collection)
            #expect(reply.status == .contentTooLarge)
            #expect(reply.errorCode == "DOCUMENT_TOO_LARGE")
            #expect(reply.string("error", "message")?.contains("26214400") == true, "\(reply.text)")
            #expect(try await harness.count("SELECT count(*)::int8 FROM documents") == 0)
        }
    }

    @Test func badUploadsAnswerWithTheRightStatus() async throws {
        try await IngestionHarness.run { harness in
            let collection = try await harness.createCollection()
            let image = try await harness.upload(Data([0x89, 0x50, 0x4E, 0x47]), filename: "x.png", type: "image/png", to: collection)
            #expect(image.status == .unsupportedMediaType, "\(image.text)")
            let empty = try await harness.upload(Data(), filename: "empty.txt", type: "text/plain", to: collection)
            #expect(empty.status == .unprocessableContent, "\(empty.text)")
            let noFile = try await harness.call(.post, "/v1/collections/\(collection)/documents", json: ["title": "no content"], token: try await harness.member())
            #expect(noFile.status == .badRequest)
            let unknown = try await harness.upload(Data("hi".utf8), filename: "a.txt", type: "text/plain", to: UUID().uuidString)
            #expect(unknown.status == .notFound)
        }
    }

    @Test func aCorruptedPDFEndsFailedWithTheReason() async throws {
        try await IngestionHarness.run { harness in
            let collection = try await harness.createCollection()
            let reply = try await harness.upload(try Fixture.data("corrupted.pdf"), filename: "corrupted.pdf", type: "application/pdf", to: collection)
            let id = try #require(reply.string("document_id"))
            let document = try await harness.awaitStatus(id, "failed")
            let error = try #require(document.string("error"))
            #expect(error.contains("corrupted") || error.contains("decoded"), "\(error)")
            #expect(document.object("timestamps")?["failed_at"] != nil)
        }
    }

    @Test func aDeletedDocumentIsATombstoneLeftOutOfListsAndItsExternalIDMakesANewDocument() async throws {
        try await IngestionHarness.run { harness in
            let collection = try await harness.createCollection()
            let text = "# Tides\n\nA note about tides in the northern harbour."
            let id = try await harness.submitText(text, to: collection, extra: ["external_id": "tides"])
            try await harness.awaitStatus(id, "chunked")
            let admin = try await harness.admin()
            #expect(try await harness.call(.delete, "/v1/documents/\(id)", token: admin).status == .noContent)
            try await harness.awaitStatus(id, "deleted")
            // The same content under the same external id: a new document, processed from scratch.
            let again = try await harness.submitText(text, to: collection, extra: ["external_id": "tides"])
            #expect(again != id, "a deleted document is not revived")
            let fresh = try await harness.awaitStatus(again, "chunked")
            #expect(fresh.int("version") == 1)
            #expect(try await harness.document(id).string("status") == "deleted")
            let member = try await harness.member()
            let listed = try await harness.call(.get, "/v1/documents?collection_id=\(collection)", token: member)
            #expect(listed.text.contains(again) && !listed.text.contains(id), "\(listed.text)")
            let deleted = try await harness.call(.get, "/v1/documents?status=deleted", token: member)
            #expect(deleted.text.contains(id) && !deleted.text.contains(again), "\(deleted.text)")
        }
    }

    @Test func sameContentIsANoOpAndNewContentExactlyOneNewVersionRetractedAfter() async throws {
        try await IngestionHarness.run { harness in
            let collection = try await harness.createCollection()
            let text = "# Guide\n\nThe first version of a guide about rivers and mountains."
            let id = try await harness.submitText(text, to: collection, extra: ["external_id": "guide"])
            try await harness.awaitStatus(id, "chunked")
            // The same text again (by external id): no new version.
            let again = try await harness.submitText(text, to: collection, extra: ["external_id": "guide"])
            #expect(again == id, "the external id names the same document")
            #expect(await eventually(within: .seconds(30)) {
                (try? await harness.count("SELECT count(*)::int8 FROM submissions")) == 2
            })
            let unchanged = try await harness.awaitStatus(id, "chunked")
            #expect(unchanged.int("version") == 1)
            // New text: exactly one new version.
            _ = try await harness.submitText(text + "\n\nA second paragraph about harbours.", to: collection, extra: ["external_id": "guide"])
            #expect(await eventually(within: .seconds(30)) { (try? await harness.document(id).int("version")) == 2 })
            try await harness.awaitStatus(id, "chunked")
            #expect(try await harness.count("SELECT count(*)::int8 FROM document_versions") == 2)

            let deletions = try await IngestionHarness.events(Cairn_V1_DocumentDeleted.self, on: harness.topic("deleted")) { !$0.isEmpty }
            let created = try await IngestionHarness.events(Cairn_V1_ChunksCreated.self, on: harness.topic("chunks")) { events in
                events.contains { $0.documentVersion == 2 }
            }
            #expect(Set(created.map(\.documentVersion)) == [1, 2])
            #expect(deletions.count == 1)
            let deletion = try #require(deletions.first)
            #expect(deletion.documentID == id && deletion.version == 1 && deletion.reason == .superseded)
            // The retraction is published after the new version's chunks were acknowledged.
            let deletionRecord = try await TopicTap.read(harness.topic("deleted"), within: .seconds(30)) { !$0.isEmpty }
            let chunkRecords = try await TopicTap.read(harness.topic("chunks"), within: .seconds(30)) { $0.count >= created.count }
            let lastChunk = chunkRecords.compactMap { record -> Int64? in
                guard let event = try? EventCodec.decode(Cairn_V1_ChunksCreated.self, from: record.value), event.documentVersion == 2 else { return nil }
                return record.timestamp
            }.max()
            #expect(try #require(deletionRecord.first?.timestamp) >= (try #require(lastChunk)))
        }
    }

    @Test func confirmationsOfEveryBatchMakeTheDocumentIndexed() async throws {
        try await IngestionHarness.run(["CAIRN_INGESTION_BATCH_MAX_CHUNKS": "2"]) { harness in
            let collection = try await harness.createCollection(settings: ["chunk_size": 32, "chunk_overlap": 4])
            let text = (1...20).map { "Paragraph \($0) tells of lanterns, ledgers and a quiet harbour town by the sea." }.joined(separator: "\n\n")
            let id = try await harness.submitText(text, to: collection)
            let chunked = try await harness.awaitStatus(id, "chunked")
            let batches = try await IngestionHarness.events(Cairn_V1_ChunksCreated.self, on: harness.topic("chunks")) { events in
                guard let first = events.first else { return false }
                return events.count == Int(first.batchCount)
            }
            let batchCount = Int(try #require(batches.first?.batchCount))
            #expect(batchCount >= 2, "small batches: \(chunked.text)")
            let tenant = harness.tenant.uuidString.lowercased()
            func indexed(_ batch: Int) -> KafkaRecord {
                let event = Cairn_V1_DocumentIndexed.make(tenantID: tenant, producer: "vector-search") {
                    $0.documentID = id
                    $0.documentVersion = 1
                    $0.collectionID = collection
                    $0.batchIndex = UInt32(batch)
                    $0.batchCount = UInt32(batchCount)
                }
                return KafkaRecord(topic: harness.topic("indexed"), key: event.partitionKey, value: EventCodec.encode(event))
            }
            // All but the last batch, the first twice: still chunked.
            try await IngestionHarness.publish([indexed(0)] + (0..<(batchCount - 1)).map(indexed))
            #expect(await eventually(within: .seconds(30)) {
                (try? await harness.count("SELECT batches_indexed::int8 FROM document_versions")) == batchCount - 1
            })
            #expect(try await harness.document(id).string("status") == "chunked")
            try await IngestionHarness.publish([indexed(batchCount - 1)])
            let done = try await harness.awaitStatus(id, "indexed")
            #expect(done.object("timestamps")?["indexed_at"] != nil)
        }
    }

    @Test func deletingADocumentOrACollectionTombstonesEveryVersion() async throws {
        try await IngestionHarness.run { harness in
            let collection = try await harness.createCollection()
            let first = try await harness.submitText("# One\n\nThe first document.", to: collection)
            let second = try await harness.submitText("# Two\n\nThe second document.", to: collection)
            try await harness.awaitStatus(first, "chunked")
            try await harness.awaitStatus(second, "chunked")
            let member = try await harness.call(.delete, "/v1/documents/\(first)", token: try await harness.member())
            #expect(member.status == .forbidden, "deleting takes documents:delete")
            let deleted = try await harness.call(.delete, "/v1/documents/\(first)", token: try await harness.admin())
            #expect(deleted.status == .noContent)
            let document = try await harness.document(first)
            #expect(document.string("status") == "deleted")
            #expect(document.object("timestamps")?["deleted_at"] != nil)
            let gone = try await harness.call(.delete, "/v1/collections/\(collection)", token: try await harness.admin())
            #expect(gone.status == .noContent)
            #expect(try await harness.document(second).string("status") == "deleted")
            #expect(try await harness.call(.get, "/v1/collections/\(collection)", token: try await harness.member()).status == .notFound)
            let tombstones = try await IngestionHarness.events(Cairn_V1_DocumentDeleted.self, on: harness.topic("deleted")) { $0.count >= 2 }
            #expect(Set(tombstones.map(\.documentID)) == [first, second])
            #expect(tombstones.allSatisfy { $0.allVersions == Cairn_V1_AllVersions() && $0.reason == .userRequest })
        }
    }

    @Test func anOutsideProducersBadDocumentFailsAndGoesToTheDLQ() async throws {
        try await IngestionHarness.run { harness in
            let collection = try await harness.createCollection()
            let tenant = harness.tenant.uuidString.lowercased()
            let good = UUID().uuidString.lowercased()
            let bad = UUID().uuidString.lowercased()
            func submitted(_ id: String, _ build: @escaping (inout Cairn_V1_DocumentSubmitted) -> Void) -> KafkaRecord {
                let event = Cairn_V1_DocumentSubmitted.make(tenantID: tenant, producer: "cms") {
                    $0.documentID = id
                    $0.collectionID = collection
                    build(&$0)
                }
                return KafkaRecord(topic: harness.topic("submitted"), key: event.partitionKey, value: EventCodec.encode(event))
            }
            try await IngestionHarness.publish([
                submitted(good) { $0.text = "Plain text from a CMS about willows and copper."; $0.title = "CMS page"; $0.externalID = "cms-1" },
                submitted(bad) { $0.raw = try! Fixture.data("corrupted.pdf"); $0.contentType = "application/pdf" },
            ])
            let ok = try await harness.awaitStatus(good, "chunked")
            #expect(ok.string("title") == "CMS page")
            #expect(ok.string("external_id") == "cms-1")
            let failed = try await harness.awaitStatus(bad, "failed")
            #expect(failed.string("error") != nil)
            let dead = try await TopicTap.read(harness.topic("submitted") + ".dlq", within: .seconds(30)) { !$0.isEmpty }
            #expect(dead.count == 1)
            let reason = dead.first?.header("cairn-dlq-error").map { String(decoding: $0, as: UTF8.self) } ?? ""
            #expect(reason == failed.string("error"), "the DLQ reason is the document's")
        }
    }

    @Test func storedDocumentsAndTheirBytesAreMeteredOnce() async throws {
        try await IngestionHarness.run { harness in
            let collection = try await harness.createCollection()
            let text = "Usage is metered for documents stored and their bytes."
            let id = try await harness.submitText(text, to: collection, extra: ["external_id": "metered"])
            try await harness.awaitStatus(id, "chunked")
            _ = try await harness.submitText(text + " Changed.", to: collection, extra: ["external_id": "metered"])
            #expect(await eventually(within: .seconds(30)) { (try? await harness.document(id).int("version")) == 2 })
            let usage = try await IngestionHarness.events(Cairn_V1_UsageRecorded.self, on: harness.topic("usage")) { $0.count >= 3 }
            #expect(usage.filter { $0.kind == .documentStored }.map(\.usageID) == ["ingestion:document-stored:\(id)"])
            #expect(Set(usage.filter { $0.kind == .documentBytes }.map(\.usageID)) == ["ingestion:document-bytes:\(id):1", "ingestion:document-bytes:\(id):2"])
            #expect(usage.first { $0.usageID.hasSuffix(":1") }?.quantity == Int64(text.utf8.count))
        }
    }
}
