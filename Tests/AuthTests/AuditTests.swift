import CairnEvents
import CairnKafka
import CairnProtos
import CairnTesting
import Foundation
import NIOConcurrencyHelpers
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import Testing

/// The audit log: written with the action, published on cairn.audit.v1, fed by other services'
/// events, append-only, partitioned by month, listed per tenant with filters and a cursor.
@Suite struct AuditTests {
    static func outboxCount(_ auth: AuthHarness) async throws -> Int {
        try await auth.withDatabase { client in
            for try await count in try await client.query("SELECT count(*)::int FROM audit_outbox").decode(Int.self) { return count }
            return -1
        }
    }

    @Test func eventsArePublishedToKafka() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            let seen = NIOLockedValueBox<[Cairn_V1_AuditEvent]>([])
            let logger = TestInfra.logger(level: .error)
            let settings = KafkaSettings(brokers: TestInfra.kafkaBrokers.split(separator: ",").compactMap { Endpoint(parsing: $0) })
            let producer = try KafkaProducer(settings: settings, clientID: "audit-test", logger: logger)
            defer { producer.close() }
            let worker = try KafkaConsumerWorker(
                settings: settings, configuration: .init(groupID: "audit-test-\(TestInfra.uniqueSuffix())", topics: [EventTopic.audit.name]),
                dlq: producer, logger: logger
            ) { message in
                let event = try EventCodec.decode(Cairn_V1_AuditEvent.self, from: message.value)
                if event.meta.tenantID == admin.tenantID { seen.withLockedValue { $0.append(event) } }
            }
            let group = ServiceGroup(configuration: .init(services: [worker], logger: logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                // Generous: joining a new group on Tansu is slow while other tests' groups rebalance.
                let published = await eventually(within: .seconds(90)) {
                    seen.withLockedValue { events in events.contains { $0.action == "tenant.create" && $0.actorID == admin.userID } }
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                #expect(published)
            }
            let event = try #require(seen.withLockedValue { $0.first { $0.action == "tenant.create" } })
            #expect(event.meta.producer == "auth")
            #expect(event.outcome == .success)
            #expect(await eventually(within: .seconds(10)) { (try? await Self.outboxCount(auth)) == 0 })
        }
    }

    @Test func otherServicesEventsAreStoredOnceEach() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            let event = Cairn_V1_AuditEvent.make(tenantID: admin.tenantID, producer: "gateway") { event in
                event.actorType = .apiKey
                event.actorID = "key-1"
                event.action = "quota.exceeded"
                event.outcome = .denied
                event.details = ["limit": "1000"]
            }
            let settings = KafkaSettings(brokers: TestInfra.kafkaBrokers.split(separator: ",").compactMap { Endpoint(parsing: $0) })
            let producer = try KafkaProducer(settings: settings, clientID: "gateway-test", logger: TestInfra.logger(level: .error))
            defer { producer.close() }
            let record = KafkaRecord(topic: EventTopic.audit.name, key: admin.tenantID, value: EventCodec.encode(event))
            // Delivered twice (a producer retry, say): stored once.
            _ = try await producer.send(record)
            _ = try await producer.send(record)
            let stored = await eventually(within: .seconds(90)) {
                let reply = try? await auth.get("/v1/audit?action=quota.exceeded", token: admin.accessToken)
                return reply?.array("events")?.count == 1
            }
            #expect(stored)
            let reply = try await auth.get("/v1/audit?action=quota.exceeded", token: admin.accessToken)
            let row = try #require(reply.array("events")?.first)
            #expect(row["producer"] as? String == "gateway")
            #expect(row["outcome"] as? String == "denied")
            #expect((row["details"] as? [String: String])?["limit"] == "1000")
            #expect(row["id"] as? String == event.meta.eventID.uppercased() || row["id"] as? String == event.meta.eventID)
        }
    }

    @Test func listIsFilteredAndPagedByCursor() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            let tenant = UUID(uuidString: admin.tenantID)!
            try await auth.withDatabase { client in
                for index in 0..<25 {
                    let outcome = index % 5 == 0 ? "failure" : "success"
                    try await client.query("""
                        INSERT INTO audit_log (id, tenant_id, occurred_at, actor_type, actor_id, action, target_type, target_id, outcome,
                                               ip, user_agent, details, producer, correlation_id)
                        VALUES (\(UUID()), \(tenant), now() - make_interval(secs => \(index)), 'user', 'u', 'doc.read', '', '', \(outcome),
                                '', '', '{}'::jsonb, 'test', '')
                        """)
                }
            }
            var ids: [String] = []
            var times: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let query = "/v1/audit?action=doc.read&limit=10" + (cursor.map { "&cursor=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" } ?? "")
                let page = try await auth.get(query, token: admin.accessToken)
                #expect(page.status == .ok, "\(page.text)")
                let events = try #require(page.array("events"))
                ids += events.compactMap { $0["id"] as? String }
                times += events.compactMap { $0["occurred_at"] as? String }
                cursor = page.string("next_cursor")
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(ids.count == 25)
            #expect(Set(ids).count == 25)
            #expect(times == times.sorted(by: >))
            let failures = try await auth.get("/v1/audit?action=doc.read&outcome=failure", token: admin.accessToken)
            #expect(failures.array("events")?.count == 5)
            #expect(try await auth.get("/v1/audit?limit=0", token: admin.accessToken).status == .badRequest)
            #expect(try await auth.get("/v1/audit?cursor=garbage", token: admin.accessToken).status == .badRequest)
            #expect(try await auth.get("/v1/audit?since=yesterday", token: admin.accessToken).status == .badRequest)
        }
    }

    @Test func logIsAppendOnlyAndPartitionedByMonth() async throws {
        try await AuthHarness.run { auth in
            _ = try await auth.register()
            try await auth.withDatabase { client in
                await #expect(throws: (any Error).self) { try await client.query("UPDATE audit_log SET action = 'x'") }
                await #expect(throws: (any Error).self) { try await client.query("DELETE FROM audit_log") }
                var partitions: [String] = []
                let rows = try await client.query("""
                    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                    JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'audit_log' ORDER BY c.relname
                    """)
                for try await name in rows.decode(String.self) { partitions.append(name) }
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = TimeZone(identifier: "UTC")!
                let now = calendar.dateComponents([.year, .month], from: Date())
                let current = String(format: "audit_log_%04d_%02d", now.year!, now.month!)
                #expect(partitions.contains(current))
                #expect(partitions.count == 4)
                // The registration's audit line is in this month's partition, not the default one.
                var inCurrent = 0
                for try await count in try await client.query(PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM \(current)")).decode(Int.self) {
                    inCurrent = count
                }
                #expect(inCurrent >= 1)
            }
        }
    }
}
