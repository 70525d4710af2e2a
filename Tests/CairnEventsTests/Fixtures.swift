import CairnEvents
import CairnProtos
import Foundation
import SwiftProtobuf

/// Realistic events, one per topic: unicode text, float vectors, maps, enums, timestamps.
enum Fixtures {
    static let tenantID = "7f1c0e52-3c1a-4c55-9d0b-5b7a8e1f2a90"
    static let documentID = "0b9e4d4a-6a57-4b43-9a3c-2f7f8a1d5e11"
    static let unicodeText = "Zürich — 東京 — Привет — naïve café — 👩‍💻🚀 — عربى — e\u{301}"

    /// Deterministic values spanning signs and magnitudes, including subnormals and -0.0.
    static func vector(seed: Int, dimensions: Int = 384) -> [Float] {
        (0..<dimensions).map { i in
            switch (i + seed) % 7 {
            case 0: -0.0
            case 1: Float.leastNonzeroMagnitude
            case 2: -Float.greatestFiniteMagnitude
            default: Float(sin(Double(i * 31 + seed))) / 3
            }
        }
    }

    static func meta<Event: CairnEvent>(for type: Event.Type, producer: String) -> Cairn_V1_EventMeta {
        .make(for: type, tenantID: tenantID, producer: producer, correlationID: "req-01HZX3V2")
    }

    static let collectionID = "0b7f6c1e-2d3a-4e5f-8a9b-0c1d2e3f4a5b"

    static let documentSubmitted = Cairn_V1_DocumentSubmitted.make(
        tenantID: tenantID, producer: "ingestion", correlationID: "req-01HZX3V2"
    ) {
        $0.documentID = documentID
        $0.collectionID = collectionID
        $0.externalID = "confluence:SPACE/Ünïcode Page #42"
        $0.title = "Reise­richtlinie 2025 — 出張規程"
        $0.sourceUri = "https://wiki.example.com/spaces/HR/pages/42?lang=de"
        $0.contentType = "text/markdown; charset=utf-8"
        $0.text = "# Richtlinie\n\n" + String(repeating: unicodeText + "\n", count: 50)
        $0.metadata = ["author": "Zoë Ångström", "language": "de", "tags": "hr,travel,出張"]
        $0.version = 3
        $0.submittedBy = "user:3f0e…"
    }

    static let pdfSubmitted = Cairn_V1_DocumentSubmitted.make(tenantID: tenantID, producer: "external:sharepoint-sync") {
        $0.documentID = "5d0c7a7e-1111-4b43-9a3c-2f7f8a1d5e11"
        $0.collectionID = collectionID
        $0.externalID = "sp:drive/01ABC"
        $0.contentType = "application/pdf"
        $0.raw = Data([0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x37, 0x0A, 0x00, 0xFF, 0xFE] + (0..<4096).map { UInt8($0 % 256) })
    }

    static let chunksCreated = Cairn_V1_ChunksCreated.make(tenantID: tenantID, producer: "ingestion") {
        $0.documentID = documentID
        $0.documentVersion = 3
        $0.batchIndex = 1
        $0.batchCount = 2
        $0.chunker = "recursive-512/64@1"
        $0.title = "Reiserichtlinie 2025 — 出張規程"
        $0.sourceUri = "https://wiki.example.com/spaces/HR/pages/42"
        $0.chunks = (0..<3).map { ordinal in
            Cairn_V1_Chunk.with {
                $0.chunkID = "\(documentID):3:\(ordinal + 16)"
                $0.ordinal = UInt32(ordinal + 16)
                $0.text = "Abschnitt \(ordinal): " + unicodeText
                $0.tokenCount = 118
                $0.charStart = UInt32(ordinal * 400)
                $0.charEnd = UInt32(ordinal * 400 + 512)
                $0.metadata = ["page": "\(ordinal + 4)", "heading": "§ \(ordinal) Erstattung — 精算"]
            }
        }
    }

    static let chunksEmbedded = Cairn_V1_ChunksEmbedded.make(tenantID: tenantID, producer: "embedding") {
        $0.documentID = documentID
        $0.documentVersion = 3
        $0.model = "all-MiniLM-L6-v2"
        $0.dimensions = 384
        $0.normalized = true
        $0.batchIndex = 0
        $0.batchCount = 1
        $0.title = "Reiserichtlinie 2025"
        $0.sourceUri = "https://wiki.example.com/spaces/HR/pages/42"
        $0.chunks = (0..<4).map { ordinal in
            Cairn_V1_EmbeddedChunk.with {
                $0.chunkID = "\(documentID):3:\(ordinal)"
                $0.ordinal = UInt32(ordinal)
                $0.text = unicodeText
                $0.vector = vector(seed: ordinal)
                $0.metadata = ["page": "\(ordinal + 1)"]
                $0.tokenCount = 97
                $0.charStart = UInt32(ordinal * 300)
                $0.charEnd = UInt32(ordinal * 300 + 290)
            }
        }
    }

    static let documentDeletedVersion = Cairn_V1_DocumentDeleted.make(tenantID: tenantID, producer: "ingestion") {
        $0.documentID = documentID
        $0.version = 2
        $0.reason = .superseded
        $0.reasonDetail = "replaced by version 3"
        $0.deletedBy = "ingestion"
    }

    static let documentDeletedAll = Cairn_V1_DocumentDeleted.make(tenantID: tenantID, producer: "ingestion") {
        $0.documentID = documentID
        $0.allVersions = Cairn_V1_AllVersions()
        $0.reason = .userRequest
        $0.reasonDetail = "gelöscht über die API — 削除"
        $0.deletedBy = "api_key:ak_live_9f2c"
    }

    static let usageRecorded = Cairn_V1_UsageRecorded.make(tenantID: tenantID, producer: "chat-orchestrator") {
        $0.usageID = "req-01HZX3V2:chat_tokens_out"
        $0.subjectType = .apiKey
        $0.subjectID = "ak_live_9f2c"
        $0.kind = .chatTokensOut
        $0.quantity = 9_007_199_254_740_993   // above 2^53: must survive as an exact int64
        $0.unit = "tokens"
        $0.model = "qwen2.5-0.5b-instruct"
        $0.conversationID = "c0ffee00-0000-4000-8000-000000000001"
        $0.attributes = ["route": "/v1/chat", "région": "eu-west"]
    }

    static let quotaWarning = Cairn_V1_QuotaWarning.make(tenantID: tenantID, producer: "billing") {
        $0.kind = .chatTokens
        $0.used = 900_123
        $0.limit = 1_000_000
        $0.thresholdPercent = 90
        $0.periodStart = Google_Protobuf_Timestamp(seconds: 1_735_689_600, nanos: 0)   // 2025-01-01
        $0.periodEnd = Google_Protobuf_Timestamp(seconds: 1_738_368_000, nanos: 0)     // 2025-02-01
        $0.enforced = false
    }

    static let auditEvent = Cairn_V1_AuditEvent.make(tenantID: tenantID, producer: "auth") {
        $0.actorType = .user
        $0.actorID = "user:3f0e9c"
        $0.action = "api_key.create"
        $0.targetType = "api_key"
        $0.targetID = "ak_live_9f2c"
        $0.outcome = .success
        $0.ip = "2001:db8::1"
        $0.userAgent = "Mozilla/5.0 (X11; Linux x86_64) 😀"
        $0.details = ["scopes": "chat,documents:read", "name": "Prod-Schlüssel"]
    }
}
