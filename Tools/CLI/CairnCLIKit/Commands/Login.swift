import ArgumentParser
import Foundation

struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sign in and keep the credentials in a profile.",
        discussion: """
            With --tenant and --email, signs in with a password (read from --password-stdin, \
            $CAIRN_PASSWORD, or asked for without echo) and keeps the session's tokens; expired \
            access tokens are refreshed on their own. With --api-key (or --api-key-stdin, or \
            $CAIRN_API_KEY), checks and keeps an API key instead. Either way the config file \
            is written with mode 0600.

            Examples:
              cairn login --server https://cairn.example --tenant acme --email ada@acme.example
              echo "$PASSWORD" | cairn login --tenant acme --email ada@acme.example --password-stdin
              cairn login --profile ci --api-key-stdin < key.txt
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "The organisation's slug.")
    var tenant: String?

    @Option(help: "Your email address.")
    var email: String?

    @Flag(help: "Read the password from the first line of standard input.")
    var passwordStdin = false

    @Option(help: "The current code of your authenticator app, when MFA is on (asked for otherwise).")
    var mfaCode: String?

    @Option(help: "An API key (cairn_<prefix>_<secret>) instead of a password. Visible to other users in `ps`: prefer --api-key-stdin.")
    var apiKey: String?

    @Flag(help: "Read the API key from the first line of standard input.")
    var apiKeyStdin = false

    func validate() throws {
        let usesKey = apiKey != nil || apiKeyStdin
        if usesKey, tenant != nil || email != nil || passwordStdin {
            throw ValidationError("Use either an API key or --tenant/--email, not both.")
        }
        if passwordStdin, apiKeyStdin { throw ValidationError("Only one of --password-stdin and --api-key-stdin.") }
    }

    func run() async throws {
        let store = global.store
        let saved = try store.load().profiles[global.profileName]
        var profile = Profile(server: global.serverURL(saved: saved?.server))
        let environment = ProcessInfo.processInfo.environment

        if let key = apiKey ?? (apiKeyStdin ? readLine() : nil) ?? (tenant == nil && email == nil ? environment["CAIRN_API_KEY"] : nil),
           !key.isEmpty {
            profile.apiKey = key.trimmingCharacters(in: .whitespacesAndNewlines)
            let me = try await APIClient(profile: profile, profileName: global.profileName, store: nil)
                .send(.GET, "/v1/auth/me").decode(Me.self)
            profile.tenant = me.tenant?.slug
            try store.update(global.profileName) { $0 = profile }
            Terminal.err("Logged in with an API key\(me.tenant.map { " to \($0.slug)" } ?? "") (profile \(global.profileName)).")
            return
        }

        guard let tenant = tenant ?? saved?.tenant, let email = email ?? saved?.email else {
            throw CLIError.usage("give --tenant and --email (or an API key); see `cairn login --help`")
        }
        guard let password = readPassword(environment), !password.isEmpty else {
            throw CLIError.usage("no password given (--password-stdin, $CAIRN_PASSWORD or a terminal prompt)")
        }
        struct Credentials: Encodable, Sendable { var tenant, email, password: String }
        let anonymous = APIClient(profile: profile, profileName: global.profileName, store: nil)
        var answer = try await anonymous.send(.POST, "/v1/auth/login", json: Credentials(tenant: tenant, email: email, password: password),
                                              authenticated: false).decode(LoginAnswer.self)
        if answer.mfaRequired == true, let mfaToken = answer.mfaToken {
            guard let code = mfaCode ?? (Terminal.stdinIsTTY ? Terminal.readSecret("MFA code: ") : nil) else {
                throw CLIError(.authentication, "this account has MFA on: give --mfa-code")
            }
            struct MFA: Encodable, Sendable { var mfaToken, code: String }
            answer = try await anonymous.send(.POST, "/v1/auth/login/mfa", json: MFA(mfaToken: mfaToken, code: code),
                                              authenticated: false).decode(LoginAnswer.self)
        }
        guard let tokens = answer.tokens else { throw CLIError(.failure, "the server answered the login without tokens") }
        profile.tenant = tenant
        profile.email = email
        profile.accessToken = tokens.accessToken
        profile.refreshToken = tokens.refreshToken
        try store.update(global.profileName) { $0 = profile }
        Terminal.err("Logged in as \(email) to \(tenant) (profile \(global.profileName)).")
    }

    private func readPassword(_ environment: [String: String]) -> String? {
        if passwordStdin { return readLine(strippingNewline: true) }
        if let password = environment["CAIRN_PASSWORD"], !password.isEmpty { return password }
        return Terminal.stdinIsTTY ? Terminal.readSecret("Password: ") : nil
    }
}

struct Logout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "End the session and forget the profile's credentials.",
        discussion: """
            Revokes the session's refresh token on the server (best effort) and removes the \
            tokens or API key from the profile; the server URL, tenant and email are kept.

            Example:
              cairn logout --profile staging
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let store = global.store
        guard let profile = try store.load().profiles[global.profileName], profile.isLoggedIn else {
            Terminal.err("Not logged in (profile \(global.profileName)).")
            return
        }
        if let refreshToken = profile.refreshToken {
            struct Refresh: Encodable, Sendable { var refreshToken: String }
            let client = APIClient(profile: profile, profileName: global.profileName, store: nil)
            do {
                _ = try await client.send(.POST, "/v1/auth/logout", json: Refresh(refreshToken: refreshToken), authenticated: false)
            } catch let error as CLIError {
                Terminal.err("cairn: warning: the server did not confirm the logout: \(error)")
            }
        }
        try store.update(global.profileName) {
            $0?.accessToken = nil
            $0?.refreshToken = nil
            $0?.apiKey = nil
        }
        Terminal.err("Logged out (profile \(global.profileName)).")
    }
}
