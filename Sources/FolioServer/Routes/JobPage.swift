import FolioQueue

/// One page of the jobs a caller may see, so `?offset=` walks them all, not only the first `limit` of each state.
///
/// The order is fixed: engine by engine (Redis, then the in-process fallback), state by state in the order asked, and
/// within a state the driver's order (newest finished first for `completed` and `failed`, run order otherwise). Whole
/// states before the offset are skipped by their counts, so a deep page reads no more than it answers.
struct JobPage {
    var jobs: [(record: JobRecord, backend: Backend)] = []
    /// Whether more may follow: the page is full.
    var mayContinue = false

    /// The largest offset a list takes.
    static let maxOffset = 1_000_000

    static func read(_ service: FolioService, queue: QueueName, states: [JobState], caller: Identity,
                     offset: Int, limit: Int) async throws -> JobPage {
        var page = JobPage()
        var skip = offset
        for backend in service.engine.reachable {
            // Counts only when something is to be skipped: the first page needs none.
            let counts = skip > 0 ? try await service.visibleCounts(backend, queue: queue, caller: caller) : nil
            for state in states {
                let wanted = limit - page.jobs.count
                guard wanted > 0 else { page.mayContinue = true; return page }
                if let counts {
                    let n = counts.count(of: state)
                    if skip >= n { skip -= n; continue }
                }
                let records = try await FolioService.visibleJobs(backend, queue: queue, state: state, caller: caller,
                                                                 offset: skip, limit: wanted)
                skip = 0
                page.jobs += records.map { ($0, backend) }
            }
        }
        page.mayContinue = page.jobs.count >= limit
        return page
    }
}

extension QueueCounts {
    func count(of state: JobState) -> Int {
        switch state {
        case .waiting: waiting
        case .delayed: delayed
        case .active: active
        case .completed: completed
        case .failed: failed
        }
    }
}
