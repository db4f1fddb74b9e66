import FolioQueue
import FolioRender
import FolioWorkers
import HTTPTypes

/// A `POST /v1/renders` body, checked field by field; every problem is collected with its JSON path.
struct RenderRequest {
    var template: Template
    /// The data as parsed, or `nil` when it was only checked against the template's shape (``DataSource/unparsed(fits:)``).
    var data: Value?
    var format: OutputFormat
    var filename: String?
    var dpi: Double?
    var page: Int?
    var priority: Priority
    var webhook: WebhookTarget?
    /// The data differs from the request's (a locale was filled in), so the request's JSON text cannot be reused.
    var dataChanged = false

    static let knownKeys: Set<String> = ["template", "data", "format", "options", "priority", "webhook"]
    static let knownOptions: Set<String> = ["filename", "dpi", "page", "locale"]

    /// What the caller has of the request's data.
    enum DataSource {
        /// The body holds `data`, parsed.
        case parsed
        /// The body holds no `data`: it is still bytes, and `fits` tells whether they fit the template's shape.
        case unparsed(fits: (Template) -> Bool)
    }

    /// Parses and validates everything, the data against the template's shape included. Throws 422 listing every problem.
    ///
    /// With ``DataSource/unparsed(fits:)`` it returns `nil` instead of throwing, and whenever it cannot decide without
    /// the parsed data (a problem anywhere, data that does not fit, a locale to fill in): the caller then parses the data
    /// and calls again with ``DataSource/parsed``, which finds every problem.
    static func parse(_ body: Value, data source: DataSource = .parsed, library: TemplateLibrary, renderer: Renderer,
                      policy: WebhookPolicy, limits: ServiceLimits) throws -> RenderRequest? {
        guard case .object(let o) = body else {
            throw APIError.validation([("$", "expected an object with template and data, found \(body.typeName)")])
        }
        var problems: [(path: String, message: String)] = []
        for key in o.keys where !knownKeys.contains(key) { problems.append(("$.\(key)", "unknown field")) }

        var template: Template?
        switch o["template"] {
        case .string(let name)?:
            do { template = try library.template(named: name) } catch {
                // A template that exists but does not load is the server's fault, not the request's.
                if error.code != .templateNotFound { throw APIError.templateDoesNotLoad(name, error) }
                problems.append(("$.template", error.message))
            }
        case nil: problems.append(("$.template", "required"))
        case let v?: problems.append(("$.template", "expected string, found \(v.typeName)"))
        }

        var format = OutputFormat.pdf
        switch o["format"] {
        case nil, .null?: break
        case .string(let f)?:
            if let parsed = OutputFormat(rawValue: f) { format = parsed } else { problems.append(("$.format", "expected pdf, png or svg")) }
        case let v?: problems.append(("$.format", "expected string, found \(v.typeName)"))
        }

        var priority = Priority.normal
        switch o["priority"] {
        case nil, .null?: break
        case .string(let p)?:
            if let parsed = Priority(name: p) { priority = parsed } else { problems.append(("$.priority", "expected urgent, high, normal or low")) }
        case let v?: problems.append(("$.priority", "expected string, found \(v.typeName)"))
        }

        var filename: String?, dpi: Double?, page: Int?
        switch o["options"] {
        case nil, .null?: break
        case .object(let opts)?:
            for key in opts.keys where !knownOptions.contains(key) { problems.append(("$.options.\(key)", "unknown option")) }
            switch opts["filename"] {
            case nil, .null?: break
            case .string(let s)? where !s.isEmpty && s.count <= 200: filename = s
            case .string?: problems.append(("$.options.filename", "must be 1 to 200 characters"))
            case let v?: problems.append(("$.options.filename", "expected string, found \(v.typeName)"))
            }
            switch opts["dpi"] {
            case nil, .null?: break
            case let v? where v.doubleValue != nil:
                let d = v.doubleValue!
                if d >= 36 && d <= 600 { dpi = d } else { problems.append(("$.options.dpi", "must be between 36 and 600")) }
            case let v?: problems.append(("$.options.dpi", "expected number, found \(v.typeName)"))
            }
            switch opts["page"] {
            case nil, .null?: break
            case .integer(let n)?:
                if n >= 1 && n <= Int64(limits.maxPages) { page = Int(n) }
                else { problems.append(("$.options.page", "must be between 1 and \(limits.maxPages)")) }
            case let v?: problems.append(("$.options.page", "expected integer, found \(v.typeName)"))
            }
            if let locale = opts["locale"], locale != .null {
                if case .string = locale {} else { problems.append(("$.options.locale", "expected string")) }
            }
        case let v?: problems.append(("$.options", "expected object, found \(v.typeName)"))
        }

        var webhook: WebhookTarget?
        switch o["webhook"] {
        case nil, .null?: break
        case .string(let url)?:
            if let problem = policy.problem(with: url) { problems.append(("$.webhook", problem)) } else { webhook = WebhookTarget(url: url) }
        case .object(let w)?:
            if case .string(let url)? = w["url"] {
                if let problem = policy.problem(with: url) { problems.append(("$.webhook.url", problem)) }
                else { webhook = WebhookTarget(url: url) }
            } else { problems.append(("$.webhook.url", "required string")) }
        case let v?: problems.append(("$.webhook", "expected a URL string or {\"url\": …}, found \(v.typeName)"))
        }

        if case .unparsed(let fits) = source {
            guard problems.isEmpty, let template else { return nil }
            let locale = (o["options"] ?? .null)["locale"]
            if let locale, locale != .null, template.dataShape?.field("locale") != nil { return nil }
            guard fits(template) else { return nil }
            return RenderRequest(template: template, data: nil, format: format, filename: filename, dpi: dpi, page: page,
                                 priority: priority, webhook: webhook)
        }

        var changed = false
        var data = o["data"] ?? .object(ValueObject())
        if data == .null { data = .object(ValueObject()); changed = true }
        if let template {
            if case .object = data {} else {
                problems.append(("$.data", "expected object, found \(data.typeName)"))
            }
            if problems.isEmpty || problems.allSatisfy({ !$0.path.hasPrefix("$.data") }) {
                if let shape = template.dataShape {
                    for p in shape.problems(in: data) {
                        let path = p.path.map { "$.data" + $0.dropFirst() } ?? "$.data"
                        problems.append((path, p.message))
                    }
                }
                // A language the layout needs as options.locale goes into the data the template reads.
                if case .object(var d) = data, case .string(let locale)? = (o["options"] ?? .null)["locale"], d["locale"] == nil,
                   template.dataShape?.field("locale") != nil {
                    d["locale"] = .string(locale)
                    data = .object(d)
                    changed = true
                }
            }
        }
        guard problems.isEmpty, let template else {
            let templateMissing = problems.contains { $0.path == "$.template" } && template == nil
            throw APIError.validation(problems, code: templateMissing && problems.count == 1 ? "unknown_template" : "validation_failed")
        }
        return RenderRequest(template: template, data: data, format: format, filename: filename, dpi: dpi, page: page,
                             priority: priority, webhook: webhook, dataChanged: changed)
    }

    /// The job's payload; `dataJSON` is the data's JSON when the caller already has it.
    func payload(dataJSON: [UInt8]?, requestDigest: String? = nil) -> RenderPayload {
        RenderPayload(template: template.name, data: dataJSON.map { .json($0) } ?? .value(data ?? .object(ValueObject())),
                      format: format.rawValue, filename: filename,
                      dpi: dpi, page: page, webhook: webhook, requestDigest: requestDigest)
    }
}
