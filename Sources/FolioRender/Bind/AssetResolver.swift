/// Images, barcodes and trace shapes for the binder. INTERIM until the graphics primitives merge.
struct AssetResolver {
    let template: Template
    let limits: RenderLimits

    func imageBlock(_ image: ImageElement, scope: Scope, flow: FlowRules, location: SourceLocation) throws(RenderError) -> any Block {
        throw RenderError(.imageInvalid, "images are not wired yet", location: location)
    }

    func barcodeBlock(_ barcode: BarcodeElement, scope: Scope, flow: FlowRules, location: SourceLocation) throws(RenderError) -> any Block {
        throw RenderError(.barcodeInvalid, "barcodes are not wired yet", location: location)
    }

    func traceBlock(_ trace: TraceElement, scope: Scope, flow: FlowRules, context: LayoutContext,
                    location: SourceLocation) throws(RenderError) -> any Block {
        throw RenderError(.evaluation, "traces are not wired yet", location: location)
    }
}
