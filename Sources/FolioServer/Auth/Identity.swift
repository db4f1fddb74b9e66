/// A role a token may carry. A struct with static members, so new roles do not break callers.
public struct Role: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    /// Sees and administers everything, every company.
    public static let platformAdmin = Role("platform_admin")
    /// Sees and administers everything, every company.
    public static let admin = Role("admin")
    /// Sees and administers its own company's jobs; cannot pause, resume or clean shared queues.
    public static let companyAdmin = Role("company_admin")
    /// Renders and reads its own company's jobs.
    public static let user = Role("user")
}

/// Who is calling: from a verified token, or the local operator when auth is off (loopback only).
public struct Identity: Sendable, Hashable {
    public var userID: String
    public var roles: Set<Role>
    /// The company the caller belongs to; jobs it submits belong to it.
    public var company: String?

    public init(userID: String, roles: Set<Role>, company: String?) {
        self.userID = userID; self.roles = roles; self.company = company
    }

    /// Auth off: the person at this machine.
    public static let local = Identity(userID: "local", roles: [.platformAdmin], company: nil)

    /// Sees every company's jobs.
    public var seesAllCompanies: Bool { roles.contains(.platformAdmin) || roles.contains(.admin) }
    /// May use the operators' API (scoped to its company unless ``seesAllCompanies``).
    public var isOperator: Bool { seesAllCompanies || roles.contains(.companyAdmin) }

    /// Whether a job of `tenant` exists as far as this caller can tell.
    public func canSee(tenant: String?) -> Bool { seesAllCompanies || (company != nil && tenant == company) }
}
