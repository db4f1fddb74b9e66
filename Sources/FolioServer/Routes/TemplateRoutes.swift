import FolioRender
import FolioWorkers
import Foundation
import HTTPTypes
import Hummingbird

/// `/v1/templates`: what can be rendered, the data each template expects, and synchronous previews for authors.
extension FolioService {
    func addTemplateRoutes(to router: Router<FolioRequestContext>) {
        route(router, .get, "/v1/templates") { try await self.listTemplates($0, $1) }
        route(router, .get, "/v1/templates/:name") { try await self.showTemplate($0, $1) }
        route(router, .post, "/v1/templates/:name/preview") { try await self.preview($0, $1) }
    }

    func summary(_ t: Template) -> Value {
        .obj(["name": .string(t.name), "title": .string(t.title), "description": t.description.map { .string($0) },
              "pageSize": .string(Self.pageSize(t)), "version": .string(t.version)])
    }

    /// The page size as the sample renders it (a template may take its size from the data), else as declared.
    static func pageSize(_ t: Template) -> String {
        guard t.page.sizeText.contains("{{"), let sample = t.sample,
              let size = try? t.page.size.render(in: Scope(data: sample)), !size.isEmpty else {
            return t.page.sizeText.isEmpty ? "A4" : t.page.sizeText
        }
        return size
    }

    func listTemplates(_ request: Request, _ context: FolioRequestContext) async throws -> Response {
        _ = try context.caller()
        let items = engine.library.names.compactMap { engine.library.templates[$0] }.map(summary)
        return JSONResponse.make(.obj(["items": .array(items), "count": .int(items.count)]))
    }

    /// The template by URL name; names that are not plain names (paths, dots, slashes) are 400, unknown ones 404.
    func namedTemplate(_ context: FolioRequestContext) throws -> Template {
        let name = try context.parameters.require("name")
        let decoded = name.removingPercentEncoding ?? name
        guard TemplateLibrary.isValidName(decoded) else {
            throw APIError(.badRequest, "invalid_template_name",
                           "'\(decoded.prefix(80))' is not a template name (letters, digits, '-' and '_' only)")
        }
        do { return try engine.library.template(named: decoded) } catch {
            if error.code == .templateNotFound { throw APIError(.notFound, "unknown_template", error.message) }
            throw APIError.templateDoesNotLoad(decoded, error)
        }
    }

    func showTemplate(_ request: Request, _ context: FolioRequestContext) async throws -> Response {
        _ = try context.caller()
        let t = try namedTemplate(context)
        guard case .object(var o) = summary(t) else { return JSONResponse.make(summary(t)) }
        o["dataShape"] = t.dataShape.map { .string($0.describe()) } ?? .null
        o["sample"] = t.sample ?? .null
        o["links"] = .obj(["preview": .string("/v1/templates/\(t.name)/preview"), "renders": .string("/v1/renders")])
        return JSONResponse.make(.object(o))
    }

    /// Renders the sample (empty body) or the given data synchronously: `?format=png|pdf|svg`, `?page=N` for images.
    func preview(_ request: Request, _ context: FolioRequestContext) async throws -> Response {
        _ = try context.caller()
        let t = try namedTemplate(context)
        let q = request.uri.queryParameters
        let formatText = q.get("format") ?? "png"
        guard let format = OutputFormat(rawValue: formatText) else {
            throw APIError.badRequest("format must be png, pdf or svg", code: "invalid_parameter")
        }
        let page = try Self.intParameter(q.get("page"), name: "page", default: 1, range: 1...configuration.limits.maxPages)
        let limits = configuration.limits
        let hasBody = (request.headers[.contentLength].flatMap(Int.init) ?? 1) > 0 && request.headers[.contentType] != nil
        var data: Value
        if hasBody {
            let bytes = try await RequestBody.bytes(request, limit: limits.maxBodyBytes)
            data = bytes.isEmpty ? (t.sample ?? .object(ValueObject())) : try RequestBody.json(bytes, limits: DataLimits(maxBytes: limits.maxDataBytes))
        } else {
            data = t.sample ?? .object(ValueObject())
        }
        if let shape = t.dataShape {
            let problems = shape.problems(in: data)
            if !problems.isEmpty {
                throw APIError.validation(problems.map { ($0.path ?? "$", $0.message) })
            }
        }
        var options = RenderOptions(format: format, limits: RenderLimits(maxPages: limits.maxPages, renderTime: limits.renderTime))
        if format != .pdf { options.pages = [page] }
        let renderer = engine.renderer
        let template = t
        let input = data
        let renderOptions = options
        let start = ContinuousClock.now
        let document: RenderedDocument
        do {
            document = try await engine.pool.run { () throws(RenderError) -> RenderedDocument in
                try renderer.render(template, data: input, options: renderOptions)
            }
            metrics.rendered(RenderObservation(template: t.name, format: format.rawValue, duration: ContinuousClock.now - start,
                                               ok: true, warnings: document.warnings.count))
        } catch let error as RenderError {
            metrics.rendered(RenderObservation(template: t.name, format: format.rawValue, duration: ContinuousClock.now - start,
                                               ok: false, warnings: 0))
            throw Self.renderAPIError(error)
        }
        let bytes = document.files.first ?? []
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        headers[.contentDisposition] = ContentDisposition.value("inline", filename: RenderHandler.filename(nil, template: t.name, format: format))
        headers[HTTPField.Name("Folio-Pages")!] = String(document.pageCount)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func renderAPIError(_ error: RenderError) -> APIError {
        switch error.code {
        case .pageLimit: return APIError(.unprocessableContent, "page_limit_exceeded", error.message)
        case .timeLimit: return APIError(.unprocessableContent, "render_time_exceeded", error.message)
        case .dataInvalid, .dataMalformed, .evaluation, .imageInvalid, .barcodeInvalid:
            return APIError(.unprocessableContent, error.code.rawValue, error.message,
                            details: .array(error.problems.map { .obj(["path": $0.path.map { .string($0) }, "message": .string($0.message)]) }))
        default: return APIError(.internalServerError, error.code.rawValue, error.message)
        }
    }
}

extension APIError {
    /// A template that is there but does not load (a broken file on the server): 500, with the file, line and column
    /// for whoever maintains the templates.
    static func templateDoesNotLoad(_ name: String, _ error: RenderError) -> APIError {
        let at = (error.location?.description).map { " (\($0))" } ?? ""
        return APIError(.internalServerError, "template_invalid", "template '\(name)' does not load\(at): \(error.message)")
    }
}
