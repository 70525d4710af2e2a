import CairnEvents
import CairnKafka
import CairnProtos
import CairnTesting
import Foundation
import PostgresNIO
import ServiceKit
import Testing

@testable import IngestionApp

/// The acceptance crash test: 1,000 documents submitted through Kafka, the real `ingestion`
/// executable killed with SIGKILL twice while it works through them, then run to the end.
/// Every document must end `chunked` exactly once (one version, one recorded submission), and
/// no chunk id may be published by two different events (a batch the relay sends again after a
/// crash is the same event, byte for byte, which consumers absorb by its event id and chunk ids).
@Suite struct IngestionCrashTests {
    static let documents = 1_000

    @Test func killedTwiceMidBacklogEveryDocumentIsChunkedExactlyOnce() async throws {
        try await TestDatabase.withFresh(prefix: "ingestion_crash") { database in
            let environment = try await IngestionHarness.environment(database: database.database, [
                "CAIRN_LOG_LEVEL": "warning", "CAIRN_INGESTION_OUTBOX_RELAY_MS": "50",
            ])
            let tenant = UUID()
            // The collection exists before the documents arrive (made through the app's own store).
            let collection = UUID()
            let submittedTopic = environment["CAIRN_INGESTION_SUBMITTED_TOPIC"]!
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("ingestion-crash-\(TestInfra.uniqueSuffix()).log")
            defer { try? FileManager.default.removeItem(at: log) }

            // The first run creates the schema; the collection is inserted before any document is sent.
            let first = try ServiceProcess.start("ingestion", environment: environment, log: log)
            #expect(await eventually(within: .seconds(60), every: .milliseconds(100)) {
                (try? await Self.count(database, "SELECT count(*)::int8 FROM information_schema.tables WHERE table_name = 'held_events'")) == 1
            }, "log: \(ServiceProcess.tail(of: log))")
            try await withPostgresClient(database) { client in
                try await client.query("""
                    INSERT INTO collections (id, tenant_id, name, embedding_model) VALUES (\(collection), \(tenant), 'crash', 'all-MiniLM-L6-v2')
                    """)
            }
            let ids = (0..<Self.documents).map { _ in UUID().uuidString.lowercased() }
            let records = ids.enumerated().map { index, id in
                let event = Cairn_V1_DocumentSubmitted.make(tenantID: tenant.uuidString.lowercased(), producer: "crash-test") {
                    $0.documentID = id
                    $0.collectionID = collection.uuidString.lowercased()
                    $0.contentType = "text/markdown"
                    $0.text = Self.markdown(index)
                }
                return KafkaRecord(topic: submittedTopic, key: event.partitionKey, value: EventCodec.encode(event))
            }
            try await IngestionHarness.publish(records)

            let chunked = "SELECT count(*)::int8 FROM documents WHERE status = 'chunked'"
            // Killed once some documents are done, and again further on.
            #expect(await eventually(within: .seconds(180), every: .milliseconds(20)) { (try? await Self.count(database, chunked)) ?? 0 >= 100 },
                    "log: \(ServiceProcess.tail(of: log))")
            kill(first.processIdentifier, SIGKILL)
            #expect(await eventually(within: .seconds(10)) { !first.isRunning })
            #expect(first.terminationReason == .uncaughtSignal)
            let afterFirst = try await Self.count(database, chunked)
            #expect(afterFirst < Self.documents, "killed with work left")

            let second = try ServiceProcess.start("ingestion", environment: environment, log: log)
            #expect(await eventually(within: .seconds(180), every: .milliseconds(20)) {
                (try? await Self.count(database, chunked)) ?? 0 >= min(Self.documents - 100, afterFirst + 300)
            }, "log: \(ServiceProcess.tail(of: log))")
            kill(second.processIdentifier, SIGKILL)
            #expect(await eventually(within: .seconds(10)) { !second.isRunning })
            #expect(try await Self.count(database, chunked) < Self.documents, "killed with work left")

            let third = try ServiceProcess.start("ingestion", environment: environment, log: log)
            let finished = await eventually(within: .seconds(300), every: .milliseconds(100)) {
                let done = (try? await Self.count(database, chunked)) == Self.documents
                let published = (try? await Self.count(database, "SELECT count(*)::int8 FROM outbox")) == 0
                return done && published
            }
            #expect(finished, "log: \(ServiceProcess.tail(of: log))")

            #expect(try await Self.count(database, "SELECT count(*)::int8 FROM documents") == Self.documents)
            #expect(try await Self.count(database, "SELECT count(*)::int8 FROM document_versions") == Self.documents, "one version each")
            #expect(try await Self.count(database, "SELECT count(*)::int8 FROM documents WHERE current_version <> 1") == 0)
            #expect(try await Self.count(database, "SELECT count(*)::int8 FROM submissions") == Self.documents, "each submission once")
            let expectedChunks = try await Self.count(database, "SELECT sum(chunk_count)::int8 FROM document_versions")

            let events = try await IngestionHarness.events(Cairn_V1_ChunksCreated.self, on: environment["CAIRN_INGESTION_CHUNKS_TOPIC"]!,
                                                           within: .seconds(120)) { events in
                Set(events.flatMap { $0.chunks.map(\.chunkID) }).count >= expectedChunks
            }
            third.terminate()
            #expect(await eventually(within: .seconds(30)) { !third.isRunning })
            #expect(third.terminationReason == .exit && third.terminationStatus == 0, "log: \(ServiceProcess.tail(of: log))")

            var eventOfChunk: [String: String] = [:]
            var conflicting = 0
            for event in events {
                #expect(event.documentVersion == 1)
                for chunk in event.chunks {
                    if let seen = eventOfChunk[chunk.chunkID], seen != event.meta.eventID { conflicting += 1 }
                    eventOfChunk[chunk.chunkID] = event.meta.eventID
                }
            }
            #expect(conflicting == 0, "no chunk is published by two different events")
            #expect(eventOfChunk.count == expectedChunks)
            let byDocument = Dictionary(grouping: events, by: \.documentID)
            #expect(Set(byDocument.keys) == Set(ids))
            for (id, batches) in byDocument {
                let chunkIDs = Set(batches.flatMap { $0.chunks.map(\.chunkID) })
                #expect(chunkIDs == Set((0..<chunkIDs.count).map { ChunkID.make(documentID: id, version: 1, ordinal: $0) }))
            }
            let republished = events.count - Set(events.map(\.meta.eventID)).count
            print("ingestion crash test: \(expectedChunks) chunks in \(Set(events.map(\.meta.eventID)).count) batches; \(republished) batches sent again by the relay after a kill")
        }
    }

    static func markdown(_ index: Int) -> String {
        let words = ["river", "mountain", "archive", "ledger", "harbour", "lantern", "quarry", "meadow", "signal", "orchard", "compass",
                     "granite", "willow", "thunder", "ferry", "canyon", "beacon", "the", "of", "and", "a", "to", "in"]
        var state = UInt64(index + 1) &* 6_364_136_223_846_793_005
        var text = "# Document \(index)\n\n"
        for paragraph in 0..<(2 + index % 4) {
            text += "## Part \(paragraph)\n\n"
            for _ in 0..<60 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += words[Int(state >> 33) % words.count] + " "
            }
            text += "end.\n\n"
        }
        return text
    }

    static func count(_ database: PostgresSettings, _ sql: String) async throws -> Int {
        try await withPostgresClient(database) { client in
            for try await value in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) { return value }
            return 0
        }
    }
}
