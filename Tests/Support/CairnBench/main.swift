// cairn-bench: measures our clients beside the reference tools, in one run, printing JSON lines.
//   cairn-bench [kafka|redis|auth|billing|gateway|embedding|ingestion|vector-search|all]      (make bench runs it in release mode)
// Reads the same CAIRN_* connection variables as the services (deploy/local/env.sh sets them).
import Foundation
import Logging
import ServiceKit

let which = CommandLine.arguments.dropFirst().first ?? "all"
var reader = ConfigReader(environment: ProcessInfo.processInfo.environment)
let brokers = reader.endpoints("CAIRN_KAFKA_BROKERS")
let redis = Endpoint(host: reader.string("CAIRN_REDIS_HOST"), port: reader.port("CAIRN_REDIS_PORT", default: 6379))
let kafkaMessages = reader.int("CAIRN_BENCH_KAFKA_MESSAGES", default: 1_000_000, range: 1_000...10_000_000)
let redisSeconds = reader.int("CAIRN_BENCH_REDIS_SECONDS", default: 5, range: 1...600)
let loginSeconds = reader.int("CAIRN_BENCH_LOGIN_SECONDS", default: 5, range: 1...600)
let gatewaySeconds = reader.int("CAIRN_BENCH_GATEWAY_SECONDS", default: 10, range: 1...600)
let embeddingRepeats = reader.int("CAIRN_BENCH_EMBEDDING_REPEATS", default: 3, range: 1...100)
let embeddingQueries = reader.int("CAIRN_BENCH_EMBEDDING_QUERIES", default: 200, range: 10...100_000)
let vectorCount = reader.int("CAIRN_BENCH_VECTORS", default: 100_000, range: 1_000...10_000_000)
let vectorAnchors = reader.string("CAIRN_BENCH_VECTORS_ANCHORS", default: "1") != "0"
let generationRequests = reader.int("CAIRN_BENCH_GENERATION_REQUESTS", default: 500, range: 10...100_000)
reader.finishOrExit(program: "cairn-bench")
// The services' JSON log handler, as they run in production, quiet below errors.
CairnLogging.bootstrap(service: "cairn-bench", level: .error)
var logger = Logger(label: "cairn-bench")
logger.logLevel = .error

if which == "kafka" || which == "all" {
    for line in try await KafkaBench.run(settings: KafkaSettings(brokers: brokers), messages: kafkaMessages, logger: logger) {
        print(line)
    }
}
if which == "redis" || which == "all" {
    for line in try await RedisBench.run(endpoint: redis, seconds: Double(redisSeconds)) { print(line) }
}
if which == "auth" || which == "all" {
    for line in try await AuthBench.verification() { print(line) }
    for line in try await LoginBench.run(seconds: Double(loginSeconds)) { print(line) }
}
if which == "billing" || which == "all" {
    for line in try await BillingBench.run(settings: KafkaSettings(brokers: brokers), logger: logger) { print(line) }
}
if which == "gateway" || which == "all" {
    for line in try await GatewayBench.run(seconds: gatewaySeconds, logger: logger) { print(line) }
}
if which == "embedding" || which == "all" {
    for line in try await EmbeddingBench.run(repeats: embeddingRepeats, queries: embeddingQueries, logger: logger) { print(line) }
}
if which == "vector-search" || which == "all" {
    let http = { (base: [Float], queries: [[Float]]) in try await VectorSearchHTTPBench.run(base: base, queries: queries, logger: logger) }
    for line in try await VectorSearchBench.run(count: vectorCount, anchors: vectorAnchors, http: http) { print(line) }
}
if which == "generation" || which == "all" {
    for line in try await GenerationBench.run(requests: generationRequests, logger: logger) { print(line) }
}
if which == "ingestion" || which == "all" {
    for line in try await IngestionBench.run() { print(line) }
}
