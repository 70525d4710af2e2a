import Logging
import NIOSSL
import PostgresNIO
import ServiceKit

extension PostgresSettings {
    /// The postgres-nio client configuration for these settings, TLS included:
    /// `disable` is plain TCP, `require` encrypts without verifying the server,
    /// `verify-full` verifies the chain (against `caFile` when set) and the host name.
    public func clientConfiguration() throws -> PostgresClient.Configuration {
        let tlsConfiguration: PostgresClient.Configuration.TLS
        switch tls {
        case .disable:
            tlsConfiguration = .disable
        case .require:
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            tlsConfiguration = .require(tls)
        case .verifyFull:
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .fullVerification
            if let caFile { tls.trustRoots = .file(caFile) }
            tlsConfiguration = .require(tls)
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tlsConfiguration
        )
        configuration.options.connectTimeout = .seconds(3)
        if tls == .verifyFull { configuration.options.tlsServerName = host }
        return configuration
    }
}
