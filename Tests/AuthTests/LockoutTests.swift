import CairnTesting
import Foundation
import PostgresNIO
import Testing

/// Brute force: five wrong passwords are tolerated within the window, the sixth locks.
@Suite struct LockoutTests {
    static func status(_ auth: AuthHarness, userID: String) async throws -> String {
        try await auth.withDatabase { client in
            let id = UUID(uuidString: userID)!
            for try await status in try await client.query("SELECT status FROM users WHERE id = \(id)").decode(String.self) { return status }
            return "missing"
        }
    }

    @Test func sixthWrongPasswordLocksUntilAnAdminUnlocks() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            let member = try await auth.invite(by: admin)
            for attempt in 1...5 {
                let reply = try await auth.login(tenant: member.tenantSlug, email: member.email, password: "wrong-password-\(attempt)")
                #expect(reply.status == .unauthorized)
            }
            #expect(try await Self.status(auth, userID: member.userID) == "active")
            let sixth = try await auth.login(tenant: member.tenantSlug, email: member.email, password: "wrong-password-6")
            #expect(sixth.status == .unauthorized)
            #expect(sixth.errorCode == "INVALID_CREDENTIALS")
            #expect(try await Self.status(auth, userID: member.userID) == "locked")
            // Locked: even the right password is refused, with the same answer.
            let correct = try await auth.login(tenant: member.tenantSlug, email: member.email, password: member.password)
            #expect(correct.status == .unauthorized)
            #expect(correct.errorCode == "INVALID_CREDENTIALS")
            let lockouts = try await auth.get("/v1/audit?action=user.lockout", token: admin.accessToken)
            #expect(lockouts.array("events")?.first?["target_id"] as? String == member.userID)
            // An admin lifts the lock.
            let unlock = try await auth.post("/v1/users/\(member.userID)/unlock", token: admin.accessToken)
            #expect(unlock.status == .ok, "\(unlock.text)")
            #expect(try await auth.login(tenant: member.tenantSlug, email: member.email, password: member.password).status == .ok)
        }
    }

    @Test func fiveFailuresThenTheRightPasswordResetsTheCount() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            for _ in 1...5 { _ = try await auth.login(tenant: admin.tenantSlug, email: admin.email, password: "not-the-password") }
            #expect(try await auth.login(tenant: admin.tenantSlug, email: admin.email, password: admin.password).status == .ok)
            // The count started again: one more failure does not lock.
            _ = try await auth.login(tenant: admin.tenantSlug, email: admin.email, password: "not-the-password")
            #expect(try await Self.status(auth, userID: admin.userID) == "active")
        }
    }

    @Test func failuresOutsideTheWindowDoNotCountAndLocksExpire() async throws {
        try await AuthHarness.run(overrides: ["CAIRN_AUTH_LOCKOUT_ATTEMPTS": "2"]) { auth in
            let admin = try await auth.register()
            let id = UUID(uuidString: admin.userID)!
            for _ in 1...2 { _ = try await auth.login(tenant: admin.tenantSlug, email: admin.email, password: "not-the-password") }
            // The window (15 minutes) has passed since the first failure.
            try await auth.withDatabase { client in
                try await client.query("UPDATE users SET failures_since = now() - interval '16 minutes' WHERE id = \(id)")
            }
            _ = try await auth.login(tenant: admin.tenantSlug, email: admin.email, password: "not-the-password")
            #expect(try await Self.status(auth, userID: admin.userID) == "active")
            for _ in 1...2 { _ = try await auth.login(tenant: admin.tenantSlug, email: admin.email, password: "not-the-password") }
            #expect(try await Self.status(auth, userID: admin.userID) == "locked")
            // The lock runs out by time.
            try await auth.withDatabase { client in
                try await client.query("UPDATE users SET locked_until = now() - interval '1 second' WHERE id = \(id)")
            }
            #expect(try await auth.login(tenant: admin.tenantSlug, email: admin.email, password: admin.password).status == .ok)
            #expect(try await Self.status(auth, userID: admin.userID) == "active")
        }
    }

    @Test func unlockDoesNotReEnableADisabledUser() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            let member = try await auth.invite(by: admin)
            let disable = try await auth.call(.patch, "/v1/users/\(member.userID)", json: ["status": "disabled"], token: admin.accessToken)
            #expect(disable.status == .ok, "\(disable.text)")
            let unlock = try await auth.post("/v1/users/\(member.userID)/unlock", token: admin.accessToken)
            #expect(unlock.status == .conflict)
            #expect(try await Self.status(auth, userID: member.userID) == "disabled")
        }
    }

    @Test func anExpiredLockCanBeImposedAgain() async throws {
        try await AuthHarness.run(overrides: ["CAIRN_AUTH_LOCKOUT_ATTEMPTS": "1"]) { auth in
            let admin = try await auth.register()
            let id = UUID(uuidString: admin.userID)!
            for _ in 1...2 { _ = try await auth.login(tenant: admin.tenantSlug, email: admin.email, password: "not-the-password") }
            #expect(try await Self.status(auth, userID: admin.userID) == "locked")
            // The lock and the failure window run out, with nobody logging in meanwhile.
            try await auth.withDatabase { client in
                try await client.query("""
                    UPDATE users SET locked_until = now() - interval '1 second', failures_since = now() - interval '1 hour' WHERE id = \(id)
                    """)
            }
            for _ in 1...2 { _ = try await auth.login(tenant: admin.tenantSlug, email: admin.email, password: "not-the-password") }
            #expect(try await auth.login(tenant: admin.tenantSlug, email: admin.email, password: admin.password).status == .unauthorized)
        }
    }

    @Test func wrongSecondFactorsCountTowardsTheLockout() async throws {
        try await AuthHarness.run(overrides: ["CAIRN_AUTH_LOCKOUT_ATTEMPTS": "3"]) { auth in
            let admin = try await auth.register()
            let (secret, _) = try await MFATests.enable(auth, admin)
            // Each new login hands out a new challenge; the wrong codes still add up.
            for _ in 1...4 {
                let challenge = try await MFATests.challenge(auth, admin)
                let reply = try await auth.post("/v1/auth/login/mfa", ["mfa_token": challenge, "code": MFATests.wrongCode(secret)])
                #expect(reply.status == .unauthorized)
            }
            #expect(try await Self.status(auth, userID: admin.userID) == "locked")
            #expect(try await auth.login(tenant: admin.tenantSlug, email: admin.email, password: admin.password).status == .unauthorized)
        }
    }
}
