import struct Agreement.SplitMix64
import Foundation
import Testing
@testable import TerminalGraphics

/// The kitty encoder's bytes read back as a terminal reads them (`KittyDecoding`: Foundation's
/// base64, zlib's inflate): the pixels come back byte for byte, and the chunks, keys, id and
/// `m` flags are what the protocol asks for.
@Suite struct KittyEncoderTests {
    static let id = String(KittyEncoder.defaultImageID)

    /// Random bytes: deflate cannot make them smaller.
    static func noise(_ w: Int, _ h: Int, seed: UInt64 = 11) -> RGBImage {
        var rng = SplitMix64(state: seed)
        return RGBImage(width: w, height: h) { _, _ in RGB(UInt8(rng.byte()), UInt8(rng.byte()), UInt8(rng.byte())) }
    }

    /// Every chunk's payload fits the protocol's 4,096 bytes; all but the last are full
    /// (so each is whole base64 quanta); the first carries the keys and m=1, the middle
    /// ones only m=1, the last only m=0; one chunk alone carries no m at all.
    static func expectChunking(_ chunks: [KittyDecoding.Command], sourceLocation: SourceLocation = #_sourceLocation) {
        for (k, chunk) in chunks.enumerated() {
            #expect(chunk.payload.count <= KittyEncoder.chunkSize, "chunk \(k)", sourceLocation: sourceLocation)
            if k < chunks.count - 1 {
                #expect(chunk.payload.count == KittyEncoder.chunkSize, "chunk \(k) is not full", sourceLocation: sourceLocation)
                #expect(chunk["m"] == "1", "chunk \(k)", sourceLocation: sourceLocation)
            }
            if k > 0 {
                let expected = k == chunks.count - 1 ? "m=0" : "m=1"
                #expect(chunk.keys.map { "\($0.key)=\($0.value)" } == [expected], "chunk \(k)", sourceLocation: sourceLocation)
            }
        }
        if chunks.count == 1 { #expect(chunks[0]["m"] == nil, sourceLocation: sourceLocation) }
    }

    @Test func aGradientComesBackExactlyDeflatedAndChunked() throws {
        let picture = Pictures.gradient(320, 180)
        let bytes = KittyEncoder().encode(picture)
        let images = try KittyDecoding.images(bytes)
        try #require(images.count == 1)
        let decoded = images[0]
        #expect(decoded.image == picture)
        #expect(decoded.chunks[0].keys.map { "\($0.key)=\($0.value)" }
                == ["a=T", "f=24", "s=320", "v=180", "i=\(Self.id)", "q=2", "o=z", "m=1"])
        let base64 = decoded.chunks.reduce(0) { $0 + $1.payload.count }
        #expect(base64 < 320 * 180 * 3 * 4 / 3, "deflate did not make it smaller: \(base64) base64 bytes")
        #expect(decoded.chunks.count == (base64 + 4095) / 4096)
        Self.expectChunking(decoded.chunks)
        // Nothing but the chunks: the stream is exactly the commands back to back.
        #expect(try KittyDecoding.commands(bytes).count == decoded.chunks.count)
        #expect(bytes.first == 0x1B && Array(bytes.suffix(2)) == [0x1B, UInt8(ascii: "\\")])
    }

    @Test func noiseIsSentRawBecauseDeflateWouldGrowIt() throws {
        let picture = Self.noise(97, 41)
        let decoded = try #require(try KittyDecoding.images(KittyEncoder().encode(picture)).first)
        #expect(decoded.image == picture)
        #expect(decoded.keys["o"] == nil)
        // 97×41×3 = 11,931 bytes → 15,908 base64 bytes → 4 chunks, the last 3,620.
        #expect(decoded.chunks.map(\.payload.count) == [4096, 4096, 4096, 3620])
        Self.expectChunking(decoded.chunks)
    }

    /// 1,024 pixels are 3,072 bytes, exactly one chunk of 4,096 base64 bytes; one pixel
    /// more needs a second chunk.
    @Test func chunkBoundaries() throws {
        let raw = KittyEncoder(compression: .none)
        let one = try KittyDecoding.images(raw.encode(Self.noise(1024, 1)))
        #expect(one.map { $0.chunks.map(\.payload.count) } == [[4096]])
        #expect(one.first?.chunks.first?["m"] == nil)
        let two = try #require(try KittyDecoding.images(raw.encode(Self.noise(1025, 1))).first)
        #expect(two.chunks.map(\.payload.count) == [4096, 4])
        Self.expectChunking(two.chunks)
        #expect(two.image == Self.noise(1025, 1))
        // Padding: 1 and 2 bytes left over after the last whole quantum.
        for width in 1...4 {
            let picture = Self.noise(width, 1, seed: UInt64(width))
            let decoded = try #require(try KittyDecoding.images(raw.encode(picture)).first)
            #expect(decoded.image == picture)
            #expect(decoded.chunks[0].payload == Array(Data(picture.pixels).base64EncodedData()))
        }
    }

    @Test func placementKeysAndTheCursor() throws {
        let picture = RGBImage(width: 64, height: 40, filledWith: RGB(12, 200, 77))   // deflates to one chunk
        let bytes = KittyEncoder(imageID: 7).encode(picture, cells: (columns: 8, rows: 2), moveCursor: false)
        let decoded = try #require(try KittyDecoding.images(bytes).first)
        #expect(decoded.chunks[0].keys.map { "\($0.key)=\($0.value)" }
                == ["a=T", "f=24", "s=64", "v=40", "i=7", "q=2", "o=z", "c=8", "r=2", "C=1"])
        #expect(decoded.image == picture)
    }

    /// Two frames carry the same id, so the second replaces the first in the terminal.
    @Test func framesShareOneIdAndTheDeleteNamesIt() throws {
        let encoder = KittyEncoder()
        let stream = encoder.encode(Pictures.gradient(40, 30)) + encoder.encode(Pictures.noisyGradient(40, 30)) + encoder.delete()
        let images = try KittyDecoding.images(stream)
        #expect(images.count == 2)
        #expect(images.map { $0.keys["i"] } == [Self.id, Self.id])
        #expect(images[1].image == Pictures.noisyGradient(40, 30))
        #expect(String(decoding: encoder.delete(), as: UTF8.self) == "\u{1B}_Ga=d,d=I,i=\(Self.id),q=2\u{1B}\\")
        let last = try #require(try KittyDecoding.commands(stream).last)
        #expect(last["a"] == "d" && last["d"] == "I" && last["i"] == Self.id && last.payload.isEmpty)
    }

    @Test func uncompressedWhenAskedAndEveryLevelRoundTrips() throws {
        let picture = Pictures.noisyGradient(120, 67)
        let plain = try #require(try KittyDecoding.images(KittyEncoder(compression: .none).encode(picture)).first)
        #expect(plain.keys["o"] == nil && plain.image == picture)
        for level: Int32 in [1, 6, 9] {
            let decoded = try #require(try KittyDecoding.images(KittyEncoder(level: level).encode(picture)).first)
            #expect(decoded.keys["o"] == "z" && decoded.image == picture, "level \(level)")
        }
    }

    /// A frame padded to whole cells: its pixels at the top left, black to the right and below.
    @Test func paddingKeepsThePictureAndBlackensTheRest() {
        let picture = Pictures.gradient(7, 3)
        let padded = picture.padded(width: 10, height: 4)
        #expect(padded.width == 10 && padded.height == 4)
        for y in 0..<4 {
            for x in 0..<10 {
                #expect(padded[x, y] == (x < 7 && y < 3 ? picture[x, y] : RGB(0, 0, 0)), "(\(x), \(y))")
            }
        }
        #expect(picture.padded(width: 7, height: 3) == picture)
    }

    /// Pictures of many sizes (1×1, one pixel wide or tall, odd sizes around the chunk
    /// boundary) and contents (noise, flat, gradient, a mix), ids and placements: every one
    /// reads back exactly, in chunks the protocol allows, with the keys it was given.
    @Test func manySizesAndContentsReadBackExactly() throws {
        var rng = SplitMix64(state: 0x4B49_5454)
        func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        let sizes = [(1, 1), (1, 300), (300, 1), (1024, 1), (1025, 1), (31, 33), (64, 48)] + (0..<60).map { _ in (1 + below(200), 1 + below(120)) }
        for (k, (w, h)) in sizes.enumerated() {
            let picture: RGBImage
            switch k % 4 {
            case 0: picture = Self.noise(w, h, seed: UInt64(k))
            case 1: picture = RGBImage(width: w, height: h, filledWith: RGB(UInt8(k), 7, 250))
            case 2: picture = Pictures.gradient(w, h)
            default: picture = RGBImage(width: w, height: h) { x, y in (x / 3 + y) % 5 == 0 ? RGB(UInt8(below(256)), 0, 0) : RGB(9, 9, 9) }
            }
            let id = UInt32(1 + below(4_000_000_000))
            let cells = k % 3 == 0 ? nil : (columns: 1 + below(200), rows: 1 + below(60))
            let bytes = KittyEncoder(imageID: id, compression: k % 5 == 0 ? .none : .whenSmaller).encode(picture, cells: cells, moveCursor: k % 2 == 0)
            let decoded = try KittyDecoding.images(bytes)
            try #require(decoded.count == 1, "\(w)×\(h)")
            #expect(decoded[0].image == picture, "\(w)×\(h) #\(k)")
            #expect(decoded[0].keys["i"] == String(id) && decoded[0].keys["c"] == cells.map { String($0.columns) }
                    && decoded[0].keys["r"] == cells.map { String($0.rows) } && decoded[0].keys["C"] == (k % 2 == 0 ? nil : "1"))
            Self.expectChunking(decoded[0].chunks)
        }
    }
}
