import FolioQueue
import FolioWorkers
import Foundation
import HTTPTypes

/// Everything the HTTP service needs to know, passed in at construction; the executable builds it from `folio.yaml`,
/// the environment and flags (see `docs/service.md`).
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (tests).
    public var port: Int
    public var auth: AuthConfiguration
    public var limits: ServiceLimits
    /// How long finished documents (and their job records) are kept.
    public var resultTimeToLive: Duration
    public var webhookPolicy: WebhookPolicy
    /// The HMAC key webhooks are signed with.
    public var webhookSecret: String
    public var webhookRetry: RetryPolicy
    public var webhookAttempts: Int
    /// Allow a non-loopback address without auth (never set this outside a lab).
    public var allowInsecurePublicBind: Bool
    /// Connections the kernel queues before the server accepts them. Past it, a burst of new connections waits for SYN
    /// retransmits (1 s, then 3 s): with Hummingbird's 256, a thousand clients connecting at once saw seconds of latency.
    public var listenBacklog: Int
    /// How long a connection may send nothing, between requests or in the middle of one, before it is closed (`nil`:
    /// never). Without it, clients that connect and go quiet hold sockets until the process runs out of them. A request
    /// being answered (`?wait=` included) is never cut.
    public var idleTimeout: Duration?

    public init(host: String = "127.0.0.1", port: Int = 8080, auth: AuthConfiguration = AuthConfiguration(),
                limits: ServiceLimits = ServiceLimits(), resultTimeToLive: Duration = .seconds(24 * 3600),
                webhookPolicy: WebhookPolicy = WebhookPolicy(), webhookSecret: String = "",
                webhookRetry: RetryPolicy = .exponential(base: .seconds(10)), webhookAttempts: Int = 5,
                allowInsecurePublicBind: Bool = false, listenBacklog: Int = 4096, idleTimeout: Duration? = .seconds(60)) {
        self.host = host; self.port = port; self.auth = auth; self.limits = limits
        self.resultTimeToLive = resultTimeToLive; self.webhookPolicy = webhookPolicy; self.webhookSecret = webhookSecret
        self.webhookRetry = webhookRetry; self.webhookAttempts = webhookAttempts
        self.allowInsecurePublicBind = allowInsecurePublicBind
        self.listenBacklog = listenBacklog; self.idleTimeout = idleTimeout
    }

    /// Whether `host` only accepts connections from this machine.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

/// How bearer tokens are verified. With no key at all, auth is off and the service only binds to loopback.
public struct AuthConfiguration: Sendable {
    /// HS256 shared secret.
    public var hmacSecret: String?
    /// RS256 public keys, PEM.
    public var rsaPublicKeys: [String]
    /// ES256 public keys, PEM.
    public var ecdsaPublicKeys: [String]
    public var issuer: String?
    public var audience: String?

    public init(hmacSecret: String? = nil, rsaPublicKeys: [String] = [], ecdsaPublicKeys: [String] = [],
                issuer: String? = nil, audience: String? = nil) {
        self.hmacSecret = hmacSecret.flatMap { $0.isEmpty ? nil : $0 }
        self.rsaPublicKeys = rsaPublicKeys; self.ecdsaPublicKeys = ecdsaPublicKeys
        self.issuer = issuer; self.audience = audience
    }

    public var isEnabled: Bool { hmacSecret != nil || !rsaPublicKeys.isEmpty || !ecdsaPublicKeys.isEmpty }
}

/// Every limit the service enforces, each answered with a clear status and message.
public struct ServiceLimits: Sendable {
    /// Largest request body (413).
    public var maxBodyBytes: Int
    /// Largest `data` document inside a render request (413).
    public var maxDataBytes: Int
    public var maxPages: Int
    public var renderTime: Duration
    /// Waiting + delayed renders before new ones are refused (503 with Retry-After).
    public var maxQueueDepth: Int
    /// Render requests per company per minute (429 with Retry-After); 0 turns the limit off.
    public var rendersPerMinutePerCompany: Int
    /// Longest `?wait=` a request may ask for.
    public var maxWait: Duration
    /// Free space the embedded engine's results folder must keep: below it new renders are refused (503 `store_full`)
    /// instead of accepted and failed when their documents cannot be written.
    public var minFreeResultsBytes: Int64

    public init(maxBodyBytes: Int = 10 << 20, maxDataBytes: Int = 8 << 20, maxPages: Int = 500,
                renderTime: Duration = .seconds(30), maxQueueDepth: Int = 10_000, rendersPerMinutePerCompany: Int = 0,
                maxWait: Duration = .seconds(30), minFreeResultsBytes: Int64 = 64 << 20) {
        self.maxBodyBytes = maxBodyBytes; self.maxDataBytes = maxDataBytes; self.maxPages = maxPages
        self.renderTime = renderTime; self.maxQueueDepth = maxQueueDepth
        self.rendersPerMinutePerCompany = rendersPerMinutePerCompany; self.maxWait = maxWait
        self.minFreeResultsBytes = minFreeResultsBytes
    }
}
