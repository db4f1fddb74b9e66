import ArgumentParser
import FolioQueue
import FolioRender
import FolioServer
import FolioWorkers
import Foundation
import Yams

/// Folio's settings: one table of keys, each read from `folio.yaml`, then `FOLIO_<KEY>` in the environment, then
/// `--set key=value` (and the named flags), later sources winning. `docs/service.md` lists them.
struct Settings {
    struct Key {
        var name: String
        var defaultValue: String
        var help: String
        var env: String { "FOLIO_" + name.uppercased() }
    }

    static let keys: [Key] = [
        Key(name: "host", defaultValue: "127.0.0.1", help: "Address to listen on"),
        Key(name: "port", defaultValue: "8080", help: "Port to listen on"),
        Key(name: "listen_backlog", defaultValue: "4096", help: "Connections the kernel queues before they are accepted (capped by net.core.somaxconn)"),
        Key(name: "idle_timeout", defaultValue: "60", help: "Seconds a connection may send nothing before it is closed; 0 = never"),
        Key(name: "redis_url", defaultValue: "", help: "redis://[user:password@]host:port/db; empty runs the embedded engine"),
        Key(name: "templates", defaultValue: TemplateLibrary.defaultDirectory(), help: "Templates folder"),
        Key(name: "fonts", defaultValue: FontLibrary.defaultDirectory(), help: "Fonts folder"),
        Key(name: "results_dir", defaultValue: ".folio/results", help: "Where the file result store keeps documents"),
        Key(name: "result_ttl", defaultValue: "86400", help: "Seconds documents and their job records are kept"),
        Key(name: "render_threads", defaultValue: String(ProcessInfoCores.count), help: "Render threads (one per core)"),
        Key(name: "pdf_concurrency", defaultValue: String(2 * ProcessInfoCores.count),
            help: "Render jobs leased at once per process (twice the render threads: storing one overlaps rendering the next)"),
        Key(name: "jwt_secret", defaultValue: "", help: "HS256 secret; with no JWT key at all, auth is off and only loopback is allowed"),
        Key(name: "jwt_rsa_public_keys", defaultValue: "", help: "Comma-separated PEM files of RS256 public keys"),
        Key(name: "jwt_ecdsa_public_keys", defaultValue: "", help: "Comma-separated PEM files of ES256 public keys"),
        Key(name: "jwt_issuer", defaultValue: "", help: "Required `iss` claim, if set"),
        Key(name: "jwt_audience", defaultValue: "", help: "Required `aud` claim, if set"),
        Key(name: "allow_insecure_public_bind", defaultValue: "false", help: "Allow a public address without auth (labs only)"),
        Key(name: "webhook_secret", defaultValue: "", help: "HMAC-SHA256 key webhooks are signed with"),
        Key(name: "webhook_allowed_hosts", defaultValue: "", help: "Comma-separated hosts allowed even on loopback/private ranges"),
        Key(name: "webhook_allow_private", defaultValue: "false", help: "Allow webhooks to any private address"),
        Key(name: "max_body_bytes", defaultValue: String(10 << 20), help: "Largest request body, as sent and once inflated (413)"),
        Key(name: "max_data_bytes", defaultValue: String(8 << 20), help: "Largest `data` in a render request (413)"),
        Key(name: "max_pages", defaultValue: "500", help: "Most pages per document (422 / failed job)"),
        Key(name: "render_timeout", defaultValue: "30", help: "Seconds one render may take"),
        Key(name: "max_queue_depth", defaultValue: "10000", help: "Waiting renders before 503 + Retry-After"),
        Key(name: "results_min_free_mb", defaultValue: "64", help: "Free MiB results_dir keeps; below it new renders get 503 store_full"),
        Key(name: "renders_per_minute", defaultValue: "0", help: "Render requests per company per minute (429); 0 = off"),
        Key(name: "grace_period", defaultValue: "30", help: "Seconds in-flight jobs get to finish on SIGTERM"),
        Key(name: "log_level", defaultValue: "info", help: "trace, debug, info, notice, warning, error"),
    ]

    var values: [String: String] = [:]
    var sources: [String: String] = [:]

    /// Defaults, then the file (if it exists, or fails if named explicitly and missing), then the environment, then `overrides`.
    init(file: String?, overrides: [String: String]) throws {
        for k in Self.keys { values[k.name] = k.defaultValue; sources[k.name] = "default" }
        let path = file ?? "folio.yaml"
        if let data = FileManager.default.contents(atPath: path) {
            guard let text = String(data: data, encoding: .utf8),
                  let yaml = try Yams.load(yaml: text) as? [String: Any] else {
                throw ValidationError("\(path) is not a YAML mapping of settings")
            }
            for (k, v) in yaml {
                guard Self.keys.contains(where: { $0.name == k }) else {
                    throw ValidationError("\(path): unknown setting '\(k)'; known: " + Self.keys.map(\.name).joined(separator: ", "))
                }
                values[k] = (v as? [Any]).map { $0.map { "\($0)" }.joined(separator: ",") } ?? "\(v)"
                sources[k] = path
            }
        } else if file != nil {
            throw ValidationError("configuration file \(path) does not exist")
        }
        let env = ProcessInfo.processInfo.environment
        for k in Self.keys { if let v = env[k.env] { values[k.name] = v; sources[k.name] = k.env } }
        for (k, v) in overrides {
            guard Self.keys.contains(where: { $0.name == k }) else { throw ValidationError("unknown setting '\(k)'") }
            values[k] = v; sources[k] = "flag"
        }
    }

    func string(_ k: String) -> String { values[k] ?? "" }
    func optional(_ k: String) -> String? { let v = string(k); return v.isEmpty ? nil : v }
    func list(_ k: String) -> [String] { string(k).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    func bool(_ k: String) -> Bool { ["1", "true", "yes", "on"].contains(string(k).lowercased()) }
    func int(_ k: String) throws -> Int {
        guard let n = Int(string(k)), n >= 0 else { throw ValidationError("\(k) must be a whole number ≥ 0 (from \(sources[k] ?? "?"))") }
        return n
    }

    var engine: EngineConfiguration {
        get throws {
            var table = QueueTable.standard()
            table[.pdf].concurrency = max(1, try int("pdf_concurrency"))
            return EngineConfiguration(redisURL: optional("redis_url"), resultsDirectory: string("results_dir"),
                                       resultTimeToLive: .seconds(max(60, try int("result_ttl"))),
                                       templatesDirectory: string("templates"), fontsDirectory: string("fonts"),
                                       renderThreads: max(1, try int("render_threads")), table: table)
        }
    }

    var server: ServerConfiguration {
        get throws {
            func pems(_ key: String) throws -> [String] {
                try list(key).map { path in
                    guard let d = FileManager.default.contents(atPath: path), let s = String(data: d, encoding: .utf8) else {
                        throw ValidationError("\(key): cannot read \(path)")
                    }
                    return s
                }
            }
            let port = try int("port")
            guard port <= 65535 else { throw ValidationError("port must be at most 65535") }
            let auth = AuthConfiguration(hmacSecret: optional("jwt_secret"), rsaPublicKeys: try pems("jwt_rsa_public_keys"),
                                         ecdsaPublicKeys: try pems("jwt_ecdsa_public_keys"), issuer: optional("jwt_issuer"),
                                         audience: optional("jwt_audience"))
            let limits = ServiceLimits(maxBodyBytes: try int("max_body_bytes"), maxDataBytes: try int("max_data_bytes"),
                                       maxPages: max(1, try int("max_pages")), renderTime: .seconds(max(1, try int("render_timeout"))),
                                       maxQueueDepth: try int("max_queue_depth"), rendersPerMinutePerCompany: try int("renders_per_minute"),
                                       minFreeResultsBytes: Int64(max(0, try int("results_min_free_mb"))) << 20)
            var secret = string("webhook_secret")
            if secret.isEmpty { secret = optional("jwt_secret") ?? "" }
            return ServerConfiguration(host: string("host"), port: port, auth: auth, limits: limits,
                                       resultTimeToLive: .seconds(max(60, try int("result_ttl"))),
                                       webhookPolicy: WebhookPolicy(allowedHosts: list("webhook_allowed_hosts"),
                                                                    allowPrivateNetworks: bool("webhook_allow_private")),
                                       webhookSecret: secret, allowInsecurePublicBind: bool("allow_insecure_public_bind"),
                                       listenBacklog: max(1, try int("listen_backlog")),
                                       idleTimeout: try int("idle_timeout") > 0 ? .seconds(try int("idle_timeout")) : nil)
        }
    }
}

/// The flags `serve` and `worker` share.
struct SettingsOptions: ParsableArguments {
    @Option(help: "Configuration file (default: ./folio.yaml if present).") var config: String?
    @Option(help: "Redis URL; without one the embedded engine runs in-process.") var redisURL: String?
    @Option(name: .customLong("set"), help: "Any setting as key=value (repeatable); see docs/service.md.") var set: [String] = []

    func overrides(extra: [String: String] = [:]) throws -> [String: String] {
        var out = extra
        if let redisURL { out["redis_url"] = redisURL }
        for s in set {
            guard let eq = s.firstIndex(of: "=") else { throw ValidationError("--set wants key=value, got '\(s)'") }
            out[String(s[..<eq])] = String(s[s.index(after: eq)...])
        }
        return out
    }
}
