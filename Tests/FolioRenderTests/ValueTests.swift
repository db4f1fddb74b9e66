import Testing
@testable import FolioRender

@Suite struct ValueTests {
    @Test func objectKeepsKeyOrder() {
        var object = ValueObject()
        object["b"] = .integer(1)
        object["a"] = .integer(2)
        #expect(object.keys == ["b", "a"])
        object["b"] = nil
        #expect(object.keys == ["a"])
    }

    @Test func truthiness() {
        #expect(!Value.string("").isTruthy)
        #expect(Value.integer(3).isTruthy)
        #expect(!Value.array([]).isTruthy)
    }
}
