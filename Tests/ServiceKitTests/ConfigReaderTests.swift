import Testing
@testable import ServiceKit

@Suite struct ConfigReaderTests {
    let everything: Set<ServiceConfig.Dependency> = [.postgres(database: "cairn_test"), .redis, .kafka]

    @Test func listsEveryMissingRequiredKeyAtOnce() {
        #expect {
            try ServiceConfig(serviceName: "x", defaultPort: 8080, dependencies: everything, environment: [:])
        } throws: { error in
            let keys = Set((error as? ConfigurationError)?.keys ?? [])
            return keys == ["CAIRN_POSTGRES_HOST", "CAIRN_REDIS_HOST", "CAIRN_KAFKA_BROKERS"]
        }
    }

    @Test func listsInvalidValuesWithMissingOnes() throws {
        let environment = [
            "CAIRN_HTTP_PORT": "http", "CAIRN_LOG_LEVEL": "loud", "CAIRN_POSTGRES_HOST": "db",
            "CAIRN_POSTGRES_TLS": "maybe", "CAIRN_KAFKA_BROKERS": "broker-without-port",
        ]
        do {
            _ = try ServiceConfig(serviceName: "x", defaultPort: 8080, dependencies: everything, environment: environment)
            Issue.record("expected a configuration error")
        } catch {
            #expect(Set(error.keys) == [
                "CAIRN_HTTP_PORT", "CAIRN_LOG_LEVEL", "CAIRN_POSTGRES_TLS", "CAIRN_REDIS_HOST", "CAIRN_KAFKA_BROKERS",
            ])
            #expect(error.description.contains("expected one of disable|require|verify-full"))
            #expect(error.description.contains("CAIRN_HTTP_PORT: invalid value \"http\""))
        }
    }

    @Test func appliesDefaultsAndReadsValues() throws {
        let config = try ServiceConfig(
            serviceName: "billing", defaultPort: 8082, dependencies: everything,
            environment: [
                "CAIRN_POSTGRES_HOST": "db.internal", "CAIRN_POSTGRES_TLS": "verify-full",
                "CAIRN_REDIS_HOST": "cache", "CAIRN_KAFKA_BROKERS": "k1:9092, [::1]:9093",
            ]
        )
        #expect(config.http.port == 8082)
        #expect(config.http.host == "127.0.0.1")
        #expect(config.logLevel == .info)
        #expect(config.postgres?.database == "cairn_test")
        #expect(config.postgres?.tls == .verifyFull)
        #expect(config.redis?.endpoint == Endpoint(host: "cache", port: 6379))
        #expect(config.kafka?.brokers == [Endpoint(host: "k1", port: 9092), Endpoint(host: "::1", port: 9093)])
    }

    @Test func onlyDeclaredDependenciesAreRead() throws {
        let config = try ServiceConfig(serviceName: "generation", defaultPort: 8086, dependencies: [.redis],
                                       environment: ["CAIRN_REDIS_HOST": "cache"])
        #expect(config.postgres == nil && config.kafka == nil && config.redis != nil)
    }

    @Test func descriptionsNeverContainPasswords() throws {
        let config = try ServiceConfig(
            serviceName: "x", defaultPort: 1, dependencies: everything,
            environment: [
                "CAIRN_POSTGRES_HOST": "db", "CAIRN_POSTGRES_PASSWORD": "pg-s3cret",
                "CAIRN_REDIS_HOST": "r", "CAIRN_REDIS_PASSWORD": "redis-s3cret", "CAIRN_KAFKA_BROKERS": "k:1",
            ]
        )
        #expect(config.postgres?.password == "pg-s3cret")
        let text = "\(config.postgres!) \(config.redis!) \(config)"
        #expect(!text.contains("s3cret"))
    }

    @Test func kafkaPropertiesPassThroughWithoutShowingTheirValues() throws {
        let config = try ServiceConfig(
            serviceName: "x", defaultPort: 1, dependencies: [.kafka],
            environment: [
                "CAIRN_KAFKA_BROKERS": "k:9093", "CAIRN_KAFKA_OPT_SECURITY_PROTOCOL": "SASL_SSL",
                "CAIRN_KAFKA_OPT_SASL_PASSWORD": "kafka-s3cret", "CAIRN_KAFKA_OPT_": "ignored",
            ]
        )
        #expect(config.kafka?.properties == ["security.protocol": "SASL_SSL", "sasl.password": "kafka-s3cret"])
        let text = "\(config.kafka!)"
        #expect(text.contains("sasl.password") && !text.contains("kafka-s3cret"))
    }
}
