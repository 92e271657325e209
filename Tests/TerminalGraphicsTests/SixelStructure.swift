import TerminalGraphics

/// (FuzzTests compiles this same file through a symbolic link: test targets cannot depend
/// on each other.) A deliberately small sixel reader for checking the encoder's structure: header,
/// raster attributes, registers, bands, and which register paints each pixel.
struct SixelStructure {
    var header: String            // the DCS parameters, e.g. "0;1;0"
    var rasterWidth = 0, rasterHeight = 0
    var registers: [Int: (r: Int, g: Int, b: Int)] = [:]
    var bands: [[Int]] = []       // per band: the column count of each colour pass
    /// Register painting each pixel, -1 where none did; rasterWidth × (bands × 6).
    var painted: [Int] = []
    /// Pixels painted more than once (the encoder gives every pixel exactly one colour).
    var overpainted = 0
    var terminated = false

    struct Malformed: Error, CustomStringConvertible { var description: String }

    init(_ bytes: [UInt8]) throws {
        var i = 0
        func fail(_ why: String) -> Malformed { Malformed(description: "\(why) at byte \(i)") }
        func number() -> Int {
            var n = 0
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { n = n * 10 + Int(bytes[i] - 48); i += 1 }
            return n
        }
        func numbers() -> [Int] {
            var out = [number()]
            while i < bytes.count, bytes[i] == UInt8(ascii: ";") { i += 1; out.append(number()) }
            return out
        }
        guard bytes.count >= 4, bytes[0] == 0x1B, bytes[1] == UInt8(ascii: "P") else { throw fail("no DCS introducer") }
        i = 2
        let start = i
        while i < bytes.count, bytes[i] != UInt8(ascii: "q") { i += 1 }
        header = String(decoding: bytes[start..<i], as: UTF8.self)
        i += 1
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("no raster attributes") }
        i += 1
        let raster = numbers()
        guard raster.count == 4 else { throw fail("raster attributes need 4 numbers, got \(raster)") }
        rasterWidth = raster[2]; rasterHeight = raster[3]
        let w = rasterWidth
        var band = 0, x = 0, color = -1
        var passes: [Int] = []
        func grow() { if painted.count < (band + 1) * 6 * w { painted += [Int](repeating: -1, count: 6 * w) } }
        func paint(_ ch: UInt8, _ run: Int) throws {
            guard ch >= 63, ch <= 126 else { throw fail("not a sixel byte \(ch)") }
            grow()
            let mask = Int(ch - 63)
            for _ in 0..<run {
                for bit in 0..<6 where mask & (1 << bit) != 0 {
                    guard x < w else { throw fail("column \(x) beyond width \(w)") }
                    let p = (band * 6 + bit) * w + x
                    if painted[p] >= 0 { overpainted += 1 }
                    painted[p] = color
                }
                x += 1
            }
        }
        grow()
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case 0x1B:
                guard i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\\") else { throw fail("ESC not followed by \\") }
                terminated = true
                passes.append(x); bands.append(passes)
                guard i + 2 == bytes.count else { throw fail("bytes after the terminator") }
                return
            case UInt8(ascii: "#"):
                i += 1
                let p = numbers()
                if p.count == 5 {
                    guard p[1] == 2, (0...100).contains(p[2]), (0...100).contains(p[3]), (0...100).contains(p[4])
                    else { throw fail("bad colour definition \(p)") }
                    registers[p[0]] = (p[2], p[3], p[4])
                } else if p.count == 1 {
                    guard registers[p[0]] != nil else { throw fail("register \(p[0]) used before definition") }
                    color = p[0]
                } else { throw fail("bad # parameters \(p)") }
                continue
            case UInt8(ascii: "!"):
                i += 1
                let n = number()
                guard i < bytes.count else { throw fail("repeat without a byte") }
                try paint(bytes[i], n)
            case UInt8(ascii: "$"):
                passes.append(x); x = 0
            case UInt8(ascii: "-"):
                passes.append(x); bands.append(passes); passes = []; x = 0; band += 1; grow()
            default:
                try paint(b, 1)
            }
            i += 1
        }
        throw fail("no string terminator")
    }
}
