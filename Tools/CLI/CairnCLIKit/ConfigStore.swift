import Foundation

/// One named set of server and credentials in the config file.
public struct Profile: Codable, Sendable, Equatable {
    public var server: String
    public var tenant: String?
    public var email: String?
    public var accessToken: String?
    public var refreshToken: String?
    public var apiKey: String?

    public init(server: String) { self.server = server }

    var isLoggedIn: Bool { accessToken != nil || apiKey != nil }

    enum CodingKeys: String, CodingKey {
        case server, tenant, email
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case apiKey = "api_key"
    }
}

/// `config.json`: every profile by name.
public struct ConfigFile: Codable, Sendable {
    public var profiles: [String: Profile] = [:]
}

/// Reads and writes `config.json` in `$CAIRN_CONFIG_DIR`, else `$XDG_CONFIG_HOME/cairn`, else
/// `~/.config/cairn`. The directory is 0700 and the file 0600: it holds tokens and API keys.
public struct ConfigStore: Sendable {
    public let directory: URL
    public var file: URL { directory.appendingPathComponent("config.json") }

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let dir = environment["CAIRN_CONFIG_DIR"], !dir.isEmpty {
            directory = URL(fileURLWithPath: dir)
        } else if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            directory = URL(fileURLWithPath: xdg).appendingPathComponent("cairn")
        } else {
            directory = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config/cairn")
        }
    }

    public func load() throws(CLIError) -> ConfigFile {
        guard let data = FileManager.default.contents(atPath: file.path) else { return ConfigFile() }
        do {
            return try JSONDecoder().decode(ConfigFile.self, from: data)
        } catch {
            throw CLIError(.failure, "\(file.path) is not a valid cairn config file; fix or delete it")
        }
    }

    /// Writes the whole file atomically (a 0600 temporary file renamed over the old one).
    public func save(_ config: ConfigFile) throws(CLIError) {
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try encoder.encode(config)
            let temporary = directory.appendingPathComponent(".config.json.\(getpid()).tmp")
            // Created 0600 from the start (not chmod-ed after being written under the umask).
            unlink(temporary.path)
            let descriptor = open(temporary.path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
            guard descriptor >= 0 else { throw CLIError(.failure, "cannot write \(temporary.path): \(String(cString: strerror(errno)))") }
            let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
            guard written == data.count else {
                unlink(temporary.path)
                throw CLIError(.failure, "cannot write \(temporary.path)")
            }
            guard rename(temporary.path, file.path) == 0 else {
                try? manager.removeItem(at: temporary)
                throw CLIError(.failure, "cannot replace \(file.path): \(String(cString: strerror(errno)))")
            }
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError(.failure, "cannot write \(file.path): \(error.localizedDescription)")
        }
    }

    /// Changes one profile (creating it when `update` is given a fresh one) and saves.
    public func update(_ name: String, _ change: (inout Profile?) -> Void) throws(CLIError) {
        var config = try load()
        var profile = config.profiles[name]
        change(&profile)
        config.profiles[name] = profile
        try save(config)
    }
}
