import Foundation
import HTTPTypes
import JWTKit

/// The claims Folio reads from a bearer token.
struct FolioClaims: JWTPayload {
    var sub: SubjectClaim
    var exp: ExpirationClaim
    var nbf: NotBeforeClaim?
    var iss: IssuerClaim?
    var aud: AudienceClaim?
    var roles: [String]?
    var role: String?
    var company: String?

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        try nbf?.verifyNotBefore()
    }
}

/// Verifies bearer JWTs (HS256 with a shared secret; RS256 and ES256 with public keys) into an ``Identity``.
public struct TokenVerifier: Sendable {
    let keys: JWTKeyCollection
    let configuration: AuthConfiguration

    public init(_ configuration: AuthConfiguration) async throws {
        self.configuration = configuration
        let keys = JWTKeyCollection()
        if let secret = configuration.hmacSecret {
            guard secret.utf8.count >= 32 else {
                throw APIError(.internalServerError, "weak_secret", "the JWT secret must be at least 32 bytes for HS256")
            }
            await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        }
        for pem in configuration.rsaPublicKeys {
            await keys.add(rsa: try Insecure.RSA.PublicKey(pem: pem), digestAlgorithm: .sha256)
        }
        for pem in configuration.ecdsaPublicKeys { await keys.add(ecdsa: try ES256PublicKey(pem: pem)) }
        self.keys = keys
    }

    /// The caller, or an ``APIError`` (401) saying what is wrong with the token.
    public func identity(token: String) async throws -> Identity {
        guard token.utf8.count <= 8192 else { throw APIError(.unauthorized, "invalid_token", "the token is too long") }
        let claims: FolioClaims
        do {
            claims = try await keys.verify(token, as: FolioClaims.self, iteratingKeys: true)
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            throw APIError(.unauthorized, "token_expired", "the token is expired or not yet valid")
        } catch {
            throw APIError(.unauthorized, "invalid_token", "the token could not be verified")
        }
        if let issuer = configuration.issuer, claims.iss?.value != issuer {
            throw APIError(.unauthorized, "invalid_token", "the token's issuer is not accepted")
        }
        if let audience = configuration.audience, !(claims.aud?.value.contains(audience) ?? false) {
            throw APIError(.unauthorized, "invalid_token", "the token's audience is not accepted")
        }
        var roles = Set((claims.roles ?? []).map(Role.init))
        if let r = claims.role { roles.insert(Role(r)) }
        let identity = Identity(userID: claims.sub.value, roles: roles, company: claims.company.flatMap { $0.isEmpty ? nil : $0 })
        let known: Set<Role> = [.platformAdmin, .admin, .companyAdmin, .user]
        guard !identity.roles.isDisjoint(with: known) else {
            throw APIError(.forbidden, "forbidden", "the token carries none of the roles platform_admin, admin, company_admin, user")
        }
        if !identity.seesAllCompanies && identity.company == nil {
            throw APIError(.forbidden, "forbidden", "the token's role needs a company claim")
        }
        return identity
    }
}
