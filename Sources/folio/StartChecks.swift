import FolioRender
import FolioServer
import Logging

/// What an operator must hear about at start, before any request: templates that do not load (with file and line,
/// since requests for them will be refused) and a Redis that may evict Folio's keys.
func reportStartProblems(_ engine: Engine, logger: Logger) async {
    for (name, error) in engine.library.failures.sorted(by: { $0.key < $1.key }) {
        logger.error("template '\(name)' does not load; renders of it are refused (500 template_invalid) until it is fixed: \(error)")
    }
    await engine.warnIfRedisMayEvict(logger: logger)
}
