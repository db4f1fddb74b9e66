import NIOCore

extension ByteBuffer {
    /// Appends `commands` in the Redis protocol (RESP arrays of bulk strings), ready to be sent as one pipeline.
    mutating func writeRedisCommands(_ commands: [[RedisArg]]) {
        var size = 0
        for c in commands {
            size += 16
            for a in c { size += a.bytes.count + 24 }
        }
        reserveCapacity(minimumWritableBytes: size)
        for c in commands {
            writeInteger(UInt8(ascii: "*"))
            writeDecimal(c.count)
            writeCRLF()
            for a in c {
                writeInteger(UInt8(ascii: "$"))
                writeDecimal(a.bytes.count)
                writeCRLF()
                writeBytes(a.bytes)
                writeCRLF()
            }
        }
    }

    private mutating func writeCRLF() {
        writeInteger(UInt16(0x0D0A), endianness: .big)
    }

    private mutating func writeDecimal(_ n: Int) {
        if n < 10 { writeInteger(UInt8(48 + n)); return }
        var p = 10
        while p <= n { p *= 10 }
        var v = n
        repeat {
            p /= 10
            writeInteger(UInt8(48 + v / p))
            v %= p
        } while p > 1
    }
}
