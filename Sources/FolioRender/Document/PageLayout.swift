/// One laid-out page: its paper, and the fragments for its header, body and footer in page coordinates.
final class PageLayout {
    let width: Double
    let height: Double
    let margins: Insets
    let body: Fragment
    let bodyTop: Double
    var header: Fragment?
    var footer: Fragment?
    var footerTop: Double = 0

    init(width: Double, height: Double, margins: Insets, body: Fragment, bodyTop: Double) {
        self.width = width
        self.height = height
        self.margins = margins
        self.body = body
        self.bodyTop = bodyTop
    }
}
