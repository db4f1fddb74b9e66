import FolioQueue
import FolioRender

/// Each template's data shape compiled once for scanning request data, by template name (templates do not change while
/// the service runs).
final class ShapePlanCache: Sendable {
    private let plans = LockedState<[String: ShapeScanPlan]>([:])

    /// The template's plan, or `nil` when it declares no data shape.
    func plan(for template: Template) -> ShapeScanPlan? {
        guard let shape = template.dataShape else { return nil }
        if let plan = plans.withLock({ $0[template.name] }) { return plan }
        let plan = ShapeScanPlan(shape)
        plans.withLock { $0[template.name] = plan }
        return plan
    }
}
