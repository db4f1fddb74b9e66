import FolioQueue
import FolioRender
import Foundation
import Logging

/// Renders `render` jobs: template and data from the payload, painting on the ``RenderThreadPool``, bytes to the
/// ``ResultStore``, a small ``RenderSummary`` into the job record, and a webhook job when the payload asks for one.
public struct RenderHandler: Sendable {
    public let renderer: Renderer
    public let library: TemplateLibrary
    public let pool: RenderThreadPool
    public let results: any ResultStore
    public let limits: RenderLimits
    /// Where webhook jobs go; `nil` sends none.
    public let notifications: WebhookEnqueuer?
    /// Told of every render: template, format, time, success.
    public let observe: (@Sendable (RenderObservation) -> Void)?

    public init(renderer: Renderer, library: TemplateLibrary, pool: RenderThreadPool, results: any ResultStore,
                limits: RenderLimits = RenderLimits(), notifications: WebhookEnqueuer? = nil,
                observe: (@Sendable (RenderObservation) -> Void)? = nil) {
        self.renderer = renderer; self.library = library; self.pool = pool; self.results = results
        self.limits = limits; self.notifications = notifications; self.observe = observe
    }

    /// Registers the handler for ``JobKind/render``.
    public func register(in registry: JobRegistry) {
        registry.register(JobKind<RenderPayload>.render) { payload, context in
            try await self.handle(payload, context: context)
        }
    }

    public func handle(_ payload: RenderPayload, context: JobContext) async throws -> RenderSummary {
        do {
            let summary = try await render(payload, id: context.id, context: context)
            if let hook = payload.webhook, let notifications {
                await notifications.enqueue(hook, event: .completed, jobID: context.id, tenant: context.tenant,
                                            detail: ["pages": "\(summary.pages)", "bytes": "\(summary.bytes)"],
                                            logger: context.logger)
            }
            return summary
        } catch {
            let permanent = (error as? JobError)?.isPermanent ?? false
            if let hook = payload.webhook, let notifications, permanent || context.attempt >= context.maxAttempts
                || Task.isCancelled {
                await notifications.enqueue(hook, event: .failed, jobID: context.id, tenant: context.tenant,
                                            detail: ["error": "\(error)"], logger: context.logger)
            }
            throw error
        }
    }

    func render(_ payload: RenderPayload, id: JobID, context: JobContext) async throws -> RenderSummary {
        let template: Template
        do { template = try library.template(named: payload.template) } catch {
            throw JobError.permanent(error.message, code: error.code.rawValue)
        }
        guard let format = OutputFormat(rawValue: payload.format) else {
            throw JobError.permanent("unknown format \(payload.format)", code: "invalid_format")
        }
        var options = RenderOptions(format: format, limits: limits)
        if let dpi = payload.dpi { options.dpi = dpi }
        if format != .pdf { options.pages = [payload.page ?? 1] }
        // Each progress report is a round trip to the queue's store and an event to every listener; a render that is over
        // in a few milliseconds has nothing to show, so progress is reported only once a render has run a while.
        let announce = ProgressAnnouncement(after: Self.progressAfter) { await context.progress(10, stage: "rendering") }
        defer { _ = announce.close() }
        let renderer = self.renderer
        let renderData = payload.data
        let renderOptions = options
        let document: RenderedDocument
        let start = ContinuousClock.now
        var warnings = 0
        defer {
            observe?(RenderObservation(template: payload.template, format: payload.format,
                                       duration: ContinuousClock.now - start, ok: !Task.isCancelled, warnings: warnings))
        }
        do {
            document = try await pool.run { () throws -> RenderedDocument in
                let data: Value
                do { data = try renderData.parsed() } catch let error as RenderError {
                    throw JobError.permanent(error.message, code: error.code.rawValue)
                }
                do { return try renderer.render(template, data: data, options: renderOptions) } catch let error as RenderError {
                    throw JobError.permanent(error.description, code: error.code.rawValue)
                }
            }
        }
        warnings = document.warnings.count
        await announce.close()?.value
        try Task.checkCancellation()
        if ContinuousClock.now - start >= Self.progressAfter { await context.progress(90, stage: "storing") }
        let bytes = document.files.first ?? []
        let stored = StoredDocument(bytes: bytes, contentType: format.contentType,
                                    filename: Self.filename(payload.filename, template: template.name, format: format),
                                    etag: Self.etag(id, attempt: context.attempt))
        // With a webhook, the document is stored before the webhook job is enqueued (the receiver fetches it); without one
        // it goes to the store with the job's completion.
        if payload.webhook == nil { try await results.putForCompletion(stored, for: id) } else { try await results.put(stored, for: id) }
        return RenderSummary(pages: document.pageCount, bytes: bytes.count, contentType: stored.contentType,
                             filename: stored.filename, etag: stored.etag, warnings: document.warnings,
                             template: payload.template, format: payload.format, requestDigest: payload.requestDigest)
    }

    /// How long a render runs before it reports progress.
    public static let progressAfter = Duration.milliseconds(250)

    /// A safe download name: the client's name as given, in any script ("Rechnung Müller"), with what a file system or a
    /// header cannot take (control and format characters, such as a right-to-left override; `/ \ : * ? " < > |`)
    /// replaced by `_`, at most 100 characters, no leading dot, and the format's extension.
    public static func filename(_ requested: String?, template: String, format: OutputFormat) -> String {
        let unsafe: Set<Character> = ["/", "\\", ":", "*", "?", "\"", "<", ">", "|"]
        var base = (requested ?? template).unicodeScalars.map { s -> Character in
            switch s.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned: return "_"
            default: return unsafe.contains(Character(s)) ? "_" : Character(s)
            }
        }
        if base.count > 100 { base = Array(base.prefix(100)) }
        var name = String(base).trimmingCharacters(in: .whitespaces)
        while name.hasPrefix(".") { name.removeFirst() }
        if name.isEmpty { name = template }
        let ext = "." + format.rawValue
        return name.lowercased().hasSuffix(ext) ? name : name + ext
    }

    /// A strong entity tag: the job and the attempt that made the document. A job's document never changes once stored
    /// (only another attempt writes another one), so this names the bytes as well as a hash of them would, without
    /// reading 30 KB per document through SHA-256 (measured: 4 % of the event loops' time at full load).
    public static func etag(_ id: JobID, attempt: Int) -> String {
        "\"\(id.rawValue)-\(attempt)\""
    }
}

/// What one render reports to monitoring: template, format, time taken, whether it succeeded, and how many warnings
/// (characters no shipped font has, implausible trace radii) it produced.
public struct RenderObservation: Sendable {
    public init(template: String, format: String, duration: Duration, ok: Bool, warnings: Int) {
        self.template = template; self.format = format; self.duration = duration; self.ok = ok; self.warnings = warnings
    }

    public var template: String
    public var format: String
    public var duration: Duration
    public var ok: Bool
    public var warnings: Int
}
