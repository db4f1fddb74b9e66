import CHiredis
import NIOCore

/// Reads the replies arriving on a Redis connection with hiredis's protocol reader and hands each to its connection, in
/// order; tells the connection when the channel closes. Lives on the channel's event loop.
final class RedisReplyHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let reader: UnsafeMutablePointer<redisReader>
    private let onReply: (RedisReply) -> Void
    private let onClose: (String) -> Void
    private var closeReason = "the connection was closed"

    init(onReply: @escaping (RedisReply) -> Void, onClose: @escaping (String) -> Void) {
        reader = redisReaderCreate()
        self.onReply = onReply
        self.onClose = onClose
    }

    deinit { redisReaderFree(reader) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        let fed = bytes.withUnsafeReadableBytes { raw in
            raw.isEmpty ? REDIS_OK : redisReaderFeed(reader, raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count)
        }
        if fed != REDIS_OK { return protocolError(context) }
        while true {
            var raw: UnsafeMutableRawPointer?
            if redisReaderGetReply(reader, &raw) != REDIS_OK { return protocolError(context) }
            guard let raw else { return }
            let reply = RedisReply(raw.assumingMemoryBound(to: redisReply.self))
            freeReplyObject(raw)
            onReply(reply)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        closeReason = "\(error)"
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        onClose(closeReason)
        context.fireChannelInactive()
    }

    private func protocolError(_ context: ChannelHandlerContext) {
        closeReason = "unreadable reply: " + withUnsafeBytes(of: reader.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        context.close(promise: nil)
    }
}
