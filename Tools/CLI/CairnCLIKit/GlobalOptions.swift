import ArgumentParser
import Foundation

/// `--profile` and `--server`, shared by every command that talks to the gateway.
struct GlobalOptions: ParsableArguments {
    @Option(help: "The profile in the config file (default $CAIRN_PROFILE, else \"default\").")
    var profile: String?

    @Option(help: "The gateway URL, overriding the profile's (default $CAIRN_SERVER, else http://127.0.0.1:8080).")
    var server: String?

    static let defaultServer = "http://127.0.0.1:8080"

    var profileName: String {
        profile ?? ProcessInfo.processInfo.environment["CAIRN_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
    }

    var store: ConfigStore { ConfigStore() }

    /// The server to use when there is no profile yet.
    func serverURL(saved: String?) -> String {
        server ?? saved ?? ProcessInfo.processInfo.environment["CAIRN_SERVER"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultServer
    }

    /// A client for the signed-in profile (exit 3 when it has no credentials).
    func client() throws -> APIClient {
        let store = self.store
        guard var profile = try store.load().profiles[profileName], profile.isLoggedIn else {
            throw CLIError.notLoggedIn(profileName)
        }
        if let server, Self.normalised(server) != Self.normalised(profile.server) {
            // The profile's credentials are for its own server: another one gets none (it
            // answers 401, exit 3), and nothing it answers is saved.
            var anonymous = Profile(server: server)
            anonymous.tenant = profile.tenant
            return APIClient(profile: anonymous, profileName: profileName, store: nil, anonymous: true)
        }
        return APIClient(profile: profile, profileName: profileName, store: store)
    }

    static func normalised(_ url: String) -> String {
        var url = url.lowercased()
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
