import FolioQueue
import FolioRender
import FolioServer
import FolioWorkers
import Foundation
import JWTKit
import NIOHTTP1
import Testing

/// Tokens and tenancy: each role sees exactly what it should, and another company's jobs do not exist for it.
@Suite("Auth and tenancy") struct AuthTests {
    @Test("no token, a forged token, an expired token, a token without a known role: 401/403 with the error shape")
    func badTokens() async throws {
        try await TestService.with { s in
            let none = try await s.request(.GET, "/v1/templates")
            #expect(none.status == 401)
            #expect(none.errorCode == "unauthorized")
            let forged = try await TestService.token(["platform_admin"], company: nil, secret: "not-the-secret-but-just-as-long-0123456789")
            #expect(try await s.request(.GET, "/v1/templates", token: forged).errorCode == "invalid_token")
            let expired = try await TestService.token(["user"], company: "acme", expiresIn: -60)
            let e = try await s.request(.GET, "/v1/templates", token: expired)
            #expect(e.status == 401)
            #expect(e.errorCode == "token_expired")
            #expect(try await s.request(.GET, "/v1/templates", token: "garbage.token.here").status == 401)
            #expect(try await s.request(.GET, "/v1/templates", headers: [("Authorization", "Basic abc")]).status == 401)
            let noRole = try await TestService.token(["guest"], company: "acme")
            #expect(try await s.request(.GET, "/v1/templates", token: noRole).status == 403)
            let noCompany = try await TestService.token(["user"], company: nil)
            #expect(try await s.request(.GET, "/v1/templates", token: noCompany).status == 403)
            // Public endpoints need no token.
            #expect(try await s.request(.GET, "/healthz").status == 200)
            #expect(try await s.request(.GET, "/readyz").status == 200)
            #expect(try await s.request(.GET, "/openapi.json").status == 200)
        }
    }

    @Test("a job belongs to its company: other companies get 404 for it, its document, and in lists and counts")
    func tenancy() async throws {
        try await TestService.with { s in
            let acmeUser = try await TestService.token(["user"], company: "acme")
            let globexUser = try await TestService.token(["user"], company: "globex")
            let acmeAdmin = try await TestService.token(["company_admin"], company: "acme")
            let globexAdmin = try await TestService.token(["company_admin"], company: "globex")
            let admin = try await TestService.token(["admin"], company: nil)
            let platform = try await TestService.token(["platform_admin"], company: "folio")

            let r = try await s.request(.POST, "/v1/renders?wait=30", token: acmeUser, json: try TestService.invoiceRequest())
            #expect(r.status == 200)
            let id = try #require(r.header("Location")?.split(separator: "/").last.map(String.init))

            // acme sees it; globex does not, anywhere.
            #expect(try await s.request(.GET, "/v1/renders/\(id)", token: acmeUser).status == 200)
            #expect(try await s.request(.GET, "/v1/renders/\(id)", token: acmeAdmin).status == 200)
            for token in [globexUser, globexAdmin] {
                #expect(try await s.request(.GET, "/v1/renders/\(id)", token: token).status == 404)
                #expect(try await s.request(.GET, "/v1/renders/\(id)/document", token: token).status == 404)
                #expect(try await s.request(.HEAD, "/v1/renders/\(id)/document", token: token).status == 404)
                #expect(try await s.request(.DELETE, "/v1/renders/\(id)", token: token).status == 404)
                let list = try await s.request(.GET, "/v1/renders", token: token)
                #expect(list.json["count"]?.int == 0)
            }
            #expect(try await s.request(.GET, "/v1/renders", token: acmeUser).json["count"]?.int == 1)
            // Admins see every company.
            #expect(try await s.request(.GET, "/v1/renders/\(id)", token: admin).status == 200)
            #expect(try await s.request(.GET, "/v1/renders/\(id)/document", token: platform).status == 200)

            // Counts: company admins count their own company only.
            func completed(_ token: String) async throws -> Int? {
                let stats = try await s.request(.GET, "/api/queue/stats", token: token)
                #expect(stats.status == 200)
                let pdf = stats.json["queues"]?.array?.first { $0["queue"]?.string == "pdf" }
                return pdf?["engines"]?["embedded"]?["counts"]?["completed"]?.int
            }
            #expect(try await completed(acmeAdmin) == 1)
            #expect(try await completed(globexAdmin) == 0)
            #expect(try await completed(admin) == 1)
            let jobs = try await s.request(.GET, "/api/queue/pdf/jobs?state=completed", token: globexAdmin)
            #expect(jobs.json["count"]?.int == 0)
            #expect(try await s.request(.GET, "/api/queue/pdf/jobs?state=completed", token: acmeAdmin).json["count"]?.int == 1)
            #expect(try await s.request(.POST, "/api/queue/pdf/jobs/\(id)/cancel", token: globexAdmin).status == 404)
        }
    }

    @Test("roles: users cannot use the operators' API; company admins cannot pause, resume or clean; admins can")
    func roles() async throws {
        try await TestService.with { s in
            let user = try await TestService.token(["user"], company: "acme")
            let companyAdmin = try await TestService.token(["company_admin"], company: "acme")
            let admin = try await TestService.token(["admin"], company: nil)
            let platform = try await TestService.token(["platform_admin"], company: nil)
            for path in ["/api/queue/stats", "/api/queue/health", "/api/queue/info", "/api/queue/pdf/jobs", "/metrics"] {
                #expect(try await s.request(.GET, path, token: user).status == 403, "\(path)")
            }
            for path in ["/api/queue/stats", "/api/queue/health", "/api/queue/info", "/api/queue/pdf/jobs"] {
                #expect(try await s.request(.GET, path, token: companyAdmin).status == 200, "\(path)")
            }
            #expect(try await s.request(.GET, "/metrics", token: companyAdmin).status == 403)
            for path in ["/api/queue/pdf/pause", "/api/queue/pdf/resume", "/api/queue/pdf/clean"] {
                #expect(try await s.request(.POST, path, token: companyAdmin).status == 403, "\(path)")
                #expect(try await s.request(.POST, path, token: user).status == 403, "\(path)")
            }
            #expect(try await s.request(.POST, "/api/queue/pdf/pause", token: admin).json["paused"] == .bool(true))
            #expect(try await s.request(.POST, "/api/queue/pdf/resume", token: platform).json["paused"] == .bool(false))
            #expect(try await s.request(.POST, "/api/queue/pdf/clean?state=completed&olderThan=0", token: platform).status == 200)
            #expect(try await s.request(.GET, "/metrics", token: admin).status == 200)
        }
    }

    @Test("ES256 tokens verify against a configured public key; a token signed by another key does not")
    func ecdsaKeys() async throws {
        let key = ES256PrivateKey()
        let other = ES256PrivateKey()
        let auth = AuthConfiguration(ecdsaPublicKeys: [key.publicKey.pemRepresentation])
        func sign(_ k: ES256PrivateKey) async throws -> String {
            let keys = JWTKeyCollection()
            await keys.add(ecdsa: k)
            return try await keys.sign(TestClaims(sub: "u9", exp: ExpirationClaim(value: Date().addingTimeInterval(600)),
                                                  roles: ["user"], company: "acme"))
        }
        let good = try await sign(key)
        let bad = try await sign(other)
        try await TestService.with(authKeys: auth) { (s: TestService) async throws -> Void in
            #expect(try await s.request(.GET, "/v1/templates", token: good).status == 200)
            #expect(try await s.request(.GET, "/v1/templates", token: bad).status == 401)
        }
    }

    @Test("without auth the service refuses a public address, and on loopback acts as the local operator")
    func noAuth() async throws {
        var config = TestService.configuration(auth: false)
        config.host = "0.0.0.0"
        let engine = try Engine.make(EngineConfiguration(resultsDirectory: NSTemporaryDirectory() + "folio-noauth",
                                                         templatesDirectory: repositoryRoot + "/templates",
                                                         fontsDirectory: repositoryRoot + "/fonts", renderThreads: 1),
                                     renderer: sharedRenderer)
        defer { engine.shutdown() }
        await #expect(throws: APIError.self) { _ = try await FolioService(configuration: config, engine: engine) }
        try await TestService.with(configuration: TestService.configuration(auth: false)) { (s: TestService) async throws -> Void in
            #expect(try await s.request(.GET, "/api/queue/info").status == 200)
        }
    }
}

/// RS256 with a key pair made by openssl, as an operator would.
@Suite("RS256 tokens") struct RSATokenTests {
    @Test("RS256 tokens verify against a configured public key PEM", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
    func rsaKeys() async throws {
        let dir = NSTemporaryDirectory() + "folio-rsa-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for args in [["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", dir + "/key.pem"],
                     ["pkey", "-in", dir + "/key.pem", "-pubout", "-out", dir + "/pub.pem"]] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            p.arguments = args
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
        }
        let privatePEM = try String(contentsOfFile: dir + "/key.pem", encoding: .utf8)
        let publicPEM = try String(contentsOfFile: dir + "/pub.pem", encoding: .utf8)
        let keys = JWTKeyCollection()
        await keys.add(rsa: try Insecure.RSA.PrivateKey(pem: privatePEM), digestAlgorithm: .sha256)
        let token = try await keys.sign(TestClaims(sub: "u7", exp: ExpirationClaim(value: Date().addingTimeInterval(600)),
                                                   roles: ["company_admin"], company: "acme"))
        let hsToken = try await TestService.token(["company_admin"], company: "acme")
        try await TestService.with(authKeys: AuthConfiguration(rsaPublicKeys: [publicPEM])) { (s: TestService) async throws -> Void in
            #expect(try await s.request(.GET, "/api/queue/stats", token: token).status == 200)
            // Only RS256 is configured: an HS256 token is not accepted.
            #expect(try await s.request(.GET, "/api/queue/stats", token: hsToken).status == 401)
        }
    }
}
