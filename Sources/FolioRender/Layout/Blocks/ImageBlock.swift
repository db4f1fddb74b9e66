/// An image scaled to its requested size, never wider than the column and, at the top of a page, never taller than it.
final class ImageBlock: Block {
    let asset: ImageAsset
    let width: Double?
    let height: Double?
    let fit: ImageFit
    let align: TextAlign
    let flow: FlowRules

    init(asset: ImageAsset, width: Double?, height: Double?, fit: ImageFit, align: TextAlign, flow: FlowRules) {
        self.asset = asset
        self.width = width
        self.height = height
        self.fit = fit
        self.align = align
        self.flow = flow
    }

    private var size: (Double, Double) {
        let aspect = asset.height > 0 ? asset.width / asset.height : 1
        switch (width, height) {
        case let (w?, h?): return (w, h)
        case let (w?, nil): return (w, w / aspect)
        case let (nil, h?): return (h * aspect, h)
        default: return (asset.width, asset.height)
        }
    }

    func layout(width available: Double, available room: Double, atTop: Bool, context: LayoutContext) throws(RenderError) -> Slice {
        var (w, h) = size
        if w > available { h *= available / w; w = available }
        if h > room {
            guard atTop else { return .none }
            w *= room / h; h = room
        }
        let x: Double = switch align {
        case .center: (available - w) / 2
        case .right: available - w
        default: 0
        }
        let fragment = Fragment(height: h)
        let (asset, fit) = (self.asset, self.fit)
        fragment.ops.append(.custom(x: x, y: 0, width: w, height: h) { cr throws(RenderError) in
            try asset.draw(in: cr, x: 0, y: 0, width: w, height: h, fit: fit)
        })
        return .whole(fragment)
    }

    func naturalWidth(context: LayoutContext) -> Double { size.0 }
}
