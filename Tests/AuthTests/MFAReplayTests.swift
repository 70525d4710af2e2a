import CairnTesting
import Foundation
import Testing

/// A TOTP code logs in once: replaying it within its acceptance window fails.
@Suite struct MFAReplayTests {
    @Test func aCodeLogsInOnlyOnce() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            let (secret, _) = try await MFATests.enable(auth, admin)
            let code = MFATests.code(secret)
            let first = try await auth.post("/v1/auth/login/mfa", ["mfa_token": try await MFATests.challenge(auth, admin), "code": code])
            #expect(first.status == .ok, "\(first.text)")
            let replay = try await auth.post("/v1/auth/login/mfa", ["mfa_token": try await MFATests.challenge(auth, admin), "code": code])
            #expect(replay.status == .unauthorized)
            let audit = try await auth.get("/v1/audit?action=auth.login_mfa&outcome=failure", token: admin.accessToken)
            #expect(audit.array("events")?.first?["details"].flatMap { $0 as? [String: String] }?["reason"] == "wrong_totp")
        }
    }
}
