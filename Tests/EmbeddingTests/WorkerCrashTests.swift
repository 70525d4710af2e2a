import CairnEvents
import CairnKafka
import CairnProtos
import CairnTesting
import Foundation
import Testing

/// The acceptance crash test: the real `embedding` executable is killed with SIGKILL while it
/// works through a backlog of `ChunksCreated`, then restarted; every chunk must end up embedded
/// and published, and every input's usage billed, none missing. (Needs the real model.)
@Suite struct WorkerCrashTests {
    static let documents = 60
    static let chunksPerDocument = 8

    @Test func aWorkerKilledMidBatchLosesNothing() async throws {
        let environment = try await EmbeddingHarness.environment([
            "CAIRN_EMBEDDING_WORKER_BATCH_MESSAGES": "4", "CAIRN_LOG_LEVEL": "warning", "CAIRN_EMBEDDING_WORKER": "on",
        ])
        let embeddedTopic = try #require(environment["CAIRN_EMBEDDING_EMBEDDED_TOPIC"])
        let tenant = UUID()
        let run = UUID().uuidString.prefix(8)
        let inputs = (0..<Self.documents).map { document in
            EmbeddingHarness.chunksCreated(tenant: tenant, texts: (0..<Self.chunksPerDocument).map { Self.text(run: run, document: document, chunk: $0) })
        }
        try await EmbeddingHarness.publish(inputs.map {
            KafkaRecord(topic: environment["CAIRN_EMBEDDING_CHUNKS_TOPIC"]!, key: $0.partitionKey, value: EventCodec.encode($0))
        })
        let expected = Set(inputs.flatMap { $0.chunks.map(\.chunkID) })
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("embedding-crash-\(TestInfra.uniqueSuffix()).log")
        defer { try? FileManager.default.removeItem(at: log) }

        // First run: killed once some output is out, with most of the backlog still to do.
        let first = try ServiceProcess.start("embedding", environment: environment, log: log)
        let early = try await TopicReader.read(embeddedTopic, within: .seconds(180)) { $0.count >= 3 }
        kill(first.processIdentifier, SIGKILL)
        #expect(await eventually(within: .seconds(10)) { !first.isRunning })
        #expect(first.terminationReason == .uncaughtSignal, "log: \(ServiceProcess.tail(of: log))")
        #expect(early.count >= 3, "the first run published before it was killed; log: \(ServiceProcess.tail(of: log))")
        #expect(early.count < Self.documents, "it was killed with work left")

        // Second run: to the end, then stopped gracefully.
        let second = try ServiceProcess.start("embedding", environment: environment, log: log)
        let outputs = try await TopicReader.events(Cairn_V1_ChunksEmbedded.self, on: embeddedTopic, within: .seconds(300)) { events in
            expected.isSubset(of: Set(events.flatMap { $0.chunks.map(\.chunkID) }))
        }
        second.terminate()
        #expect(await eventually(within: .seconds(90)) { !second.isRunning })
        #expect(second.terminationReason == .exit && second.terminationStatus == 0, "log: \(ServiceProcess.tail(of: log))")

        let published = Set(outputs.flatMap { $0.chunks.map(\.chunkID) })
        #expect(published == expected, "\(expected.subtracting(published).count) chunks missing")
        #expect(outputs.allSatisfy { $0.chunks.allSatisfy { $0.vector.count == 384 } })
        #expect(Set(outputs.map(\.meta.eventID)).count == Set(outputs.map(\.documentID)).count, "a republished batch keeps its event id")

        let usageIDs = Set(inputs.map { "embedding-chunks:\($0.meta.eventID)" })
        let usage = try await TopicReader.events(Cairn_V1_UsageRecorded.self, on: environment["CAIRN_EMBEDDING_USAGE_TOPIC"]!) { events in
            usageIDs.isSubset(of: Set(events.map(\.usageID)))
        }
        #expect(Set(usage.map(\.usageID)) == usageIDs, "every batch billed (billing counts each usage id once)")
    }

    /// A chunk of about 500 characters of plain prose, different for every document and chunk.
    static func text(run: Substring, document: Int, chunk: Int) -> String {
        let words = ["river", "mountain", "archive", "ledger", "harbour", "lantern", "quarry", "meadow", "signal", "orchard", "compass",
                     "granite", "willow", "thunder", "ferry", "canyon", "beacon", "parchment", "glacier", "market", "saddle", "violet",
                     "engine", "tunnel", "pepper", "falcon", "copper", "island", "cellar", "garden", "anchor", "mirror", "the", "of", "and",
                     "a", "to", "in", "was", "near"]
        var state = UInt64(document * 1_000 + chunk + 1) &* 6_364_136_223_846_793_005
        var text = "Run \(run), document \(document), part \(chunk):"
        while text.count < 500 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            text += " " + words[Int(state >> 33) % words.count]
        }
        return text + "."
    }
}
