import CairnAuthKit
import Crypto
import Foundation

/// Seals secrets at rest (signing keys, TOTP secrets) with AES-256-GCM under the key-encryption
/// key from configuration. A database dump alone gives neither.
struct SecretBox: Sendable {
    private let key: SymmetricKey

    struct OpenFailed: Error, CustomStringConvertible {
        var description: String { "sealed secret could not be opened (wrong CAIRN_AUTH_KEY_ENCRYPTION_KEY?)" }
    }

    init(keyEncryptionKey: Data) {
        key = SymmetricKey(data: keyEncryptionKey)
    }

    func seal(_ plaintext: some DataProtocol) throws -> Data {
        try AES.GCM.seal(plaintext, using: key).combined!
    }

    func open(_ sealed: Data) throws -> Data {
        do {
            return try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key)
        } catch {
            throw OpenFailed()
        }
    }
}

/// Opaque bearer secrets (refresh tokens, API keys, invitation and MFA challenge tokens):
/// 256 random bits shown once, stored only as their SHA-256.
enum OpaqueToken {
    /// A fresh token, base64url without padding, with an optional readable prefix.
    static func generate(prefix: String = "") -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return prefix + bytes.base64URLEncodedString()
    }

    static func hash(_ token: String) -> Data {
        Data(SHA256.hash(data: Data(token.utf8)))
    }
}
