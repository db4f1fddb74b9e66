import HTTPTypes
import Hummingbird
import Logging

/// The per-request context: who is calling (set by ``AuthMiddleware``) and the body limit.
public struct FolioRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Identity?
    public var maxBodyBytes: Int = 10 << 20

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    public var maxUploadSize: Int { maxBodyBytes }

    /// The caller; routes behind ``AuthMiddleware`` always have one.
    func caller() throws -> Identity {
        guard let identity else { throw APIError(.unauthorized, "unauthorized", "a bearer token is required") }
        return identity
    }

    func requireOperator() throws -> Identity {
        let id = try caller()
        guard id.isOperator else { throw APIError.forbidden }
        return id
    }
}
